"""The store's tests migrate their databases themselves, so each starts from an empty one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from baton.store.db import make_engine, upgrade


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A database without any table, once on SQLite and once on PostgreSQL."""
    return empty_database_url


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on that database, upgraded to the newest schema by Baton's own upgrade."""
    migrated = make_engine(database_url)
    upgrade(migrated)
    yield migrated
    migrated.dispose()
