"""Managers, a team channel and a known history of leads in March 2026, for pipeline and Home."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

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

LEAD = "U0LEAD0001"  # a manager named directly
BOSS = "U0BOSS0001"  # a manager through the user group
BOSS2 = "U0BOSS0002"  # another manager through the same user group
GROUP = "S0MANAGERS"
ANA, BEN = "U0ANA00001", "U0BEN00001"  # BDRs
REP = "U0REP00001"
MARCH = "2026-03-01 to 2026-03-31"
EMEA = "C0EMEA0001"  # a team channel: the managers, a rep, and Ana after a page or two of others
EMEA_MEMBERS = [LEAD, REP, *(f"U0PEER{n:04d}" for n in range(450)), ANA, "U0BATON"]


def at(day: int, month: int = 3, hour: int = 15) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Past:
    """One lead's history: who qualified it, when, and what became of it."""

    company: str
    bdr: str
    finished: dt.datetime
    ready: bool
    claimed_by: str | None = None
    status: HandoffStatus = HandoffStatus.POSTED
    outcomes: tuple[OutcomeKind, ...] = ()


HISTORY = [
    # March: Ana qualifies three, two sales-ready; one is claimed within 10 minutes and won.
    Past("Acme Corp", ANA, at(3), True, REP, HandoffStatus.ACCEPTED,
         (OutcomeKind.OPPORTUNITY_CREATED, OutcomeKind.WON)),
    Past("Globex", ANA, at(4), True),
    Past("Initech", ANA, at(5), False),
    Past("Umbrella", BEN, at(6), False),
    # February: one lead of Ana's, the period before March.
    Past("Hooli", ANA, at(10, month=2), False),
]


def seed(engine: sa.Engine, history: list[Past]) -> None:
    """Write each lead's qualification, verdict, handoff and outcomes as they happened."""
    with Session(engine) as session:
        for past in history:
            lead = Lead(company=past.company, created_at=past.finished)
            session.add(lead)
            session.flush()
            q = Qualification(lead_id=lead.id, bdr_user_id=past.bdr, team_id="T0FAKE",
                              framework="bant", status=QualificationStatus.FINISHED,
                              started_at=past.finished, finished_at=past.finished)
            session.add(q)
            session.flush()
            put_in_force(session, q, VerdictRecord(
                qualification_id=q.id, sales_ready=past.ready, score=90 if past.ready else 30,
                definition_version="1", framework="bant", decided_at=past.finished))
            if past.ready:
                seed_handoff(session, past, lead.id or 0, q.id or 0)
        session.commit()


def seed_handoff(session: Session, past: Past, lead_id: int, qualification_id: int) -> None:
    claimed_at = past.finished + dt.timedelta(minutes=10) if past.claimed_by else None
    handoff = Handoff(qualification_id=qualification_id, lead_id=lead_id, bdr_user_id=past.bdr,
                      channel="C0SALES",
                      message_ts="1.0", status=past.status, created_at=past.finished,
                      claimed_by=past.claimed_by, claimed_at=claimed_at,
                      decided_by=past.claimed_by, decided_at=claimed_at)
    session.add(handoff)
    session.flush()
    for kind in past.outcomes:
        session.add(Outcome(handoff_id=handoff.id or 0, kind=kind, recorded_by=past.claimed_by,
                            recorded_at=past.finished + dt.timedelta(days=1)))
