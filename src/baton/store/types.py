"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


def utcnow() -> dt.datetime:
    """The current moment, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as UTC and always read back aware, in UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous (local? UTC?); refusing it keeps every stored moment exact.
            raise ValueError(f"expected a timezone-aware datetime, got {value!r}")
        value = value.astimezone(dt.UTC)
        # SQLite has no time zones: keep naive UTC there so text ordering equals time ordering.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
