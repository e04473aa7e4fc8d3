"""Every figure of a pipeline summary over a small known history, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session

from baton.domain.periods import parse_period
from baton.services.pipeline import BdrRow, Figures, Summary, summarise
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import session_scope
from baton.store.tables import (
    Handoff,
    HandoffStatus,
    Lead,
    Outcome,
    OutcomeKind,
    Qualification,
    QualificationStatus,
    VerdictRecord,
)
from baton.store.verdicts import put_in_force

A, B = "U0BDRA001", "U0BDRB001"
REP = "U0REP0001"
NOW = dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC)  # a Wednesday; "this week" starts Monday 13th


def at(day: int, hour: int = 10, minute: int = 0, second: float = 0) -> dt.datetime:
    """A moment in January 2025, UTC."""
    return dt.datetime(2025, 1, day, hour, minute, tzinfo=dt.UTC) + dt.timedelta(seconds=second)


def qualify(session: Session, bdr: str, finished: dt.datetime | None, *verdicts: bool) -> int:
    """A qualification finished at `finished` with its verdicts in order, the last one standing."""
    lead = Lead(company=f"Lead {bdr} {finished}")
    session.add(lead)
    session.flush()
    status = QualificationStatus.FINISHED if finished else QualificationStatus.IN_PROGRESS
    qualification = Qualification(lead_id=lead.id, bdr_user_id=bdr, team_id="T0TEAM001",
                                  framework="bant", status=status, finished_at=finished)
    session.add(qualification)
    session.flush()
    for ready in verdicts:
        put_in_force(session, qualification, VerdictRecord(
            qualification_id=qualification.id, sales_ready=ready, score=50,
            definition_version="2025.1", framework="bant", decided_at=finished))
        session.flush()
    assert qualification.id is not None
    return qualification.id


def hand_off(session: Session, qid: int, created: dt.datetime, claimed_after: float | None = None,
             **fields: object) -> int:
    """A handoff of qualification `qid`, claimed `claimed_after` seconds after its card."""
    qualification = session.get(Qualification, qid)
    assert qualification is not None
    claimed = None if claimed_after is None else created + dt.timedelta(seconds=claimed_after)
    fields.setdefault("status", HandoffStatus.CLAIMED if claimed else HandoffStatus.POSTED)
    handoff = Handoff(qualification_id=qid, lead_id=qualification.lead_id,
                      bdr_user_id=qualification.bdr_user_id, channel="C0SALES01",
                      created_at=created, claimed_at=claimed, claimed_by=REP if claimed else None,
                      **fields)
    session.add(handoff)
    session.flush()
    assert handoff.id is not None
    return handoff.id


def decide(status: HandoffStatus, when: dt.datetime,
           reason: str | None = None) -> dict[str, object]:
    return {"status": status, "decided_at": when, "decided_by": REP, "reject_reason": reason}


def record(session: Session, handoff_id: int, kind: OutcomeKind, when: dt.datetime) -> None:
    session.add(Outcome(handoff_id=handoff_id, kind=kind, recorded_by=REP, recorded_at=when))


@pytest.fixture
def history(engine: sa.Engine) -> sa.Engine:
    """Two BDRs' week of 13 January 2025, the week before, and older noise."""
    with session_scope(engine) as s:
        q1 = qualify(s, A, at(13), True)
        q2 = qualify(s, A, at(14), True)
        qualify(s, A, at(14), False)
        qualify(s, A, at(15), True, False)  # re-judged: the last verdict stands
        qualify(s, A, None)  # still in progress
        q6 = qualify(s, B, at(15, 9), True)
        qualify(s, B, at(16), False)
        q8 = qualify(s, A, at(12, 20), True)
        qualify(s, B, at(7), False)
        q10 = qualify(s, A, at(8), True)
        qualify(s, A, dt.datetime(2024, 12, 1, tzinfo=dt.UTC), True)
        h1 = hand_off(s, q1, at(13, 11), 60.5, **decide(HandoffStatus.ACCEPTED, at(13, 12)))
        hand_off(s, q2, at(14, 11), 300, **decide(HandoffStatus.REJECTED, at(14, 12), "no_budget"))
        hand_off(s, q6, at(15, 9, 30), 120, reminded_at=at(15, 9, 45), escalated_at=at(15, 9, 50),
                 **decide(HandoffStatus.REJECTED, at(15, 11), "not_a_fit"))
        hand_off(s, q8, at(12, 23, 50), 1200, reminded_at=at(13, 0, 5),
                 **decide(HandoffStatus.REJECTED, at(13, 9), "no_budget"))
        h10 = hand_off(s, q10, at(8, 11), 90, **decide(HandoffStatus.ACCEPTED, at(8, 12)))
        record(s, h1, OutcomeKind.MEETING_HELD, at(14))
        record(s, h1, OutcomeKind.OPPORTUNITY_CREATED, at(15))
        record(s, h1, OutcomeKind.WON, at(15, 11))
        record(s, h10, OutcomeKind.OPPORTUNITY_CREATED, at(9))
    return engine


