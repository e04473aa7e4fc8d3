"""SLA timers kept in the database: a reminder, then the managers told, each fired exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.domain.sla import SlaDeadlines, deadlines
from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff.card import archive_link, card_key
from baton.services.handoff.claims import CLAIMABLE
from baton.services.outbox import THREAD_OF, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff, Lead

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]


@dataclass
class TickReport:
    """Handoff ids this process scheduled, reminded and escalated in one tick, the
    qualifications whose BDR it reminded of a recheck, and how many waiting cards it retried."""

    scheduled: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    rechecked: list[int] = field(default_factory=list)
    retried: int = 0


def deadlines_for(handed_off_at: dt.datetime, definition: Definition,
                  rule: str | None = None) -> SlaDeadlines:
    """When a handoff made at `handed_off_at` (routed by `rule`) must be claimed, and when it
    escalates, in its team's hours."""
    return deadlines(handed_off_at, definition.sla_for(rule))


def schedule(*, session: Session, handoff_id: int, definition: Definition) -> SlaDeadlines:
    """Set a handoff's deadlines from when it was made, unless they are set already."""
    handoff = session.exec(select(Handoff).where(Handoff.id == handoff_id)
                           .execution_options(populate_existing=True)).one()
    due = deadlines_for(handoff.created_at, definition, handoff.routing_rule)
    session.execute(sa.update(_HANDOFF)
                    .where(_HANDOFF.c.id == handoff_id, _HANDOFF.c.claim_by.is_(None))
                    .values(claim_by=due.claim_by, escalate_at=due.escalate_at))
    session.refresh(handoff)
    return SlaDeadlines(handoff.claim_by or due.claim_by, handoff.escalate_at or due.escalate_at)


def tick_due(*, uow: UnitOfWork, catalog: Catalog, now: dt.datetime,
             managers: Sequence[str] = ()) -> TickReport:
    """Remind and escalate what is due now, by the definition in force."""
    with uow.reading() as session:
        definition = definition_in_force(session=session, catalog=catalog)
    return tick(uow=uow, definition=definition, now=now, managers=managers)


def tick(
    *, uow: UnitOfWork, definition: Definition, now: dt.datetime,
    managers: Sequence[str] = (),
) -> TickReport:
    """Remind and escalate every unclaimed handoff now due, in one transaction."""
    report = TickReport()
    with uow.writing() as session:
        # Claimed ones too: reports count a claim after its deadline as a breach.
        unscheduled = session.execute(sa.select(_HANDOFF.c.id).where(
            _HANDOFF.c.claim_by.is_(None)).order_by(_HANDOFF.c.id)).scalars().all()
        for handoff_id in unscheduled:
            schedule(session=session, handoff_id=handoff_id, definition=definition)
            report.scheduled.append(handoff_id)
        for handoff_id in _fire(session, "reminded_at", "claim_by", now):
            _remind(session, handoff_id, definition)
            report.reminded.append(handoff_id)
        for handoff_id in _fire(session, "escalated_at", "escalate_at", now):
            _escalate(session, handoff_id, definition, managers)
            report.escalated.append(handoff_id)
    return report


def _fire(session: Session, fired: str, due: str, now: dt.datetime) -> list[int]:
    """Mark due timers fired; a row counts only if this transaction's UPDATE changed it."""
    condition = (_HANDOFF.c[fired].is_(None), _HANDOFF.c[due] <= now,
                 _HANDOFF.c.claimed_by.is_(None), _HANDOFF.c.status.in_(CLAIMABLE))
    candidates = session.execute(
        sa.select(_HANDOFF.c.id).where(*condition).order_by(_HANDOFF.c.id)).scalars().all()
    won = []
    for handoff_id in candidates:
        # Another process may have fired it since the read: the repeated condition says so.
        marked = session.execute(sa.update(_HANDOFF).where(_HANDOFF.c.id == handoff_id, *condition)
                                 .values({fired: now}))
        if marked.rowcount == 1:  # type: ignore[attr-defined]
            won.append(handoff_id)
    return won


def _remind(session: Session, handoff_id: int, definition: Definition) -> None:
    handoff, company = _handoff_and_company(session, handoff_id)
    team = definition.team_of(handoff.routing_rule)
    # Someone is notified: the team's user group, when it names one.
    mention = f"<!subteam^{team.mention}> " if team is not None and team.mention else ""
    text = (f":alarm_clock: {mention}{company} is still waiting for a rep: it was due to be "
            f"claimed by {_local(handoff.claim_by, definition, handoff.routing_rule)}. "
            "Claim it above.")
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"remind:{handoff_id}",
            payload={"channel": handoff.channel, "text": text,
                     THREAD_OF: card_key(handoff_id)})


def _escalate(session: Session, handoff_id: int, definition: Definition,
              managers: Sequence[str]) -> None:
    handoff, company = _handoff_and_company(session, handoff_id)
    card = f"<#{handoff.channel}>"
    if handoff.message_ts:
        card = f"<{archive_link(handoff.channel, handoff.message_ts)}|the card>"
    rule = handoff.routing_rule
    text = (f":rotating_light: Nobody has claimed {company}, handed off "
            f"{_local(handoff.created_at, definition, rule)} and due by "
            f"{_local(handoff.claim_by, definition, rule)}. See {card}.")
    # A rule's (or its team's) own managers hear of its cards; BATON_MANAGERS of the others.
    for manager in definition.managers_for(rule) or managers:
        enqueue(session=session, kind="chat.postMessage",
                dedupe_key=f"escalate:{handoff_id}:{manager}",
                payload={"channel": manager, "text": text})


def _handoff_and_company(session: Session, handoff_id: int) -> tuple[Handoff, str]:
    handoff, lead = session.exec(
        select(Handoff, Lead).join(Lead, Lead.id == Handoff.lead_id)  # type: ignore[arg-type]
        .where(Handoff.id == handoff_id).execution_options(populate_existing=True)).one()
    return handoff, _escape(lead.company)


def _escape(text: str) -> str:
    # A company named "<!channel>" must read as text and ping nobody.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _local(moment: dt.datetime | None, definition: Definition, rule: str | None) -> str:
    if moment is None:
        return "an unknown time"
    zone = ZoneInfo(definition.sla_for(rule).timezone)
    return moment.astimezone(zone).strftime("%a %H:%M %Z")
