"""What a handoff card shows, as plain data; its updates and notices queued in the outbox."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session, col, select

from baton.domain.errors import HandoffNotFound
from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.services.handoff.claims import load_handoff, reason_label
from baton.services.handoff.verdict import VerdictChange, in_force, not_ready_because
from baton.services.outbox import MESSAGE_OF, enqueue
from baton.store.tables import EventLog, Handoff, Lead, OutboxMessage, Outcome
from baton.store.tables import Qualification as QualificationRow

CARD_PREFIX = "card:"
UPDATE_PREFIX = "card-update:"
HANDOFF_EVENT = "baton_handoff"
_ARCHIVES = "https://slack.com/archives"


def card_key(handoff_id: int) -> str:
    """The outbox key of a handoff's card in the sales channel."""
    return f"{CARD_PREFIX}{handoff_id}"


def thread_key(handoff_id: int) -> str:
    """The outbox key of the Q&A record posted in a handoff card's thread."""
    return f"card-thread:{handoff_id}"


def card_metadata(handoff_id: int) -> dict[str, Any]:
    """The metadata a handoff's card carries on Slack, so it can be found in its channel."""
    return {"event_type": HANDOFF_EVENT, "event_payload": {"handoff_id": handoff_id}}


def handoff_of(dedupe_key: str) -> int | None:
    """The handoff whose card an outbox key names; None for any other message."""
    number = dedupe_key.removeprefix(CARD_PREFIX)
    return int(number) if dedupe_key.startswith(CARD_PREFIX) and number.isdigit() else None


def archive_link(channel: str, ts: str) -> str:
    """A link to a message built by hand, for when Slack's own permalink is not at hand."""
    return f"{_ARCHIVES}/{channel}/p{ts.replace('.', '')}"


@dataclass(frozen=True)
class Answered:
    """One criterion as the BDR answered it, for the card and its thread."""

    title: str
    status: str
    answer: str
    reason: str
    notes: str


@dataclass(frozen=True)
class Card:
    """Everything the rep needs so they never re-qualify the lead."""

    handoff_id: int
    company: str
    contact_name: str
    title: str
    email: str
    bdr: str
    framework: str
    score: int
    sales_ready: bool
    answers: tuple[Answered, ...]
    notes: str
    definition_version: str
    claim_by: str
    routing_rule: str
    # The same moment, for Slack to show in each reader's own time zone.
    claim_by_at: dt.datetime | None = None
    corrected_by: str | None = None
    overridden_by: str | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class CardState:
    """Where the handoff stands now: who owns it, how fast they claimed it, what became of it."""

    status: HandoffStatus
    owner: str | None = None
    seconds_to_claim: int | None = None
    reject_reason: str = ""
    reject_comment: str = ""
    outcomes: tuple[str, ...] = ()
    lost_reason: str = ""
    released_by: str | None = None
    # Withdrawn: who took sales-readiness away (a correction's BDR or an override's manager)
    # and why (what is missing, or the manager's reason).
    withdrawn_by: str | None = None
    withdrawn_why: str = ""
    withdrawn_by_override: bool = False
    # Given to the owner without a claim: "round_robin", "owner", or the manager's user id.
    assigned_by: str | None = None
    # The owner's first contact once accepted: "contacted" or "meeting_booked"; "" before.
    contact: str = ""


class Rendered(Protocol):
    """A message as rendered: the fallback text and its blocks, as Slack's arguments."""

    def as_kwargs(self) -> dict[str, Any]: ...


class CardPresenter(Protocol):
    """Renders the card and the notices around it; the Slack layer provides one."""

    def card_message(self, card: Card, state: CardState) -> Rendered: ...

    def thread_message(self, card: Card) -> Rendered: ...

    def card_renewed(self, card: Card, state: CardState,
                     shown: Sequence[dict[str, Any]]) -> Rendered: ...

    def card_restated(self, handoff_id: int, blocks: Sequence[dict[str, Any]], fallback: str,
                      state: CardState) -> Rendered: ...

    def rejected_notice(self, *, company: str, rep: str, reason: str,
                        comment: str) -> Rendered: ...

    def link_notice(self, *, company: str, channel: str, permalink: str) -> Rendered: ...

    def verdict_notice(self, *, owner: str, change: VerdictChange) -> Rendered: ...

    def override_notice(self, *, change: VerdictChange) -> Rendered: ...

    def bdr_news(self, *, company: str, what: str, who: str | None, how: str | None,
                 qualification_id: int) -> Rendered: ...

    def assigned_notice(self, *, user: str | None, how: str,
                        skipped: Sequence[tuple[str, str]]) -> Rendered: ...

    def undelivered_notice(self, *, company: str, channel: str, error: str, rule: str | None,
                           posted_in: str | None, manager: bool) -> Rendered: ...


