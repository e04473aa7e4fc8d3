"""A handoff following its lead's verdict when the verdict changes after the questions: a
correction or an override hands the lead off, updates its card, withdraws it or offers it again,
and the rep who owns it is told in the card's thread. Each change is queued in the caller's
transaction, so it reaches Slack once, whatever Slack does."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.domain.lifecycle import HandoffStatus, VerdictCause
from baton.domain.verdict import CriterionResult, Verdict
from baton.services.catalog import Catalog
from baton.services.handoff import sla
from baton.services.handoff.card import (
    CardPresenter,
    card_key,
    enqueue_card_update,
    shown_card,
    state_of,
)
from baton.services.handoff.claims import CLAIMABLE, load_handoff
from baton.services.handoff.queue import card_of
from baton.services.handoff.request import request_handoff
from baton.services.handoff.verdict import Effect, VerdictChange, not_ready_because
from baton.services.outbox import THREAD_OF, enqueue
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Handoff, Lead, Outcome, VerdictRecord
from baton.store.types import utcnow

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTCOME = Outcome.__table__  # type: ignore[attr-defined]
WITHDRAWABLE = (*CLAIMABLE, HandoffStatus.CLAIMED)


@dataclass(frozen=True)
class Followed:
    """What the handoff did: the effect, its channel, and the rep told in its thread."""

    effect: Effect
    channel: str | None = None
    owner: str | None = None


def as_verdict(record: VerdictRecord) -> Verdict:
    """A stored verdict as the domain reads it."""
    return Verdict(
        sales_ready=record.sales_ready, score=record.score, framework=record.framework,
        definition_version=record.definition_version,
        criteria=tuple(CriterionResult.model_validate(c) for c in record.criteria),
        missing=tuple(record.missing), disqualified=record.disqualified)


def follow_verdict(*, session: Session, catalog: Catalog, presenter: CardPresenter,
                   definition: Definition, record: VerdictRecord, actor: str,
                   default_channel: str) -> Followed:
    """Bring the lead's handoff in line with the verdict now in force, `record`."""
    handoff = session.exec(select(Handoff).where(
        Handoff.qualification_id == record.qualification_id)).first()
    if handoff is None:
        if not record.sales_ready:
            return Followed(Effect.NONE)
        return _hand_off(session, definition, record, default_channel)
    handoff_id = handoff.id or 0
    effect = _effect(session, handoff, record, actor, definition)
    handoff = load_handoff(session, handoff_id)
    _restate(session, catalog, presenter, handoff_id)
    owner = handoff.claimed_by or handoff.decided_by
    if owner is not None:
        lead = session.get(Lead, handoff.lead_id)
        change = change_of(record, lead.company if lead else "", actor, effect)
        notice = presenter.verdict_notice(owner=owner, change=change)
        enqueue(session=session, kind="chat.postMessage",
                dedupe_key=f"verdict-notice:{record.id}",
                payload={"channel": handoff.channel, THREAD_OF: card_key(handoff_id),
                         **notice.as_kwargs()})
    return Followed(effect, handoff.channel, owner)


def change_of(record: VerdictRecord, company: str, actor: str, effect: Effect) -> VerdictChange:
    """The change `record` made, as the people told about it read it."""
    override = record.cause == VerdictCause.OVERRIDDEN
    why = (record.override_reason or "") if override else (
        "" if record.sales_ready else not_ready_because(record))
    return VerdictChange(company=company, by=actor, override=override,
                         sales_ready=record.sales_ready, why=why, effect=effect)


def _effect(session: Session, handoff: Handoff, record: VerdictRecord, actor: str,
            definition: Definition) -> Effect:
    handoff_id = handoff.id or 0
    if handoff.status in (HandoffStatus.ACCEPTED, HandoffStatus.REJECTED) or _has_outcome(
            session, handoff_id):
        return Effect.STANDS
    if handoff.status == HandoffStatus.WITHDRAWN:
        if not record.sales_ready:
            return Effect.WITHDRAWN
        _reinstate(session, handoff, actor, definition)
        return Effect.REINSTATED
    if record.sales_ready:
        return Effect.UPDATED
    return Effect.WITHDRAWN if _withdraw(session, handoff_id, actor) else Effect.STANDS


def _has_outcome(session: Session, handoff_id: int) -> bool:
    found = session.execute(sa.select(_OUTCOME.c.id).where(_OUTCOME.c.handoff_id == handoff_id))
    return found.first() is not None


def _withdraw(session: Session, handoff_id: int, actor: str) -> bool:
    """Withdraw an undecided handoff; false when the rep decided it first (the database says)."""
    no_outcome = ~sa.exists().where(_OUTCOME.c.handoff_id == handoff_id)
    withdrawn = rows_changed(
        session,
        sa.update(_HANDOFF)
        .where(_HANDOFF.c.id == handoff_id, _HANDOFF.c.status.in_(WITHDRAWABLE), no_outcome)
        .values(status=HandoffStatus.WITHDRAWN)) == 1
    if withdrawn:
        record_event(session, actor=actor, kind="handoff.withdrawn", subject_type="handoff",
                     subject_id=handoff_id)
    return withdrawn


def _reinstate(session: Session, handoff: Handoff, actor: str, definition: Definition) -> None:
    """Offer a withdrawn handoff to the channel again, unclaimed, its SLA running from now."""
    due = sla.deadlines_for(utcnow(), definition, handoff.routing_rule)
    status = HandoffStatus.POSTED if handoff.message_ts else HandoffStatus.PENDING
    session.execute(
        sa.update(_HANDOFF)
        .where(_HANDOFF.c.id == handoff.id, _HANDOFF.c.status == HandoffStatus.WITHDRAWN)
        .values(status=status, claimed_by=None, claimed_at=None, claim_by=due.claim_by,
                escalate_at=due.escalate_at, reminded_at=None, escalated_at=None))
    record_event(session, actor=actor, kind="handoff.reinstated", subject_type="handoff",
                 subject_id=handoff.id or 0)


def _hand_off(session: Session, definition: Definition, record: VerdictRecord,
              default_channel: str) -> Followed:
    """The lead's first handoff, routed, with its SLA running from now; its card comes next."""
    request = request_handoff(session=session, definition=definition,
                              qualification_id=record.qualification_id,
                              verdict=as_verdict(record), default_channel=default_channel)
    if request.created:
        sla.schedule(session=session, handoff_id=request.handoff_id, definition=definition)
    return Followed(Effect.HANDED_OFF, request.channel)


def _restate(session: Session, catalog: Catalog, presenter: CardPresenter,
             handoff_id: int) -> None:
    """Queue the card's update to the verdict in force, once the card itself is queued."""
    # A card not queued yet is rendered from the verdict in force when it is.
    shown = shown_card(session, handoff_id)
    if shown is None:
        return
    card = card_of(session=session, handoff_id=handoff_id, catalog=catalog)
    message = presenter.card_renewed(card, state_of(session=session, handoff_id=handoff_id),
                                     shown.payload.get("blocks", []))
    enqueue_card_update(session=session, handoff_id=handoff_id, message=message)