def summary_of(engine: sa.Engine, bdrs: list[str] | None = None) -> Summary:
    with freeze_time(NOW):
        period = parse_period("this week", now=dt.datetime.now(dt.UTC), tz="UTC")
    return summarise(uow=UnitOfWork(engine), period=period, bdr_user_ids=bdrs)


def test_every_figure_of_the_week_for_the_whole_team(history: sa.Engine) -> None:
    summary = summary_of(history)
    assert summary.period.start == at(13, 0)
    assert summary.figures == Figures(
        qualified=6, sales_ready=3, srl_rate=0.5, handoffs=3, claimed=4,
        claim_median_seconds=210.0, claim_p90_seconds=930.0, reminders=2, escalations=1,
        accepted=1, rejected=3, acceptance_rate=0.25,
        top_rejection_reasons=(("no budget", 2), ("not a fit", 1)),
        opportunities=1, won=1, srl_to_opportunity=1 / 3, opportunity_to_won=1.0,
    )


def test_the_week_before_is_compared_with_the_same_figures(history: sa.Engine) -> None:
    assert summary_of(history).previous == Figures(
        qualified=3, sales_ready=2, srl_rate=2 / 3, handoffs=2, claimed=1,
        claim_median_seconds=90.0, claim_p90_seconds=90.0, reminders=0, escalations=0,
        accepted=1, rejected=0, acceptance_rate=1.0, top_rejection_reasons=(),
        opportunities=1, won=0, srl_to_opportunity=0.5, opportunity_to_won=0.0,
    )


def test_a_row_per_bdr_busiest_first(history: sa.Engine) -> None:
    assert summary_of(history).bdrs == (
        BdrRow(bdr_user_id=A, qualified=4, srl_rate=0.5, acceptance_rate=1 / 3,
               sales_ready=2, accepted=1, rejected=2),
        BdrRow(bdr_user_id=B, qualified=2, srl_rate=0.5, acceptance_rate=0.0,
               sales_ready=1, accepted=0, rejected=1),
    )


def test_a_bdr_sees_only_their_own_numbers(history: sa.Engine) -> None:
    summary = summary_of(history, [B])
    assert summary.figures == Figures(
        qualified=2, sales_ready=1, srl_rate=0.5, handoffs=1, claimed=1,
        claim_median_seconds=120.0, claim_p90_seconds=120.0, reminders=1, escalations=1,
        accepted=0, rejected=1, acceptance_rate=0.0, top_rejection_reasons=(("not a fit", 1),),
        opportunities=0, won=0, srl_to_opportunity=0.0, opportunity_to_won=None,
    )
    assert [row.bdr_user_id for row in summary.bdrs] == [B]
    assert summary.previous.qualified == 1
    assert summary.previous.handoffs == 0


def test_an_empty_scope_sees_nothing_at_all(history: sa.Engine) -> None:
    summary = summary_of(history, [])
    assert summary.figures.qualified == summary.figures.handoffs == summary.figures.won == 0
    assert summary.figures.claim_median_seconds is None
    assert summary.bdrs == ()


def test_an_empty_database_has_zero_counts_and_no_rates(engine: sa.Engine) -> None:
    figures = summary_of(engine).figures
    assert (figures.qualified, figures.claimed, figures.opportunities) == (0, 0, 0)
    assert figures.srl_rate is figures.acceptance_rate is figures.claim_p90_seconds is None