def enqueue_update(*, session: Session, handoff_id: int, presenter: CardPresenter) -> CardState:
    """Queue the card's update to show its state now; it waits for the card to be posted."""
    shown = shown_card(session, handoff_id)
    if shown is None:
        raise HandoffNotFound(f"handoff {handoff_id} has no card to update")
    state = state_of(session=session, handoff_id=handoff_id)
    message = presenter.card_restated(
        handoff_id, shown.payload.get("blocks", []), shown.payload.get("text", ""), state)
    enqueue_card_update(session=session, handoff_id=handoff_id, message=message)
    return state


def enqueue_card_update(*, session: Session, handoff_id: int, message: Rendered) -> None:
    """Queue a chat.update of the handoff's card to read as `message`."""
    # Each change is its own row: the key only has to be unique, never to merge two changes.
    enqueue(session=session, kind="chat.update",
            dedupe_key=f"{UPDATE_PREFIX}{handoff_id}:{uuid.uuid4().hex}",
            payload={MESSAGE_OF: card_key(handoff_id), **message.as_kwargs()})


def shown_card(session: Session, handoff_id: int) -> OutboxMessage | None:
    """The card as last queued (posted, or updated since); None before its card is queued."""
    # The newest update first: after a correction the card's body differs from the one posted.
    updated = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.dedupe_key).startswith(f"{UPDATE_PREFIX}{handoff_id}:"))
        .order_by(col(OutboxMessage.id).desc())).first()
    if updated is not None:
        return updated
    key = card_key(handoff_id)
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).first()


def enqueue_rejection_notice(*, session: Session, handoff_id: int,
                             presenter: CardPresenter) -> None:
    """Tell the BDR in their DM that the rep sent the lead back, and why."""
    handoff, qualification, lead = rows_of(session, handoff_id)
    message = presenter.rejected_notice(
        company=lead.company, rep=handoff.decided_by or "",
        reason=reason_label(handoff) or "other",
        comment=handoff.reject_comment or "")
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"rejected:{handoff_id}",
            payload={"channel": qualification.bdr_user_id, **message.as_kwargs()})


def state_of(*, session: Session, handoff_id: int) -> CardState:
    """The handoff's status, owner, speed of claim, rejection and outcomes as stored now."""
    handoff = load_handoff(session, handoff_id)
    seconds = None
    if handoff.claimed_at is not None:
        seconds = max(int((handoff.claimed_at - handoff.created_at).total_seconds()), 0)
    outcomes = session.exec(select(Outcome.kind, Outcome.reason)
                            .where(Outcome.handoff_id == handoff_id)
                            .order_by(Outcome.id)).all()  # type: ignore[arg-type]
    lost = next((reason for kind, reason in outcomes if kind == OutcomeKind.LOST), "")
    status = HandoffStatus(handoff.status)
    withdrawn = _withdrawal(session, handoff) if status == HandoffStatus.WITHDRAWN else {}
    return CardState(
        status=status, owner=handoff.claimed_by or handoff.decided_by,
        seconds_to_claim=seconds, reject_reason=reason_label(handoff),
        reject_comment=handoff.reject_comment or "",
        outcomes=tuple(str(kind) for kind, _ in outcomes), lost_reason=lost,
        released_by=_released_by(session, handoff_id) if status == HandoffStatus.RELEASED else None,
        assigned_by=handoff.assigned_by if handoff.assigned_to and (
            handoff.assigned_to == handoff.claimed_by) else None,
        contact=handoff.contact_kind or "",
        **withdrawn)


def _withdrawal(session: Session, handoff: Handoff) -> dict[str, Any]:
    """Who withdrew the handoff and why, from the verdict in force."""
    verdict = in_force(session, handoff.qualification_id)
    if verdict is None:
        return {}
    return {"withdrawn_by": verdict.overridden_by or verdict.decided_by,
            "withdrawn_why": not_ready_because(verdict),
            "withdrawn_by_override": verdict.overridden_by is not None}


def _released_by(session: Session, handoff_id: int) -> str | None:
    """The rep who last gave the handoff back, as the event log recorded it."""
    return session.exec(
        select(EventLog.actor)
        .where(EventLog.subject_type == "handoff", EventLog.subject_id == str(handoff_id),
               EventLog.kind == f"handoff.{HandoffStatus.RELEASED}")
        .order_by(EventLog.id.desc())  # type: ignore[union-attr]
    ).first()


def rows_of(session: Session, handoff_id: int) -> tuple[Handoff, QualificationRow, Lead]:
    """A handoff with its qualification and lead, as the database has them now."""
    handoff = load_handoff(session, handoff_id)
    qualification = session.get(QualificationRow, handoff.qualification_id)
    lead = session.get(Lead, handoff.lead_id)
    if qualification is None or lead is None:
        raise HandoffNotFound(f"handoff {handoff_id} has lost its qualification or lead")
    return handoff, qualification, lead
