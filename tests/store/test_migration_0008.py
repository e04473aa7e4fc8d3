"""Revision 0008: the summaries' indexes on when qualifications finished (with their BDR) and
when outcomes were recorded (with their kind); both ways."""

from __future__ import annotations

import sqlalchemy as sa

from baton.store.db import current_revision, make_engine
from tests.store.test_migration_0002 import _migrate


def _indexes(engine: sa.Engine, table: str) -> dict[str, list[str | None]]:
    inspector = sa.inspect(engine)
    return {index["name"] or "": index["column_names"] for index in inspector.get_indexes(table)}


def test_the_time_indexes_carry_the_bdr_and_the_kind_and_come_back_on_downgrade(
        empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    _migrate(engine, "upgrade", "0005")
    assert _indexes(engine, "qualification")["ix_qualification_finished_at"] == ["finished_at"]

    _migrate(engine, "upgrade", "0008")

    assert current_revision(engine) == "0008"
    qualification, outcome = _indexes(engine, "qualification"), _indexes(engine, "outcome")
    assert qualification["ix_qualification_finished_bdr"] == ["finished_at", "bdr_user_id"]
    assert outcome["ix_outcome_recorded_kind"] == ["recorded_at", "kind"]
    assert "ix_qualification_finished_at" not in qualification
    assert "ix_outcome_recorded_at" not in outcome
    _migrate(engine, "downgrade", "0005")
    assert _indexes(engine, "outcome")["ix_outcome_recorded_at"] == ["recorded_at"]
    assert "ix_qualification_finished_bdr" not in _indexes(engine, "qualification")
    engine.dispose()
