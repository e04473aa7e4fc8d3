"""Revision 0002 gives handoffs a permalink column, keeping every row both ways."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from baton.store.db import alembic_config, current_revision, make_engine

HANDOFF = (
    "INSERT INTO handoff (id, qualification_id, lead_id, channel, message_ts, status, created_at)"
    " VALUES (1, 1, 1, 'C0EMEA0001', '1700000000.000100', 'claimed', :now)"
)
ROWS = [
    "INSERT INTO lead (id, company, contact_name, title, email, source, region, industry,"
    " created_at) VALUES (1, 'Acme Corp', '', '', '', '', '', '', :now)",
    "INSERT INTO qualification (id, lead_id, bdr_user_id, team_id, framework, status,"
    " current_index, started_at) VALUES (1, 1, 'U0BDR', 'T0', 'bant', 'finished', 0, :now)",
    HANDOFF,
    "INSERT INTO outcome (id, handoff_id, kind, reason, recorded_by, recorded_at)"
    " VALUES (1, 1, 'meeting_held', '', 'U0REP', :now)",
]
NOW = "2026-11-23 10:00:00+00:00"


def _migrate(engine: sa.Engine, direction: str, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("handoff")}


def _handoffs(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT id, channel, message_ts, status FROM handoff ORDER BY id"))]


def test_upgrade_from_0001_keeps_handoffs_and_adds_an_empty_permalink(database_url: str) -> None:
    engine = make_engine(database_url)
    _migrate(engine, "upgrade", "0001")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(sa.text(statement), {"now": NOW})

    _migrate(engine, "upgrade", "0002")

    assert current_revision(engine) == "0002"
    assert _handoffs(engine) == [(1, "C0EMEA0001", "1700000000.000100", "claimed")]
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT permalink FROM handoff")).scalar() is None
    engine.dispose()


def test_downgrade_to_0001_drops_the_column_and_keeps_the_rows(database_url: str) -> None:
    engine = make_engine(database_url)
    _migrate(engine, "upgrade", "0002")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(sa.text(statement), {"now": NOW})
        connection.execute(sa.text("UPDATE handoff SET permalink = 'https://x.slack.com/a/p1'"))

    _migrate(engine, "downgrade", "0001")

    assert current_revision(engine) == "0001"
    assert "permalink" not in _columns(engine)
    assert _handoffs(engine) == [(1, "C0EMEA0001", "1700000000.000100", "claimed")]
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM outcome")).scalar() == 1
    engine.dispose()
