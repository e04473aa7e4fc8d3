"""What reps do with a card, each in one unit of work with the card's update it queues."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from baton.domain.errors import NotOwner, Refusal
from baton.domain.lifecycle import HandoffStatus
from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff import claims
from baton.services.handoff.card import (
    CardPresenter,
    enqueue_rejection_notice,
    enqueue_update,
    rows_of,
)
from baton.services.handoff.claims import ActionResult, ClaimResult
from baton.services.handoff.news import tell_bdr
from baton.services.unit_of_work import UnitOfWork
from baton.store.types import utcnow

Decision = Callable[[Session], ActionResult]


def claim_card(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
               rep_user_id: str) -> ClaimResult:
    """Claim: the database picks the one winner, whose card update is queued with the claim."""
    with uow.writing() as session:
        result = claims.claim(session=session, handoff_id=handoff_id, rep_user_id=rep_user_id,
                              now=utcnow())
        if result.won:
            enqueue_update(session=session, handoff_id=handoff_id, presenter=presenter)
            tell_bdr(session=session, handoff_id=handoff_id, presenter=presenter,
                     what="claimed", who=rep_user_id)
        return result


def accept_card(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                rep_user_id: str) -> ActionResult:
    """The owner takes the lead on; the card says so."""
    return _decided(uow, presenter, handoff_id, lambda session: claims.accept(
        session=session, handoff_id=handoff_id, rep_user_id=rep_user_id, now=utcnow()),
        news=("accepted", rep_user_id))


def release_card(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                 rep_user_id: str) -> ActionResult:
    """The owner gives the lead back for another rep; the card offers Claim again."""
    return _decided(uow, presenter, handoff_id, lambda session: claims.release(
        session=session, handoff_id=handoff_id, rep_user_id=rep_user_id, now=utcnow()),
        news=("released", rep_user_id))


def reject_card(*, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter,
                handoff_id: int, rep_user_id: str, reason: str, comment: str) -> ActionResult:
    """The owner sends the lead back with one of the reasons of the definition in force; the
    card says so and the BDR is told."""

    def decide(session: Session) -> ActionResult:
        definition = definition_in_force(session=session, catalog=catalog)
        chosen = definition.rejection_reason(reason)
        if chosen is None:
            raise Refusal("Choose one of the reasons listed.")
        return claims.reject(session=session, handoff_id=handoff_id, rep_user_id=rep_user_id,
                             reason=chosen, comment=comment, now=utcnow(),
                             version=definition.version)

    return _decided(uow, presenter, handoff_id, decide)


def rejection_reasons(*, uow: UnitOfWork, catalog: Catalog) -> list[tuple[str, str]]:
    """The reasons the reject form offers: the definition in force's, as (key, label)."""
    with uow.reading() as session:
        definition = definition_in_force(session=session, catalog=catalog)
    return [(reason.key, reason.label) for reason in definition.rejection_reasons]


def record_card_outcome(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                        rep_user_id: str, kind: str, reason: str = "") -> ActionResult:
    """The owner records what became of the lead; the card shows it."""
    return _decided(uow, presenter, handoff_id, lambda session: claims.record_outcome(
        session=session, handoff_id=handoff_id, rep_user_id=rep_user_id, kind=kind,
        reason=reason, now=utcnow()), news=(kind, rep_user_id))


def record_card_contact(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
                        rep_user_id: str, kind: str) -> ActionResult:
    """The owner reached the lead, or booked a meeting; the card and the BDR say so."""
    return _decided(uow, presenter, handoff_id, lambda session: claims.record_first_contact(
        session=session, handoff_id=handoff_id, rep_user_id=rep_user_id, kind=kind,
        now=utcnow()), news=(kind, rep_user_id))


def owner_company(*, uow: UnitOfWork, handoff_id: int, user: str, action: str) -> str:
    """The company of a handoff `user` owns, for the owner's modal; NotOwner names the owner."""
    with uow.reading() as session:
        handoff, _, lead = rows_of(session, handoff_id)
        if handoff.claimed_by != user:
            raise NotOwner(handoff.claimed_by, action)
        return lead.company


def check_card_channel(*, uow: UnitOfWork, handoff_id: int, channel: str) -> None:
    """Refused unless the handoff's card lies in `channel`, as a modal about it says it does."""
    with uow.reading() as session:
        handoff = claims.load_handoff(session, handoff_id)
    if handoff.channel != channel:
        raise Refusal("This form is not about a card in that channel, so nothing was changed; "
                      "use the buttons on the card itself.")


def qualification_of(*, uow: UnitOfWork, handoff_id: int) -> int:
    """The qualification a handoff's card came from."""
    with uow.reading() as session:
        return rows_of(session, handoff_id)[0].qualification_id


def _decided(uow: UnitOfWork, presenter: CardPresenter, handoff_id: int,
             decide: Decision, news: tuple[str, str] | None = None) -> ActionResult:
    """Apply an owner's decision and queue the card's update, once, in one transaction; the
    BDR hears the `news` (what happened, who did it) in their lead's thread."""
    with uow.writing() as session:
        result = decide(session)
        if result.changed:
            enqueue_update(session=session, handoff_id=handoff_id, presenter=presenter)
            if news is not None:
                tell_bdr(session=session, handoff_id=handoff_id, presenter=presenter,
                         what=news[0], who=news[1])
            if result.status == HandoffStatus.REJECTED:
                enqueue_rejection_notice(session=session, handoff_id=handoff_id,
                                         presenter=presenter)
        return result
