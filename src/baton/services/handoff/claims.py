"""A rep claiming a handoff, then accepting, rejecting or releasing it and recording its outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.definition import DEFAULT_REJECTION_REASONS, RejectionReason
from baton.domain.errors import HandoffClosed, HandoffNotFound, NotOwner
from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Handoff, Lead, Outcome

CLAIMABLE = (HandoffStatus.POSTED, HandoffStatus.PENDING, HandoffStatus.RELEASED)
# The reasons shipped by default, by key: how rejections stored before the definition worded
# its own reasons read.
REJECT_REASONS = {reason.key: reason.label for reason in DEFAULT_REJECTION_REASONS}
_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTCOME = Outcome.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClaimResult:
    """Who owns a handoff after a click on Claim, and how fast it was claimed."""

    won: bool
    owner: str
    claimed_at: dt.datetime
    seconds_to_claim: int
    already_yours: bool
    company: str = ""


@dataclass(frozen=True)
class ActionResult:
    """A handoff's status after an owner's action; `changed` is false for a repeated click."""

    handoff_id: int
    status: HandoffStatus
    changed: bool


def load_handoff(session: Session, handoff_id: int) -> Handoff:
    """The handoff as the database has it now; HandoffNotFound when there is none."""
    # populate_existing: the row as the database has it now, not as this session last saw it.
    query = select(Handoff).where(Handoff.id == handoff_id).execution_options(
        populate_existing=True)
    handoff = session.exec(query).first()
    if handoff is None:
        raise HandoffNotFound(f"handoff {handoff_id} does not exist")
    return handoff


def claim(*, session: Session, handoff_id: int, rep_user_id: str, now: dt.datetime) -> ClaimResult:
    """Make `rep_user_id` the owner if nobody is; one conditional UPDATE decides the race."""
    won = rows_changed(
        session,
        sa.update(_HANDOFF)
        .where(_HANDOFF.c.id == handoff_id, _HANDOFF.c.status.in_(CLAIMABLE),
               _HANDOFF.c.claimed_by.is_(None))
        .values(status=HandoffStatus.CLAIMED, claimed_by=rep_user_id, claimed_at=now),
    ) == 1
    handoff = load_handoff(session, handoff_id)
    if handoff.claimed_by is None or handoff.claimed_at is None:
        raise HandoffClosed(f"This handoff is {handoff.status} and can no longer be claimed.")
    if won:
        record_event(session, actor=rep_user_id, kind="handoff.claimed",
                     subject_type="handoff", subject_id=handoff_id)
    seconds = (handoff.claimed_at - handoff.created_at).total_seconds()
    lead = session.get(Lead, handoff.lead_id)
    return ClaimResult(won=won, owner=handoff.claimed_by, claimed_at=handoff.claimed_at,
                       seconds_to_claim=max(int(seconds), 0),
                       already_yours=not won and handoff.claimed_by == rep_user_id,
                       company=lead.company if lead else "")


def accept(*, session: Session, handoff_id: int, rep_user_id: str,
           now: dt.datetime) -> ActionResult:
    """The owner takes the lead on."""
    return _decide(session, handoff_id, rep_user_id, HandoffStatus.ACCEPTED,
                   (HandoffStatus.CLAIMED,),
                   {"decided_by": rep_user_id, "decided_at": now, "accepted_at": now})


def reject(*, session: Session, handoff_id: int, rep_user_id: str,
           reason: str | RejectionReason, comment: str, now: dt.datetime,
           version: str | None = None) -> ActionResult:
    """The owner sends the lead back to nurture, saying why: a reason of the definition
    `version` in force (its key alone: one of the reasons shipped by default)."""
    if isinstance(reason, str):
        known = {r.key: r for r in DEFAULT_REJECTION_REASONS}
        if reason not in known:
            raise ValueError(f"reason: expected one of {', '.join(known)}, got {reason!r}")
        reason = known[reason]
    values = {"decided_by": rep_user_id, "decided_at": now, "reject_reason": reason.key,
              "reject_comment": comment.strip(), "reject_label": reason.label,
              "reject_criterion": reason.criterion, "reject_version": version}
    return _decide(session, handoff_id, rep_user_id, HandoffStatus.REJECTED,
                   (HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED), values,
                   {"reason": reason.key, "comment": comment.strip(),
                    "criterion": reason.criterion, "version": version})


def reason_label(handoff: Handoff) -> str:
    """How a rejection's reason reads: as the definition worded it when it was given."""
    key = handoff.reject_reason or ""
    return handoff.reject_label or REJECT_REASONS.get(key, key)


def release(*, session: Session, handoff_id: int, rep_user_id: str,
            now: dt.datetime) -> ActionResult:
    """The owner gives the lead back, unclaimed, for another rep to take."""
    return _decide(session, handoff_id, rep_user_id, HandoffStatus.RELEASED,
                   (HandoffStatus.CLAIMED,),
                   {"claimed_by": None, "claimed_at": None, "accept_by": None},
                   action="release it")


