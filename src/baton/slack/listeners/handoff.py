"""The sales channel's handoff card: Claim, then the owner's Accept, Reject, Release, Outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import FormInvalid, Refusal
from baton.services import handoff
from baton.slack import ids, text
from baton.slack.acks import deferred
from baton.slack.listeners.conversation import tell_in_dm
from baton.slack.listeners.views import refuse_on_modal, value_of
from baton.slack.translator import attempt

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
Decision = Callable[..., handoff.ActionResult]


@dataclass(frozen=True)
class CardClick:
    """A click on a handoff card: which handoff, who clicked, where, and an overflow's choice."""

    handoff_id: int
    user: str
    channel: str
    choice: str = ""


def register(app: App, deps: Deps,
             override: Callable[[WebClient, dict[str, Any], CardClick], None]) -> None:
    """Wire the card's buttons and the owner's modals; `override` opens a manager's override
    from the overflow menu."""
    app.action(ids.CARD_CLAIM)(claimer(deps))
    app.action(ids.CARD_ACCEPT)(deciding(deps, handoff.accept_card))
    app.action(ids.CARD_RELEASE)(deciding(deps, handoff.release_card))
    app.action(ids.CARD_CONTACTED)(deciding(deps, handoff.record_card_contact, kind="contacted"))
    app.action(ids.CARD_MEETING_BOOKED)(deciding(deps, handoff.record_card_contact,
                                                 kind="meeting_booked"))
    app.action(ids.CARD_REJECT)(modal_opener(deps, reject_form(deps), "accept or reject it"))
    app.action(ids.CARD_OUTCOME)(outcome_chosen(deps, override))
    app.view(ids.REJECT_MODAL)(submitted(deps, rejection, handoff.reject_card,
                                         catalog=deps.catalog))
    app.view(ids.LOST_MODAL)(submitted(deps, loss, handoff.record_card_outcome, kind="lost"))
    app.action(ids.MUTE_NEWS)(muter(deps))


def muter(deps: Deps) -> Listener:
    """Mute this lead, under its news in the BDR's DM thread: no more news of it there."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        channel = body.get("container", {}).get("channel_id") or body["channel"]["id"]
        value = str(body["actions"][0].get("value", ""))
        if not value.isdigit():
            raise ValueError(f"mute value {value!r} names no qualification")
        company = attempt(client, channel, user, lambda: handoff.mute_news(
            uow=deps.uow, qualification_id=int(value), bdr_user_id=user))
        if company is not None:
            client.chat_postEphemeral(channel=channel, user=user, text=(
                f"Muted: you will hear no more of {text.safe(company, 200)} here. Its card in the "
                "sales channel "
                "still shows where it stands."))

    return listener


def card_click(body: dict[str, Any]) -> CardClick:
    """The handoff a card's button or overflow option names ("<id>" or "<id>|<outcome>")."""
    action = body["actions"][0]
    value = (action.get("selected_option") or {}).get("value") or action.get("value", "")
    number, _, choice = str(value).partition("|")
    if not number.isdigit():
        raise ValueError(f"card action value {value!r} names no handoff")
    channel = body.get("container", {}).get("channel_id") or body.get("channel", {}).get("id", "")
    return CardClick(int(number), body["user"]["id"], channel, choice)


def claim_card(deps: Deps, handoff_id: int, user: str) -> handoff.ClaimResult:
    """Claim for `user`: one winner, whose card update is queued with the claim."""
    return handoff.claim_card(uow=deps.uow, presenter=deps.presenter.handoff,
                              handoff_id=handoff_id, rep_user_id=user)


def claimer(deps: Deps) -> Listener:
    """Claim: the first rep wins and the card says so; the others are told who owns it."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = card_click(body)
        result = attempt(client, click.channel, click.user,
                         lambda: claim_card(deps, click.handoff_id, click.user))
        if result is not None and not result.won and not result.already_yours:
            client.chat_postEphemeral(channel=click.channel, user=click.user,
                                      text=f"This lead is already claimed by <@{result.owner}>.")

    return listener


def decide(deps: Deps, client: WebClient, click: CardClick, decision: Decision,
           **arguments: Any) -> None:
    """Apply an owner's decision; a refusal is told to the person who clicked."""
    attempt(client, click.channel, click.user, lambda: decision(
        uow=deps.uow, presenter=deps.presenter.handoff, handoff_id=click.handoff_id,
        rep_user_id=click.user, **arguments))


