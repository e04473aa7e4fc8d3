"""Verdicts after the questions: corrections, overrides, the handoff following them, and how
they are counted; each service in its own unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.errors import NotAManager, QualificationError
from baton.domain.lifecycle import HandoffStatus, VerdictCause
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.handoff import Effect, queue_pending_cards
from baton.services.pipeline import summarise
from baton.services.qualification import FormAnswer, Judged
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts import (
    NOTHING_CHANGED,
    Corrected,
    correct_answers,
    correction_form,
    override_verdict,
)
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.tables import AnswerEntry, Handoff, VerdictRecord
from baton.store.types import utcnow
from tests.services.conftest import BDR, STRONG_BANT, StartFn, acme, click, use

CARDS = HandoffViews(Renderer())
MANAGER = "U0MAX00001"
WEAK_BANT = {**STRONG_BANT, "need": "none"}


def judged(engine: sa.Engine, catalog: Catalog, start: StartFn, answers: dict[str, str],
           company: str = "Acme Corp") -> Judged:
    step = start(acme(company=company))
    for key, choice in answers.items():
        move = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(move, Judged)
    return move


def corrected(engine: sa.Engine, catalog: Catalog, qid: int,
              answers: dict[str, FormAnswer]) -> Corrected:
    return use(engine, correct_answers, catalog=catalog, presenter=CARDS, qualification_id=qid,
               bdr_user_id=BDR, answers=answers, default_channel="C0SALES001")


def chosen(answers: dict[str, str]) -> dict[str, FormAnswer]:
    return {key: FormAnswer(choice=choice) for key, choice in answers.items()}


def overridden(engine: sa.Engine, catalog: Catalog, qid: int, sales_ready: bool,
               manager: bool = True) -> object:
    return use(engine, override_verdict, catalog=catalog, presenter=CARDS, qualification_id=qid,
               manager_user_id=MANAGER, manager=manager, sales_ready=sales_ready,
               reason="strategic account")


def handoff_of(engine: sa.Engine, qid: int) -> Handoff:
    with Session(engine) as session:
        return session.exec(select(Handoff).where(Handoff.qualification_id == qid)).one()


def test_typed_answers_come_back_as_read_and_an_untouched_form_changes_nothing(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    step = start(acme())
    qid = step.qualification_id
    click(engine, catalog, qid, "budget", typed="$120k")
    for key in ("authority", "need"):
        click(engine, catalog, qid, key, STRONG_BANT[key])
    click(engine, catalog, qid, "timeline", typed="2027-03-01")

    form = use(engine, correction_form, catalog=catalog, qualification_id=qid, bdr_user_id=BDR)
    untouched = {key: FormAnswer(choice=a.choice, typed=a.typed) for key, a in
                 form.answers.items()}

    assert (form.answers["budget"].typed, form.answers["timeline"].typed) == (
        "$120k", "2027-03-01")
    with pytest.raises(QualificationError, match="No answer changed"):
        corrected(engine, catalog, qid, untouched)
    assert NOTHING_CHANGED.startswith("No answer changed")


def test_an_emptied_answer_is_kept_superseded_and_the_lead_withdrawn(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    qid = judged(engine, catalog, start, STRONG_BANT).qualification_id

    result = corrected(engine, catalog, qid, chosen({k: v for k, v in STRONG_BANT.items()
                                                     if k != "authority"}))

    assert result.changed == ("Authority",)
    assert result.followed.effect == Effect.WITHDRAWN
    authority = next(c for c in result.judged.verdict.criteria if c.key == "authority")
    assert str(authority.status) == "unknown"
    with Session(engine) as session:
        rows = session.exec(select(AnswerEntry).where(AnswerEntry.qualification_id == qid,
                                                      AnswerEntry.criterion_key == "authority"))
        assert [row.is_current for row in rows] == [False]
        causes = session.exec(select(VerdictRecord.cause).where(
            VerdictRecord.qualification_id == qid).order_by(VerdictRecord.id)).all()
    assert causes == [VerdictCause.JUDGED, VerdictCause.CORRECTED]
    assert handoff_of(engine, qid).status == HandoffStatus.WITHDRAWN


def test_a_withdrawn_lead_sales_ready_again_is_offered_again_with_its_sla_from_now(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    qid = judged(engine, catalog, start, STRONG_BANT).qualification_id
    queue_pending_cards(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS)
    corrected(engine, catalog, qid, chosen(WEAK_BANT))
    before = utcnow()

    result = corrected(engine, catalog, qid, chosen(STRONG_BANT))

    handoff = handoff_of(engine, qid)
    assert result.followed.effect == Effect.REINSTATED
    assert handoff.status == HandoffStatus.PENDING
    assert handoff.claim_by is not None
    assert handoff.claim_by > before


def test_a_correction_after_an_override_keeps_the_managers_call(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    qid = judged(engine, catalog, start, WEAK_BANT).qualification_id
    overridden(engine, catalog, qid, sales_ready=True)

    result = corrected(engine, catalog, qid, chosen({**WEAK_BANT, "budget": "planned"}))

    assert result.judged.verdict.sales_ready
    assert result.judged.override is not None
    assert result.judged.override.by == MANAGER
    assert result.followed.effect == Effect.UPDATED


def test_an_override_needs_a_manager_and_a_verdict_to_change(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    qid = judged(engine, catalog, start, STRONG_BANT).qualification_id

    with pytest.raises(NotAManager):
        overridden(engine, catalog, qid, sales_ready=False, manager=False)
    with pytest.raises(QualificationError, match="already sales-ready"):
        overridden(engine, catalog, qid, sales_ready=True)


def test_the_pipeline_counts_sales_ready_by_the_definition_and_by_override_apart(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    judged(engine, catalog, start, STRONG_BANT, "Acme")
    made_ready = judged(engine, catalog, start, WEAK_BANT, "Globex").qualification_id
    made_not = judged(engine, catalog, start, STRONG_BANT, "Initech").qualification_id
    overridden(engine, catalog, made_ready, sales_ready=True)
    overridden(engine, catalog, made_not, sales_ready=False)

    today = parse_period("today", now=utcnow(), tz="UTC")
    figures = summarise(uow=UnitOfWork(engine), period=today).figures

    assert (figures.qualified, figures.sales_ready) == (3, 2)
    assert (figures.sales_ready_by_definition, figures.sales_ready_by_override) == (1, 1)
    assert figures.not_ready_by_override == 1
