"""What-if replay: a proposed definition judges a period's stored qualifications again, storing
nothing; the leads that flip, the rule that flipped each, and what they became, exactly."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session, func, select

from baton.services.catalog import Catalog
from baton.services.handoff import queue_pending_cards, reject_card
from baton.services.handoff.claims import accept, claim, record_outcome
from baton.services.pipeline.whatif import what_if
from baton.services.qualification import Judged
from baton.services.unit_of_work import UnitOfWork
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.tables import VerdictRecord
from tests.services.conftest import STRONG_BANT, StartFn, acme, click
from tests.services.handoff.test_follow_up import SAM, act, at

CARDS = HandoffViews(Renderer())
# Sales-ready today with a score of 90 (budget planned, not approved); 100 for STRONG_BANT.
PLANNED = {**STRONG_BANT, "budget": "planned"}
WEAK = {**STRONG_BANT, "need": "none"}


def stricter(catalog: Catalog, min_score: int) -> Catalog:
    rules = dict(catalog.definition.frameworks)
    rules["bant"] = rules["bant"].model_copy(update={"min_score": min_score})
    return dataclasses.replace(catalog, definition=catalog.definition.model_copy(
        update={"frameworks": rules, "version": "2027-Q1.1"}))


def judged(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str,
           answers: dict[str, str]) -> Judged:
    step = start(acme(company=company, email=f"jo@{company.lower()}.example"))
    with freeze_time(at(0)):
        for key, choice in answers.items():
            move = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(move, Judged)
    return move


def replay(engine: sa.Engine, proposed: Catalog) -> object:
    return what_if(uow=UnitOfWork(engine), proposed=proposed, since=at(-60), until=at(600))


def test_a_stricter_minimum_drops_the_leads_below_it_and_says_what_they_became(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    won = judged(engine, catalog, start, "Globex", STRONG_BANT)
    rejected = judged(engine, catalog, start, "Initech", PLANNED)
    judged(engine, catalog, start, "Umbrella", PLANNED)
    judged(engine, catalog, start, "Hooli", WEAK)
    queue_pending_cards(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS)
    for move in (won, rejected):
        act(engine, 5, claim, handoff_id=move.handoff_id, rep_user_id=SAM)
    act(engine, 6, accept, handoff_id=won.handoff_id, rep_user_id=SAM)
    act(engine, 90, record_outcome, handoff_id=won.handoff_id, rep_user_id=SAM, kind="won")
    with freeze_time(at(10)):
        reject_card(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS,
                    handoff_id=rejected.handoff_id, rep_user_id=SAM, reason="no_budget",
                    comment="")
    with Session(engine) as session:
        verdicts_before = session.exec(select(func.count()).select_from(VerdictRecord)).one()

    result = replay(engine, stricter(catalog, 95))

    assert (result.judged, result.ready_before, result.ready_after) == (4, 3, 1)  # type: ignore[attr-defined]
    flips = {flip.company: flip for flip in result.flips}  # type: ignore[attr-defined]
    assert sorted(flips) == ["Initech", "Umbrella"]
    assert (flips["Initech"].old_score, flips["Initech"].new_score) == (90, 90)
    assert flips["Initech"].why == "score 90 is below the minimum of 95"
    assert flips["Initech"].old_version == catalog.definition.version
    assert (flips["Initech"].became, flips["Umbrella"].became) == (
        "rejected: no budget", "waiting for sales")
    assert result.sentence() == (  # type: ignore[attr-defined]
        "This change would have dropped 2 leads, 1 of them rejected by sales, and kept every "
        "won deal; it would have added 0.")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(VerdictRecord)).one() == (
            verdicts_before)


def test_a_looser_minimum_adds_leads_and_the_same_definition_flips_none(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    judged(engine, catalog, start, "Globex", STRONG_BANT)
    judged(engine, catalog, start, "Hooli", WEAK)

    same = replay(engine, catalog)
    looser_rules = dict(catalog.definition.frameworks)
    looser_rules["bant"] = looser_rules["bant"].model_copy(update={"must_meet": ("authority",)})
    looser = dataclasses.replace(catalog, definition=catalog.definition.model_copy(
        update={"frameworks": looser_rules}))
    added = replay(engine, looser)

    assert same.flips == []  # type: ignore[attr-defined]
    assert [(f.company, f.new_ready, f.became) for f in added.flips] == [  # type: ignore[attr-defined]
        ("Hooli", True, "never handed off")]
    assert added.sentence().endswith("it would have added 1.")  # type: ignore[attr-defined]


def test_only_the_period_is_judged(engine: sa.Engine, catalog: Catalog,
                                   start: StartFn) -> None:
    judged(engine, catalog, start, "Globex", PLANNED)
    later = what_if(uow=UnitOfWork(engine), proposed=stricter(catalog, 95),
                    since=at(60 * 24), until=at(60 * 48))
    assert (later.judged, later.flips) == (0, [])


def test_requiring_budget_over_the_seeded_year_drops_leads_that_won_as_often(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    import datetime as dt

    from baton.services.seed import seed_history

    now = dt.datetime(2025, 6, 1, 15, 30, tzinfo=dt.UTC)
    seed_history(uow=UnitOfWork(engine), catalog=catalog, leads=3000, seed=11, now=now)
    rules = dict(catalog.definition.frameworks)
    rules["bant"] = rules["bant"].model_copy(update={"must_meet": ("need", "authority",
                                                                   "budget")})
    budget_required = dataclasses.replace(catalog, definition=catalog.definition.model_copy(
        update={"frameworks": rules, "version": "2027-Q1.1"}))

    result = what_if(uow=UnitOfWork(engine), proposed=budget_required,
                     since=now - dt.timedelta(days=366), until=now)

    dropped = result.dropped
    assert (result.judged, result.ready_before, result.ready_after) == (2845, 1270, 1203)
    assert (len(dropped), result.added) == (67, [])
    assert {flip.why for flip in dropped} == {"Budget must be met (No budget)",
                                              "Budget must be met (Don't know)"}
    assert result.became(dropped).most_common(3) == [("meeting held", 21), ("won", 13),
                                                      ("lost", 9)]
    assert result.sentence() == ("This change would have dropped 67 leads, 15 of them rejected "
                                 "by sales, and dropped 13 won deals; it would have added 0.")
