"""The pipeline by one dimension, as cohorts: the leads qualified in the period and how far
they went since, by region (aliases merged), segment, rep or definition version."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.handoff.claims import accept, claim, record_outcome
from baton.services.pipeline import breakdown
from baton.services.unit_of_work import UnitOfWork
from tests.services.conftest import BDR, STRONG_BANT, StartFn, acme, click
from tests.services.handoff.test_follow_up import SAM, act, at


def qualified(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str,
              **intake: object) -> int | None:
    step = start(acme(company=company, email=f"jo@{company.lower()}.example", **intake))
    with freeze_time(at(0)):
        for key, choice in STRONG_BANT.items():
            move = click(engine, catalog, step.qualification_id, key, choice)
    return move.handoff_id  # type: ignore[union-attr]


def by(engine: sa.Engine, catalog: Catalog, dimension: str,
       scope: list[str] | None = None) -> dict[str, tuple[int, ...]]:
    period = parse_period("today", now=at(120), tz="America/New_York")
    seen = breakdown(uow=UnitOfWork(engine), catalog=catalog, period=period,
                     dimension=dimension, scope=scope)
    return {row.value: (row.qualified, row.sales_ready, row.handed_off, row.accepted, row.won)
            for row in seen.rows}


def test_the_cohort_by_region_merges_aliases_and_follows_leads_to_their_outcomes(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    won = qualified(engine, catalog, start, "Globex", region="EMEA")
    qualified(engine, catalog, start, "Initech", region="Germany")
    qualified(engine, catalog, start, "Umbrella", region="APAC", employees=5000)
    act(engine, 5, claim, handoff_id=won, rep_user_id=SAM)
    act(engine, 6, accept, handoff_id=won, rep_user_id=SAM)
    act(engine, 60, record_outcome, handoff_id=won, rep_user_id=SAM, kind="won")

    assert by(engine, catalog, "region") == {"EMEA": (2, 2, 2, 1, 1), "APAC": (1, 1, 1, 0, 0)}
    assert by(engine, catalog, "segment") == {"mid_market": (2, 2, 2, 1, 1),
                                              "enterprise": (1, 1, 1, 0, 0)}
    assert by(engine, catalog, "rep") == {"not known": (2, 2, 2, 0, 0), SAM: (1, 1, 1, 1, 1)}
    assert by(engine, catalog, "version") == {catalog.definition.version: (3, 3, 3, 1, 1)}
    assert by(engine, catalog, "region", scope=["U0SOMEONE1"]) == {}
    assert by(engine, catalog, "framework", scope=[BDR]) == {"bant": (3, 3, 3, 1, 1)}


def test_an_unknown_dimension_is_refused(engine: sa.Engine, catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="expected one of source, region, segment"):
        by(engine, catalog, "colour")
