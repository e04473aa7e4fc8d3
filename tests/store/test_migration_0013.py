"""Revision 0013: a verdict keeps each criterion's status by its key, filled in for the verdicts
already stored; both ways."""

from __future__ import annotations

import json

import sqlalchemy as sa

from baton.store.db import current_revision, make_engine
from tests.store.test_migration_0002 import NOW, _migrate
from tests.store.test_migration_0012 import LEAD, QUALIFICATION, _rows

VERDICT = (
    "INSERT INTO verdictrecord (id, qualification_id, sales_ready, score, definition_version,"
    " framework, criteria, missing, decided_at) VALUES (:id, 1, false, 40, '1', 'bant',"
    " :criteria, '[]', :now)")
CRITERIA = [
    {"key": "budget", "title": "Budget", "status": "met", "reason": "Budget: approved, \"Q3\"",
     "points": 25, "max_points": 25, "must_meet": False, "answer": "Approved"},
    {"key": "need", "title": "Need", "status": "not_met", "reason": "Need: none", "points": 0,
     "max_points": 25, "must_meet": True, "answer": "None"},
    {"key": "timeline", "title": "Timeline", "status": "unknown", "reason": "Timeline: ?",
     "points": 0, "max_points": 25, "must_meet": False, "answer": None},
]


def _statuses(engine: sa.Engine) -> list[tuple[object, dict[str, str]]]:
    return [(vid, json.loads(str(text))) for vid, text in _rows(
        engine, "SELECT id, CAST(statuses AS TEXT) FROM verdictrecord ORDER BY id")]


def test_each_verdict_gets_its_criteria_statuses_and_loses_them_on_downgrade(
        empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    _migrate(engine, "upgrade", "0012")
    with engine.begin() as connection:
        connection.execute(sa.text(LEAD), {"now": NOW})
        connection.execute(sa.text(QUALIFICATION), {"id": 1, "bdr": "U0ANA", "now": NOW})
        for vid, criteria in ((1, CRITERIA), (2, [])):
            connection.execute(sa.text(VERDICT), {"id": vid, "criteria": json.dumps(criteria),
                                                  "now": NOW})

    _migrate(engine, "upgrade", "0013")

    assert current_revision(engine) == "0013"
    assert _statuses(engine) == [
        (1, {"budget": "met", "need": "not_met", "timeline": "unknown"}), (2, {})]

    _migrate(engine, "downgrade", "0012")

    assert "statuses" not in {c["name"] for c in sa.inspect(engine).get_columns("verdictrecord")}
    ((kept,),) = _rows(engine, "SELECT CAST(criteria AS TEXT) FROM verdictrecord WHERE id = 1")
    assert json.loads(str(kept)) == CRITERIA
    engine.dispose()
