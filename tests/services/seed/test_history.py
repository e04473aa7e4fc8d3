"""`baton seed`: the volume asked for, the same history for the same seed, a plausible pipeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from baton.cli import app
from baton.domain.periods import Period
from baton.services.catalog import Catalog
from baton.services.pipeline import summarise
from baton.services.seed import SeedError, SeedReport, seed_history
from baton.services.seed import history as history_module
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import session_scope
from baton.store.tables import AnswerEntry, Handoff, Lead, Qualification, VerdictRecord
from tests.services.conftest import count

NOW = dt.datetime(2025, 6, 1, 15, 30, tzinfo=dt.UTC)
YEAR = Period(label="the seeded year", start=NOW - dt.timedelta(days=366), end=NOW)


def seed(engine: sa.Engine, catalog: Catalog, leads: int, number: int = 7,
         now: dt.datetime = NOW) -> SeedReport:
    return seed_history(uow=UnitOfWork(engine), catalog=catalog, leads=leads, seed=number,
                        now=now)


def history(engine: sa.Engine, first_lead: int, last_lead: int) -> list[tuple[Any, ...]]:
    """Everything seeded for a range of leads, without the ids the database chose."""
    q, a, h = (t.__table__ for t in (Qualification, AnswerEntry, Handoff))  # type: ignore[attr-defined]
    query = (
        sa.select(q.c.bdr_user_id, q.c.framework, q.c.finished_at, a.c.criterion_key, a.c.choice,
                  h.c.claimed_at, h.c.status, h.c.reject_reason)
        .select_from(q.join(a, a.c.qualification_id == q.c.id)
                     .outerjoin(h, h.c.qualification_id == q.c.id))
        .where(q.c.lead_id.between(first_lead, last_lead)).order_by(q.c.id, a.c.id)
    )
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_the_volume_asked_for(engine: sa.Engine, catalog: Catalog) -> None:
    report = seed(engine, catalog, 600)
    assert report.leads == count(engine, Lead) == 600
    assert report.qualifications == count(engine, Qualification) == 600
    assert report.answers == count(engine, AnswerEntry)
    # Four to eight questions per framework; a few qualifications are paused halfway.
    assert 4 * 540 <= report.answers <= 8 * 600
    assert report.verdicts == count(engine, VerdictRecord) >= 540


def test_the_same_seed_gives_the_same_history_and_another_seed_does_not(
        engine: sa.Engine, catalog: Catalog) -> None:
    seed(engine, catalog, 200)
    seed(engine, catalog, 200, now=NOW + dt.timedelta(hours=5))  # later the same day
    seed(engine, catalog, 200, number=8)
    first, again, other = (history(engine, n, n + 199) for n in (1, 201, 401))
    assert first == again
    assert len(first) > 800
    assert first != other


def test_the_history_reads_like_a_sales_pipeline(engine: sa.Engine, catalog: Catalog) -> None:
    seed(engine, catalog, 1000)
    figures = summarise(uow=UnitOfWork(engine), period=YEAR).figures
    with session_scope(engine) as session:
        frameworks = session.execute(sa.select(Qualification.framework).distinct()).scalars()
        assert set(frameworks) == set(catalog.frameworks)
    assert 0.33 <= (figures.srl_rate or 0) <= 0.47
    assert figures.handoffs == figures.sales_ready
    assert 0 < (figures.claim_median_seconds or 0) < (figures.claim_p90_seconds or 0) < 86400
    assert 0 < figures.escalations < figures.reminders < figures.claimed
    assert 0.65 <= (figures.acceptance_rate or 0) <= 0.9
    assert len(figures.top_rejection_reasons) == 3
    assert 0 < figures.won < figures.opportunities < figures.sales_ready


def test_nothing_happens_after_now(engine: sa.Engine, catalog: Catalog) -> None:
    seed(engine, catalog, 300)
    after = summarise(uow=UnitOfWork(engine), period=Period(label="after", start=NOW,
                                                            end=NOW + dt.timedelta(days=400)))
    assert after.figures.qualified == after.figures.claimed == after.figures.opportunities == 0


def test_progress_is_told_of_every_batch_added(engine: sa.Engine, catalog: Catalog,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_module, "CHUNK", 40)
    told: list[int] = []

    seed_history(uow=UnitOfWork(engine), catalog=catalog, leads=100, now=NOW,
                 progress=told.append)

    assert told == [40, 40, 20]


def test_no_leads_is_refused_naming_the_option(engine: sa.Engine, catalog: Catalog) -> None:
    with pytest.raises(SeedError, match="--leads: expected a number of leads of 1 or more"):
        seed(engine, catalog, 0)


@pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)
def test_the_command_upgrades_and_fills_the_database(
        empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    result = CliRunner().invoke(app, ["seed", "--leads", "50", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "50 leads" in result.output
    refused = CliRunner().invoke(app, ["seed", "--leads", "-1"])
    assert refused.exit_code == 1
    assert "--leads: expected a number of leads of 1 or more, got -1" in refused.output