def _decide(session: Session, handoff_id: int, rep: str, target: HandoffStatus,
            sources: tuple[HandoffStatus, ...], values: dict[str, Any],
            payload: dict[str, Any] | None = None, action: str = "accept or reject it",
            ) -> ActionResult:
    """Move an owned handoff to `target` in one conditional UPDATE; explain when it did not."""
    changed = rows_changed(
        session,
        sa.update(_HANDOFF)
        .where(_HANDOFF.c.id == handoff_id, _HANDOFF.c.claimed_by == rep,
               _HANDOFF.c.status.in_(sources))
        .values(status=target, **values),
    ) == 1
    if changed:
        record_event(session, actor=rep, kind=f"handoff.{target}", subject_type="handoff",
                     subject_id=handoff_id, payload=payload)
        return ActionResult(handoff_id, target, changed=True)
    handoff = load_handoff(session, handoff_id)
    repeated = handoff.status == target and (
        handoff.claimed_by == rep or target == HandoffStatus.RELEASED)
    if repeated:
        return ActionResult(handoff_id, target, changed=False)
    if handoff.claimed_by != rep:
        raise NotOwner(handoff.claimed_by, action)
    raise HandoffClosed(f"This handoff is already {handoff.status}; it cannot be {target} now.")


FIRST_CONTACTS = ("contacted", "meeting_booked")


def record_first_contact(*, session: Session, handoff_id: int, rep_user_id: str, kind: str,
                         now: dt.datetime) -> ActionResult:
    """The owner of an accepted lead says they reached them ("contacted") or booked a meeting;
    the first one counts, once."""
    if kind not in FIRST_CONTACTS:
        raise ValueError(f"kind: expected one of {', '.join(FIRST_CONTACTS)}, got {kind!r}")
    changed = rows_changed(session, sa.update(_HANDOFF).where(
        _HANDOFF.c.id == handoff_id, _HANDOFF.c.claimed_by == rep_user_id,
        _HANDOFF.c.status == HandoffStatus.ACCEPTED, _HANDOFF.c.contacted_at.is_(None))
        .values(contacted_at=now, contact_kind=kind)) == 1
    handoff = load_handoff(session, handoff_id)
    if changed:
        record_event(session, actor=rep_user_id, kind="handoff.contacted", subject_type="handoff",
                     subject_id=handoff_id, payload={"kind": kind})
        return ActionResult(handoff_id, handoff.status, changed=True)
    if handoff.claimed_by != rep_user_id:
        raise NotOwner(handoff.claimed_by, "record the first contact")
    if handoff.contacted_at is not None:
        return ActionResult(handoff_id, handoff.status, changed=False)
    raise HandoffClosed(f"This lead is {handoff.status}; accept it first, then say when you "
                        "reached them.")


def record_outcome(*, session: Session, handoff_id: int, rep_user_id: str, kind: str,
                   reason: str = "", now: dt.datetime) -> ActionResult:
    """The owner records what became of the lead; each kind of outcome is recorded once."""
    outcome = _outcome_kind(kind)
    if outcome == OutcomeKind.LOST and not reason.strip():
        raise ValueError("reason: say why the deal was lost")
    owned = sa.select(
        _HANDOFF.c.id, sa.literal(str(outcome)), sa.literal(reason.strip()),
        sa.literal(rep_user_id), sa.literal(now, type_=_OUTCOME.c.recorded_at.type),
    ).where(
        _HANDOFF.c.id == handoff_id, _HANDOFF.c.claimed_by == rep_user_id,
        _HANDOFF.c.status.in_((HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED)),
        ~sa.exists().where(_OUTCOME.c.handoff_id == handoff_id, _OUTCOME.c.kind == outcome),
    )
    # Ownership and "not recorded yet" are checked by the same statement that writes.
    insert = sa.insert(_OUTCOME).from_select(
        ["handoff_id", "kind", "reason", "recorded_by", "recorded_at"], owned)
    try:
        with session.begin_nested():
            # RETURNING, because psycopg reports no rowcount for INSERT ... SELECT.
            inserted = len(session.execute(insert.returning(_OUTCOME.c.id)).all()) == 1
    except sa.exc.IntegrityError:
        inserted = False  # a click on another process recorded the same outcome first
    handoff = load_handoff(session, handoff_id)
    if inserted:
        record_event(session, actor=rep_user_id, kind="handoff.outcome", subject_type="handoff",
                     subject_id=handoff_id, payload={"kind": str(outcome), "reason": reason})
        return ActionResult(handoff_id, handoff.status, changed=True)
    if handoff.claimed_by != rep_user_id:
        raise NotOwner(handoff.claimed_by, "record its outcome")
    if handoff.status not in (HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED):
        raise HandoffClosed(f"This handoff is {handoff.status}; it has no outcome to record.")
    return ActionResult(handoff_id, handoff.status, changed=False)


def _outcome_kind(kind: str) -> OutcomeKind:
    try:
        return OutcomeKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in OutcomeKind)
        raise ValueError(f"kind: expected one of {known}, got {kind!r}") from None
