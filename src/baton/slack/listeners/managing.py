"""A manager's choices on any card's overflow: override the verdict, reassign the lead (a modal
picking the rep), or release it to the channel; anyone else is refused with a sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import Refusal
from baton.services import handoff
from baton.slack import ids
from baton.slack.listeners.handoff import CardClick, from_modal
from baton.slack.listeners.overrides import from_card as override_from_card
from baton.slack.listeners.views import refuse_on_modal, value_of
from baton.slack.translator import attempt

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

CardMenu = Callable[[WebClient, dict[str, Any], CardClick], None]


def register(app: App, deps: Deps) -> None:
    """Wire the reassign modal's submission."""
    app.view(ids.REASSIGN_MODAL)(reassign_submitted(deps))


def manager_menu(deps: Deps) -> CardMenu:
    """What a manager picked on a card's overflow."""
    override = override_from_card(deps)

    def chosen(client: WebClient, body: dict[str, Any], click: CardClick) -> None:
        manager = deps.managers.is_manager(click.user)
        if click.choice == ids.REASSIGN_CHOICE:
            card = attempt(client, click.channel, click.user, lambda: handoff.managed_card(
                uow=deps.uow, handoff_id=click.handoff_id, manager=manager))
            if card is not None:
                client.views_open(trigger_id=body["trigger_id"],
                                  view=deps.presenter.handoff.reassign_modal(
                                      company=card.company, owner=card.owner,
                                      private_metadata=ids.CardModal(
                                          click.handoff_id, click.channel).pack()))
        elif click.choice == ids.MANAGER_RELEASE_CHOICE:
            attempt(client, click.channel, click.user, lambda: handoff.release_by_manager(
                uow=deps.uow, presenter=deps.presenter.handoff, handoff_id=click.handoff_id,
                manager_user_id=click.user, manager=manager))
        else:
            override(client, body, click)

    return chosen


def reassign_submitted(deps: Deps) -> Callable[..., None]:
    """The rep picked: the lead is theirs to accept or release; a refusal shows on the modal."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                 client: WebClient) -> None:
        values = view["state"]["values"]
        to_user = value_of(values, ids.REASSIGN_TO)
        try:
            click = from_modal(deps, body)
            handoff.reassign_card(uow=deps.uow, presenter=deps.presenter.handoff,
                                  handoff_id=click.handoff_id, manager_user_id=click.user,
                                  manager=deps.managers.is_manager(click.user), to_user=to_user)
        except Refusal as refusal:
            refuse_on_modal(ack, deps.presenter.conversation, values, str(refusal),
                            ids.REASSIGN_TO)
            return
        ack()

    return listener
