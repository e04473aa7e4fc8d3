"""Revision 0005: rows the outbox gave up on before are set aside, to be retried; both ways."""

from __future__ import annotations

import sqlalchemy as sa

from baton.store.db import current_revision, make_engine
from tests.store.test_migration_0002 import _migrate

ROWS = (
    "INSERT INTO outboxmessage (id, kind, payload, dedupe_key, status, attempts,"
    " next_attempt_at, last_error, created_at) VALUES"
    " (1, 'chat.postMessage', '{\"channel\": \"C0EMEA0001\"}', 'card:1', 'failed', 1, :now,"
    "  'HTTP 200: is_archived', :now),"
    " (2, 'chat.postMessage', '{\"channel\": \"U0BDR\"}', 'card-link:1', 'sent', 1, :now,"
    "  NULL, :now)"
)
NOW = "2026-12-01 10:00:00+00:00"


def _rows(engine: sa.Engine, *columns: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            f"SELECT id, {', '.join(columns)} FROM outboxmessage ORDER BY id"))]


def test_upgrade_sets_aside_what_was_given_up_on_since_it_was_queued(database_url: str) -> None:
    engine = make_engine(database_url)
    _migrate(engine, "upgrade", "0004")
    with engine.begin() as connection:
        connection.execute(sa.text(ROWS), {"now": NOW})

    _migrate(engine, "upgrade", "0005")

    assert current_revision(engine) == "0005"
    assert _rows(engine, "status", "last_error") == [
        (1, "set_aside", "HTTP 200: is_archived"), (2, "sent", None)]
    with engine.connect() as connection:
        kept = connection.execute(sa.text(
            "SELECT count(*) FROM outboxmessage WHERE set_aside_at IS NOT NULL")).scalar()
    assert kept == 1
    _migrate(engine, "downgrade", "0004")
    assert _rows(engine, "status") == [(1, "failed"), (2, "sent")]
    engine.dispose()
