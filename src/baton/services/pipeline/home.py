"""Each person's open work for App Home: paused work, verdicts, claims and unclaimed cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.handoff import WaitingCard, set_aside_besides_cards, waiting_cards
from baton.services.handoff.claims import CLAIMABLE
from baton.services.pipeline.summary import Summary, summary_of
from baton.services.qualification.results import PausedItem
from baton.services.qualification.start import paused_of
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff, Lead, Outcome, Qualification, VerdictRecord
from baton.store.types import utcnow

SHOWN = 10
CLOSING = (OutcomeKind.WON, OutcomeKind.LOST)


@dataclass(frozen=True)
class RecentVerdict:
    """A verdict in force given lately: its lead, its BDR, and a manager's override if any."""

    company: str
    sales_ready: bool
    score: int
    decided_at: dt.datetime
    qualification_id: int = 0
    bdr: str = ""
    overridden_by: str | None = None


@dataclass(frozen=True)
class OpenHandoff:
    """A handoff still waiting on someone: its lead, where its card is and its link, since when."""

    handoff_id: int
    company: str
    status: str
    channel: str
    message_ts: str | None
    since: dt.datetime
    permalink: str | None = None


@dataclass(frozen=True)
class OpenWork:
    """What is open for one person; a section is empty (the week None) when it is not theirs.
    Managers also see the cards Slack has not taken, and how many other messages it refused."""

    paused: list[PausedItem]
    verdicts: list[RecentVerdict]
    claims: list[OpenHandoff]
    unclaimed: list[OpenHandoff]
    week: Summary | None = None
    team_verdicts: list[RecentVerdict] = field(default_factory=list)
    undelivered: list[WaitingCard] = field(default_factory=list)
    set_aside: int = 0


def open_work(*, uow: UnitOfWork, catalog: Catalog, user_id: str, manager: bool,
              now: dt.datetime | None = None) -> OpenWork:
    """A person's paused work, verdicts and claims; for managers the week, unclaimed cards and
    what Slack has not taken."""
    with uow.reading() as session:
        return OpenWork(
            paused=paused_of(session=session, catalog=catalog, bdr_user_id=user_id)[:SHOWN],
            verdicts=recent_verdicts(session, user_id),
            claims=open_claims(session, user_id),
            unclaimed=unclaimed(session) if manager else [],
            week=this_week(session, catalog, now or utcnow()) if manager else None,
            team_verdicts=recent_verdicts(session, None) if manager else [],
            undelivered=waiting_cards(session)[:SHOWN] if manager else [],
            set_aside=set_aside_besides_cards(session) if manager else 0,
        )


def this_week(session: Session, catalog: Catalog, now: dt.datetime) -> Summary:
    """The team's figures for this week, in the definition's time zone."""
    period = parse_period("this week", now=now, tz=catalog.definition.sla.timezone)
    return summary_of(session, period, None)


def recent_verdicts(session: Session, user_id: str | None) -> list[RecentVerdict]:
    """The verdicts in force lately, newest first: the BDR's own, or the team's (None)."""
    # A correction or an override supersedes a verdict: one superseded is not shown. Read
    # newest first by decided_at, each checked by its qualification's index, so Home stays fast.
    later = VerdictRecord.__table__.alias("later")  # type: ignore[attr-defined]
    superseded = sa.exists().where(later.c.qualification_id == VerdictRecord.qualification_id,
                                   later.c.id > VerdictRecord.id)
    query = (select(VerdictRecord, Qualification, Lead)
             .join(Qualification, col(Qualification.id) == VerdictRecord.qualification_id)
             .join(Lead, col(Lead.id) == Qualification.lead_id)
             .where(~superseded))
    if user_id is not None:
        query = query.where(Qualification.bdr_user_id == user_id)
    query = query.order_by(col(VerdictRecord.decided_at).desc(), col(VerdictRecord.id).desc())
    return [RecentVerdict(lead.company, verdict.sales_ready, verdict.score, verdict.decided_at,
                          qualification.id or 0, qualification.bdr_user_id,
                          verdict.overridden_by)
            for verdict, qualification, lead in session.exec(query.limit(SHOWN))]


def open_claims(session: Session, user_id: str) -> list[OpenHandoff]:
    """Handoffs the rep claimed and has not accepted, or accepted without a won or lost yet."""
    closed = select(Outcome.handoff_id).where(Outcome.kind.in_(CLOSING))  # type: ignore[attr-defined]
    query = (select(Handoff, Lead).join(Lead, col(Lead.id) == Handoff.lead_id)
             .where(Handoff.claimed_by == user_id,
                    Handoff.status.in_((HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED)),  # type: ignore[attr-defined]
                    Handoff.id.not_in(closed))  # type: ignore[union-attr]
             .order_by(col(Handoff.claimed_at).asc()).limit(SHOWN))
    return [_open(handoff, lead, handoff.claimed_at or handoff.created_at)
            for handoff, lead in session.exec(query)]


def unclaimed(session: Session) -> list[OpenHandoff]:
    """Cards nobody owns, longest waiting first."""
    query = (select(Handoff, Lead).join(Lead, col(Lead.id) == Handoff.lead_id)
             .where(Handoff.status.in_(CLAIMABLE))  # type: ignore[attr-defined]
             .order_by(col(Handoff.created_at).asc(), col(Handoff.id).asc()).limit(SHOWN))
    return [_open(handoff, lead, handoff.created_at) for handoff, lead in session.exec(query)]


def _open(handoff: Handoff, lead: Lead, since: dt.datetime) -> OpenHandoff:
    return OpenHandoff(handoff.id or 0, lead.company, str(handoff.status), handoff.channel,
                       handoff.message_ts, since, handoff.permalink)