def deciding(deps: Deps, decision: Decision, **fixed: Any) -> Listener:
    """Accept, Release, Contacted or Meeting booked, for the owner only."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        decide(deps, client, card_click(body), decision, **fixed)

    return listener


def modal_opener(deps: Deps, build: Callable[..., dict[str, Any]], action: str) -> Listener:
    """A modal for the owner (reject, lost); anyone else is told who owns the lead."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_modal(deps, client, body, card_click(body), build, action)

    return listener


def open_modal(deps: Deps, client: WebClient, body: dict[str, Any], click: CardClick,
               build: Callable[..., dict[str, Any]], action: str) -> None:
    """Open the owner's modal; its metadata says which handoff and where to answer."""
    company = attempt(client, click.channel, click.user, lambda: handoff.owner_company(
        uow=deps.uow, handoff_id=click.handoff_id, user=click.user, action=action))
    if company is not None:
        metadata = ids.CardModal(click.handoff_id, click.channel).pack()
        client.views_open(trigger_id=body["trigger_id"],
                          view=build(company=company, private_metadata=metadata))


def outcome_chosen(deps: Deps,
                   override: Callable[[WebClient, dict[str, Any], CardClick], None]) -> Listener:
    """Outcome menu: lost asks why in a modal; the others are recorded at once; a manager's
    override opens its own modal."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = card_click(body)
        if click.choice in ids.MANAGER_CHOICES:
            override(client, body, click)
            return
        if click.choice == "lost":
            open_modal(deps, client, body, click, deps.presenter.handoff.lost_modal,
                       "record its outcome")
            return
        decide(deps, client, click, handoff.record_card_outcome, kind=click.choice)

    return listener


def from_modal(deps: Deps, body: dict[str, Any]) -> CardClick:
    """The handoff a submitted modal was opened for, refused unless its card is in the channel
    the modal names: a refusal is told there."""
    card = ids.CardModal.unpack(str(body["view"].get("private_metadata", "")))
    handoff.check_card_channel(uow=deps.uow, handoff_id=card.handoff_id, channel=card.channel)
    return CardClick(card.handoff_id, body["user"]["id"], card.channel)


def submitted(deps: Deps, read: Callable[[dict[str, Any]], dict[str, str]],
              decision: Decision, **fixed: Any) -> Listener:
    """An owner's modal: its fields shown on the modal when they cannot be read; otherwise
    acknowledged, then the handoff it names checked (a refusal told in the person's DM) before
    the decision."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                 client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        try:
            arguments = read(values)
            card = ids.CardModal.unpack(str(view.get("private_metadata", "")))
        except FormInvalid as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        except Refusal as refusal:
            refuse_on_modal(ack, deps.presenter.conversation, values, str(refusal))
            return
        ack()
        try:
            handoff.check_card_channel(uow=deps.uow, handoff_id=card.handoff_id,
                                       channel=card.channel)
        except Refusal as refusal:
            tell_in_dm(client, user, refusal)
            return
        click = CardClick(card.handoff_id, user, card.channel)
        decide(deps, client, click, decision, **fixed, **arguments)

    return listener


def reject_form(deps: Deps) -> Callable[..., dict[str, Any]]:
    """The reject modal, offering the reasons of the definition in force."""

    def build(*, company: str, private_metadata: str) -> dict[str, Any]:
        reasons = handoff.rejection_reasons(uow=deps.uow, catalog=deps.catalog)
        return deps.presenter.handoff.reject_modal(company=company, reasons=reasons,
                                                   private_metadata=private_metadata)

    return build


def rejection(values: dict[str, Any]) -> dict[str, str]:
    """Reject: a reason from the list (checked against the definition by the service), and
    the comment for the BDR."""
    reason = value_of(values, ids.REJECT_REASON)
    if not reason:
        raise FormInvalid({ids.REJECT_REASON: "Choose a reason."})
    return {"reason": reason, "comment": value_of(values, ids.REJECT_COMMENT)}


def loss(values: dict[str, Any]) -> dict[str, str]:
    """Lost: why, in the owner's words, shown on the card."""
    reason = value_of(values, ids.LOST_REASON)
    if not reason:
        raise FormInvalid({ids.LOST_REASON: "Say why it was lost."})
    return {"reason": reason}
