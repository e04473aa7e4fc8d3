"""A manager acting on any card: reassigning the lead to a rep of their choosing, or releasing
it back to the channel; both recorded, shown on the card and said in its thread."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.errors import HandoffClosed, NotAManager, Refusal
from baton.domain.lifecycle import HandoffStatus
from baton.services.handoff.card import (
    CardPresenter,
    card_key,
    enqueue_update,
    rows_of,
)
from baton.services.handoff.claims import CLAIMABLE, ActionResult, load_handoff
from baton.services.handoff.news import tell_bdr
from baton.services.outbox import THREAD_OF, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Handoff
from baton.store.types import utcnow

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
# A lead a manager can still give to someone: not decided against, not withdrawn.
REASSIGNABLE = (*CLAIMABLE, HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED)


@dataclass(frozen=True)
class ManagedCard:
    """The card a manager is about to act on."""

    handoff_id: int
    company: str
    owner: str | None


def managed_card(*, uow: UnitOfWork, handoff_id: int, manager: bool,
                 action: str = "reassign a lead") -> ManagedCard:
    """The card for a manager's modal; NotAManager for anyone else."""
    if not manager:
        raise NotAManager(action)
    with uow.reading() as session:
        handoff, _, lead = rows_of(session, handoff_id)
        if handoff.status not in REASSIGNABLE:
            raise HandoffClosed(f"This lead is {handoff.status}; it can no longer be reassigned.")
        return ManagedCard(handoff_id, lead.company, handoff.claimed_by)


def reassign_card(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                  manager_user_id: str, manager: bool, to_user: str) -> ActionResult:
    """Give the lead to `to_user`, who accepts or releases it as if round robin had; the card
    and its thread say who did it."""
    if not manager:
        raise NotAManager("reassign a lead")
    if not to_user.startswith(("U", "W")):
        raise Refusal("Pick the person to give the lead to.")
    now = utcnow()
    with uow.writing() as session:
        before = load_handoff(session, handoff_id)
        if before.claimed_by == to_user and before.status == HandoffStatus.CLAIMED:
            return ActionResult(handoff_id, HandoffStatus.CLAIMED, changed=False)
        moved = rows_changed(session, sa.update(_HANDOFF).where(
            _HANDOFF.c.id == handoff_id, _HANDOFF.c.status.in_(REASSIGNABLE)).values(
            status=HandoffStatus.CLAIMED, claimed_by=to_user, claimed_at=now,
            assigned_to=to_user, assigned_by=manager_user_id, assigned_at=now,
            decided_by=None, decided_at=None, accept_by=None, accepted_at=None, contact_by=None)
        ) == 1
        if not moved:
            raise HandoffClosed(f"This lead is {before.status}; it can no longer be reassigned.")
        record_event(session, actor=manager_user_id, kind="handoff.reassigned",
                     subject_type="handoff", subject_id=handoff_id,
                     payload={"from": before.claimed_by, "to": to_user})
        enqueue_update(session=session, handoff_id=handoff_id, presenter=presenter)
        note = presenter.assigned_notice(user=to_user, how=manager_user_id, skipped=[])
        _in_thread(session, handoff_id, note.as_kwargs())
        tell_bdr(session=session, handoff_id=handoff_id, presenter=presenter, what="reassigned",
                 who=to_user, how=manager_user_id)
        return ActionResult(handoff_id, HandoffStatus.CLAIMED, changed=True)


def release_by_manager(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                       manager_user_id: str, manager: bool) -> ActionResult:
    """Take the lead back from its owner for the channel to claim; the card says who did."""
    if not manager:
        raise NotAManager("release a lead someone holds")
    with uow.writing() as session:
        released = rows_changed(session, sa.update(_HANDOFF).where(
            _HANDOFF.c.id == handoff_id,
            _HANDOFF.c.status.in_((HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED))).values(
            status=HandoffStatus.RELEASED, claimed_by=None, claimed_at=None, assigned_to=None,
            assigned_by=None, assigned_at=None, decided_by=None, decided_at=None, accept_by=None,
            accepted_at=None, contact_by=None)) == 1
        if not released:
            handoff = load_handoff(session, handoff_id)
            if handoff.status == HandoffStatus.RELEASED:
                return ActionResult(handoff_id, HandoffStatus.RELEASED, changed=False)
            raise HandoffClosed(f"This lead is {handoff.status}; nobody holds it to release.")
        record_event(session, actor=manager_user_id, kind=f"handoff.{HandoffStatus.RELEASED}",
                     subject_type="handoff", subject_id=handoff_id, payload={"by_manager": True})
        enqueue_update(session=session, handoff_id=handoff_id, presenter=presenter)
        return ActionResult(handoff_id, HandoffStatus.RELEASED, changed=True)


def _in_thread(session: Session, handoff_id: int, message: dict[str, Any]) -> None:
    channel = rows_of(session, handoff_id)[0].channel
    enqueue(session=session, kind="chat.postMessage",
            dedupe_key=f"card-note:{handoff_id}:{uuid.uuid4().hex}",
            payload={"channel": channel, THREAD_OF: card_key(handoff_id), **message})
