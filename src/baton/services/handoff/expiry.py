"""An assigned lead its rep has not accepted by its deadline (the SLA's accept deadline, else
its claim deadline) moves on, once, however many processes tick: to the next rep of its rule's
rotation, else back to the channel for a claim."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.definition import Definition
from baton.domain.lifecycle import HandoffStatus
from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff.assign import GroupMembers, next_after, no_groups
from baton.services.handoff.card import CardPresenter, card_key, enqueue_update, rows_of
from baton.services.outbox import THREAD_OF, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Handoff, OutboxMessage

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


def move_expired_assignments(*, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter,
                             now: dt.datetime, members_of: GroupMembers = no_groups) -> list[int]:
    """Move on each assigned lead not accepted by its claim deadline; the handoffs moved."""
    # Due at the accept deadline when the SLA times acceptance, else at the claim deadline. The
    # reminder's timer marks the move: it fires once per handoff, as the reminder does.
    deadline = sa.func.coalesce(_HANDOFF.c.accept_by, _HANDOFF.c.claim_by)
    due = (_HANDOFF.c.assigned_to.is_not(None), _HANDOFF.c.assigned_to == _HANDOFF.c.claimed_by,
           _HANDOFF.c.status == HandoffStatus.CLAIMED, deadline <= now,
           _HANDOFF.c.reminded_at.is_(None))
    moved = []
    with uow.writing() as session:
        definition = definition_in_force(session=session, catalog=catalog)
        _remind_assignees(session, definition, now)
        for handoff_id in session.execute(sa.select(_HANDOFF.c.id).where(*due)
                                          .order_by(_HANDOFF.c.id)).scalars().all():
            # The repeated condition: another process that moved it since changes nothing here.
            if rows_changed(session, sa.update(_HANDOFF).where(_HANDOFF.c.id == handoff_id, *due)
                            .values(reminded_at=now)) != 1:
                continue
            _move_on(session, handoff_id, definition, presenter, members_of, now)
            moved.append(handoff_id)
    return moved


def _remind_assignees(session: Session, definition: Definition, now: dt.datetime) -> None:
    """Past the claim deadline and before the accept deadline, the rep holding an assigned lead
    is reminded in the card's thread, by name, once."""
    key = sa.literal("remind:") + sa.cast(_HANDOFF.c.id, sa.String)
    waiting = session.execute(sa.select(_HANDOFF.c.id, _HANDOFF.c.claimed_by,
                                        _HANDOFF.c.accept_by, _HANDOFF.c.channel,
                                        _HANDOFF.c.routing_rule).where(
        _HANDOFF.c.assigned_to.is_not(None), _HANDOFF.c.assigned_to == _HANDOFF.c.claimed_by,
        _HANDOFF.c.status == HandoffStatus.CLAIMED, _HANDOFF.c.claim_by <= now,
        _HANDOFF.c.accept_by > now, _HANDOFF.c.reminded_at.is_(None),
        ~sa.exists().where(_OUTBOX.c.dedupe_key == key))).all()
    for handoff_id, rep, accept_by, channel, rule in waiting:
        zone = ZoneInfo(definition.sla_for(rule).timezone)
        enqueue(session=session, kind="chat.postMessage", dedupe_key=f"remind:{handoff_id}",
                payload={"channel": channel, THREAD_OF: card_key(handoff_id), "text": (
                    f":alarm_clock: <@{rep}>, this lead is waiting for you to accept it: "
                    f"unless you do by {accept_by.astimezone(zone):%a %H:%M %Z}, it moves to "
                    "the next rep.")})


def _move_on(session: Session, handoff_id: int, definition: Definition,
             presenter: CardPresenter, members_of: GroupMembers, now: dt.datetime) -> None:
    handoff, _, lead = rows_of(session, handoff_id)
    old = handoff.claimed_by or ""
    pick = next_after(session=session, handoff=handoff, definition=definition,
                      members_of=members_of, now=now)
    new = pick.user if pick is not None else None
    if new is not None:
        values = {"claimed_by": new, "claimed_at": now, "assigned_to": new,
                  "assigned_by": "round_robin", "assigned_at": now, "accept_by": None}
        said = f"it moves to <@{new}>, next in the round robin."
    else:
        values = {"status": HandoffStatus.RELEASED, "claimed_by": None, "claimed_at": None,
                  "assigned_to": None, "assigned_by": None, "assigned_at": None,
                  "accept_by": None}
        said = "nobody else in its rotation can take it, so the first rep to claim it owns it."
    session.execute(sa.update(_HANDOFF).where(_HANDOFF.c.id == handoff_id).values(**values))
    record_event(session, actor="baton", kind="handoff.moved", subject_type="handoff",
                 subject_id=handoff_id, payload={"from": old, "to": new})
    enqueue_update(session=session, handoff_id=handoff_id, presenter=presenter)
    company = _escape(lead.company)
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"moved:{handoff_id}",
            payload={"channel": handoff.channel, THREAD_OF: card_key(handoff_id),
                     "text": f":alarm_clock: <@{old}> did not accept this lead in time: {said}"})
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"moved-told:{handoff_id}",
            payload={"channel": old, "text": (
                f":alarm_clock: *{company}* was not accepted in time, so it is no longer yours: "
                + ("it went to the next rep in the round robin." if new else
                   "it is back in the channel for anyone to claim."))})


def _escape(text: str) -> str:
    # A company named "<!channel>" must read as text and ping nobody.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
