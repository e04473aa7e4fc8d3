"""Revision 0012: qualifications carry what their verdict in force says and handoffs their BDR,
filled in for the rows already there; both ways."""

from __future__ import annotations

import sqlalchemy as sa

from baton.store.db import current_revision, make_engine
from tests.store.test_migration_0002 import NOW, _migrate

LEAD = ("INSERT INTO lead (id, company, contact_name, title, email, source, region, industry,"
        " created_at) VALUES (1, 'Acme Corp', '', '', '', '', '', '', :now)")
QUALIFICATION = (
    "INSERT INTO qualification (id, lead_id, bdr_user_id, team_id, framework, status,"
    " current_index, started_at) VALUES (:id, 1, :bdr, 'T0', 'bant', 'finished', 0, :now)")
VERDICT = (
    "INSERT INTO verdictrecord (id, qualification_id, sales_ready, score, definition_version,"
    " framework, criteria, missing, decided_at, overridden_by) VALUES (:id, :q, :ready, 70, '1',"
    " 'bant', '[]', '[]', :now, :by)")
HANDOFF = ("INSERT INTO handoff (id, qualification_id, lead_id, channel, status, created_at)"
           " VALUES (1, 1, 1, 'C0SALES', 'claimed', :now)")


def _rows(engine: sa.Engine, query: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query))]


def test_the_verdict_in_force_and_the_bdr_are_filled_in_and_dropped_on_downgrade(
        empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    _migrate(engine, "upgrade", "0011")
    with engine.begin() as connection:
        connection.execute(sa.text(LEAD), {"now": NOW})
        for qid, bdr in ((1, "U0ANA"), (2, "U0BEN"), (3, "U0ANA")):
            connection.execute(sa.text(QUALIFICATION), {"id": qid, "bdr": bdr, "now": NOW})
        # 1: sales-ready, then a manager's override says not; 2: not sales-ready; 3: unjudged.
        for vid, qid, ready, by in ((1, 1, True, None), (2, 1, False, "U0BOSS"),
                                    (3, 2, False, None)):
            connection.execute(sa.text(VERDICT), {"id": vid, "q": qid, "ready": ready, "by": by,
                                                  "now": NOW})
        connection.execute(sa.text(HANDOFF), {"now": NOW})

    _migrate(engine, "upgrade", "0012")

    assert current_revision(engine) == "0012"
    assert _rows(engine, "SELECT id, sales_ready, overridden FROM qualification ORDER BY id") == [
        (1, False, True), (2, False, False), (3, None, False)]
    assert _rows(engine, "SELECT id, bdr_user_id FROM handoff") == [(1, "U0ANA")]

    _migrate(engine, "downgrade", "0011")

    columns = {c["name"] for c in sa.inspect(engine).get_columns("qualification")}
    assert not {"sales_ready", "overridden"} & columns
    assert "bdr_user_id" not in {c["name"] for c in sa.inspect(engine).get_columns("handoff")}
    assert _rows(engine, "SELECT count(*) FROM verdictrecord") == [(3,)]
    engine.dispose()
