"""A manager's override: from App Home's team verdicts or a card's overflow, the modal asking
for the new verdict and a reason, and its submission; anyone else is refused with a sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import Refusal
from baton.services import handoff, verdicts
from baton.slack import ids
from baton.slack.ids import ButtonValue
from baton.slack.listeners.handoff import CardClick, card_click
from baton.slack.listeners.home import publish
from baton.slack.listeners.views import value_of
from baton.slack.translator import attempt, sentence
from baton.slack.verdict_views import SALES_READY, VERDICTS

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
CardOverride = Callable[[WebClient, dict[str, Any], CardClick], None]


def register(app: App, deps: Deps, menu: CardOverride) -> None:
    """Wire Override on App Home, a manager's overflow on a card (`menu`: override, reassign,
    release), and the override modal."""
    app.action(ids.HOME_OVERRIDE_PATTERN)(home_overrider(deps))

    def card_overrider(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        menu(client, body, card_click(body))

    app.action(ids.CARD_OVERRIDE)(card_overrider)
    app.view(ids.OVERRIDE_MODAL)(override_submitted(deps))


def open_override(deps: Deps, client: WebClient, trigger_id: str, user: str,
                  qualification_id: int, channel: str) -> str | None:
    """The override modal for a manager; for anyone else, the sentence that refuses them."""
    try:
        target = verdicts.override_target(uow=deps.uow, qualification_id=qualification_id,
                                          manager=deps.managers.is_manager(user))
    except Refusal as refusal:
        return sentence(refusal)
    client.views_open(trigger_id=trigger_id, view=deps.presenter.verdicts.override_modal(
        target=target, private_metadata=f"{qualification_id}|{channel}"))
    return None


def from_card(deps: Deps) -> CardOverride:
    """Override from a card's overflow; a refusal is told in the card's channel."""

    def override(client: WebClient, body: dict[str, Any], click: CardClick) -> None:
        qualification_id = attempt(client, click.channel, click.user, lambda: (
            handoff.qualification_of(uow=deps.uow, handoff_id=click.handoff_id)))
        if qualification_id is None:
            return
        refused = open_override(deps, client, body["trigger_id"], click.user, qualification_id,
                                click.channel)
        if refused is not None:
            client.chat_postEphemeral(channel=click.channel, user=click.user, text=refused)

    return override


def home_overrider(deps: Deps) -> Listener:
    """Override beside a team verdict on App Home; a refusal is shown atop the Home tab."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        value = ButtonValue.unpack(body["actions"][0]["value"])
        refused = open_override(deps, client, body["trigger_id"], user, value.qualification_id,
                                "")
        if refused is not None:
            publish(deps, client, user, notice=refused)

    return listener


def override_submitted(deps: Deps) -> Listener:
    """The override: recorded, and the manager told where they clicked (channel or Home)."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                 client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        choice, reason = value_of(values, ids.OVERRIDE_VERDICT), value_of(values,
                                                                          ids.OVERRIDE_REASON)
        errors = {}
        if choice not in VERDICTS:
            errors[ids.OVERRIDE_VERDICT] = "Choose the new verdict."
        if not reason:
            errors[ids.OVERRIDE_REASON] = "Say why you override the verdict."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        number, _, channel = view["private_metadata"].partition("|")
        try:
            result = verdicts.override_verdict(
                uow=deps.uow, catalog=deps.catalog, presenter=deps.presenter.handoff,
                qualification_id=int(number), manager_user_id=user,
                manager=deps.managers.is_manager(user), sales_ready=choice == SALES_READY,
                reason=reason, default_channel=deps.settings.baton_sales_channel)
        except Refusal as refusal:
            ack(response_action="errors", errors={ids.OVERRIDE_VERDICT: str(refusal)})
            return
        ack()
        said = deps.presenter.verdicts.overridden(result)
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=said)
        else:
            publish(deps, client, user, notice=said)

    return listener
