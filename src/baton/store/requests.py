"""Doing a Slack request once, however often Slack retries it or a person clicks."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, delete

from baton.store.db import rows_changed
from baton.store.tables import ProcessedRequest


def first_time(session: Session, key: str) -> bool:
    """Record `key` in the session's transaction; False when it was already recorded."""
    try:
        # A savepoint, so a duplicate leaves the caller's transaction usable on PostgreSQL too.
        with session.begin_nested():
            session.add(ProcessedRequest(key=key))
    except sa.exc.IntegrityError:
        return False
    return True


def forget(session: Session, prefix: str, before: dt.datetime) -> int:
    """Drop the keys starting with `prefix` recorded before `before`; how many went."""
    return rows_changed(session, delete(ProcessedRequest).where(
        col(ProcessedRequest.key).startswith(prefix), col(ProcessedRequest.created_at) < before))
