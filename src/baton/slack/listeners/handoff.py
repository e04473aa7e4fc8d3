"""The sales channel's handoff card: Claim, then the owner's Accept, Reject, Release, Outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from baton.services import claims, handoff_card
from baton.slack import handoff_views, ids
from baton.slack.listeners.views import value_of
from baton.store.db import SQLITE_BEGIN, session_scope
from baton.store.tables import HandoffStatus
from baton.store.types import utcnow

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

T = TypeVar("T")
Listener = Callable[..., None]
Decision = Callable[..., claims.ActionResult]
# What a rep is told instead of a stack trace; each sentence is written by the claims service.
REFUSALS = (claims.NotOwner, claims.HandoffClosed, claims.HandoffNotFound)


@dataclass(frozen=True)
class CardClick:
    """A click on a handoff card: which handoff, who clicked, where, and an overflow's choice."""

    handoff_id: int
    user: str
    channel: str
    choice: str = ""


def register(app: App, deps: Deps) -> None:
    """Wire the card's buttons and the owner's modals."""
    app.action(ids.CARD_CLAIM)(claimer(deps))
    app.action(ids.CARD_ACCEPT)(deciding(deps, claims.accept))
    app.action(ids.CARD_RELEASE)(deciding(deps, claims.release))
    app.action(ids.CARD_REJECT)(modal_opener(deps, handoff_views.reject_modal,
                                             "accept or reject it"))
    app.action(ids.CARD_OUTCOME)(outcome_chosen(deps))
    app.view(ids.REJECT_MODAL)(reject_submitted(deps))
    app.view(ids.LOST_MODAL)(lost_submitted(deps))


def card_click(body: dict[str, Any]) -> CardClick:
    """The handoff a card's button or overflow option names ("<id>" or "<id>|<outcome>")."""
    action = body["actions"][0]
    value = (action.get("selected_option") or {}).get("value") or action.get("value", "")
    number, _, choice = str(value).partition("|")
    if not number.isdigit():
        raise ValueError(f"card action value {value!r} names no handoff")
    channel = body.get("container", {}).get("channel_id") or body.get("channel", {}).get("id", "")
    return CardClick(int(number), body["user"]["id"], channel, choice)


def in_transaction(deps: Deps, work: Callable[[Session], T]) -> T:
    """Run `work` in one unit of work that holds SQLite's write lock from its first statement."""
    writer = deps.engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    with session_scope(writer) as session:
        return work(session)


def refused(client: WebClient, click: CardClick, work: Callable[[], T]) -> T | None:
    """Run `work`; a refusal becomes an ephemeral sentence to the person who clicked."""
    try:
        return work()
    except REFUSALS as error:
        client.chat_postEphemeral(channel=click.channel, user=click.user, text=str(error))
        return None


def claim_card(deps: Deps, handoff_id: int, user: str) -> claims.ClaimResult:
    """Claim in one unit of work: the database picks the one winner, whose card update is queued."""

    def claim(session: Session) -> claims.ClaimResult:
        result = claims.claim(session=session, handoff_id=handoff_id, rep_user_id=user,
                              now=utcnow())
        if result.won:
            handoff_card.enqueue_update(session=session, handoff_id=handoff_id,
                                        presenter=handoff_views)
        return result

    return in_transaction(deps, claim)


def claimer(deps: Deps) -> Listener:
    """Claim: the first rep wins and the card says so; the others are told who owns it."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = card_click(body)
        result = refused(client, click, lambda: claim_card(deps, click.handoff_id, click.user))
        if result is not None and not result.won and not result.already_yours:
            client.chat_postEphemeral(channel=click.channel, user=click.user,
                                      text=f"This lead is already claimed by <@{result.owner}>.")

    return listener


def decide(deps: Deps, client: WebClient, click: CardClick, service: Decision,
           **arguments: Any) -> None:
    """Apply an owner's decision and queue the card's update, once, in one transaction."""

    def work(session: Session) -> None:
        result = service(session=session, handoff_id=click.handoff_id, rep_user_id=click.user,
                         now=utcnow(), **arguments)
        if not result.changed:
            return
        handoff_card.enqueue_update(session=session, handoff_id=click.handoff_id,
                                    presenter=handoff_views)
        if result.status == HandoffStatus.REJECTED:
            handoff_card.enqueue_rejection_notice(
                session=session, handoff_id=click.handoff_id, presenter=handoff_views)

    refused(client, click, lambda: in_transaction(deps, work))


def deciding(deps: Deps, service: Decision) -> Listener:
    """Accept or Release, for the owner only."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        decide(deps, client, card_click(body), service)

    return listener


def modal_opener(deps: Deps, build: Callable[..., dict[str, Any]], action: str) -> Listener:
    """A modal for the owner (reject, lost); anyone else is told who owns the lead."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_modal(deps, client, body, card_click(body), build, action)

    return listener


def open_modal(deps: Deps, client: WebClient, body: dict[str, Any], click: CardClick,
               build: Callable[..., dict[str, Any]], action: str) -> None:
    """Open the owner's modal; its metadata says which handoff and where to answer."""

    def owner_company(session: Session) -> str:
        return handoff_card.require_owner(session=session, handoff_id=click.handoff_id,
                                          user=click.user, action=action)

    company = refused(client, click, lambda: in_transaction(deps, owner_company))
    if company is not None:
        metadata = f"{click.handoff_id}|{click.channel}"
        client.views_open(trigger_id=body["trigger_id"],
                          view=build(company=company, private_metadata=metadata))


def outcome_chosen(deps: Deps) -> Listener:
    """Outcome menu: lost asks why in a modal; the others are recorded at once."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = card_click(body)
        if click.choice == "lost":
            open_modal(deps, client, body, click, handoff_views.lost_modal,
                       "record its outcome")
            return
        decide(deps, client, click, claims.record_outcome, kind=click.choice)

    return listener


def from_modal(body: dict[str, Any]) -> CardClick:
    """The handoff and channel a submitted modal was opened for."""
    number, _, channel = body["view"]["private_metadata"].partition("|")
    return CardClick(int(number), body["user"]["id"], channel)


def reject_submitted(deps: Deps) -> Listener:
    """Reject: reason and comment saved, the card says so, the BDR is told in their DM."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                 client: WebClient) -> None:
        values = view["state"]["values"]
        reason = value_of(values, ids.REJECT_REASON)
        if reason not in claims.REJECT_REASONS:
            ack(response_action="errors", errors={ids.REJECT_REASON: "Choose a reason."})
            return
        ack()
        decide(deps, client, from_modal(body), claims.reject, reason=reason,
               comment=value_of(values, ids.REJECT_COMMENT))

    return listener


def lost_submitted(deps: Deps) -> Listener:
    """Lost: the reason is recorded as the lead's outcome and shown on the card."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                 client: WebClient) -> None:
        reason = value_of(view["state"]["values"], ids.LOST_REASON)
        if not reason:
            ack(response_action="errors", errors={ids.LOST_REASON: "Say why it was lost."})
            return
        ack()
        decide(deps, client, from_modal(body), claims.record_outcome, kind="lost",
               reason=reason)

    return listener
