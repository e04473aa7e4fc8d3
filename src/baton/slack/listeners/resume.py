"""Picking work up again: Resume from `/qualify resume`, and the offer made for a known lead."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.services import qualification as q
from baton.slack import ids
from baton.slack.ids import ButtonValue
from baton.slack.listeners.conversation import (
    clicked,
    converse,
    open_dm,
    post_question,
    start_conversation,
)
from baton.slack.translator import attempt

if TYPE_CHECKING:
    from baton.slack.listeners import Deps


def register(app: App, deps: Deps) -> None:
    """Wire the Resume buttons and the known-lead offer."""
    app.action(ids.RESUME_PATTERN)(resumer(deps))
    app.action(ids.KNOWN_CONTINUE)(known_chooser(deps, fresh=False))
    app.action(ids.KNOWN_START_NEW)(known_chooser(deps, fresh=True))


def resumer(deps: Deps) -> Callable[..., None]:
    """Resume from the list or from App Home: the current question is asked again in the DM."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)
        # A click on the Home tab comes from a view with no channel: the DM is where to answer.
        where = click.channel or open_dm(client, click.user)
        resume_in(client, deps, click.user, click.value.qualification_id, where)

    return listener


def ask_in_dm(client: WebClient, deps: Deps, user: str, step: q.Step) -> None:
    """Ask the step's question in the DM; a conversation never attached gets its root first."""
    if step.dm_channel:
        post_question(deps, client, step)
    else:
        converse(client, deps, open_dm(client, user), step)


def known_chooser(deps: Deps, fresh: bool) -> Callable[..., None]:
    """Continue a known lead's qualification, or start a new one of the same lead."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, view = body["user"]["id"], body["view"]
        kept = json.loads(view["private_metadata"])
        value = ButtonValue.unpack(body["actions"][0]["value"])
        if fresh or not value.qualification_id:
            start_conversation(client, deps, q.Intake(**kept["intake"]), user,
                               body["team"]["id"], lead_id=kept["lead_id"])
        else:
            resume_from_offer(client, deps, user, value.qualification_id)
        notice = deps.presenter.conversation.notice_modal(title="Qualify a lead",
                                    body="Done: the questions are in your DM with Baton.")
        client.views_update(view_id=view["id"], view=notice)

    return listener


def resume_from_offer(client: WebClient, deps: Deps, user: str, qualification_id: int) -> None:
    """Resume the known qualification in the DM; being told why not when it cannot be."""
    resume_in(client, deps, user, qualification_id, open_dm(client, user))


def resume_in(client: WebClient, deps: Deps, user: str, qualification_id: int,
              channel: str) -> None:
    """Ask the current question in the DM; a refusal is told ephemerally in `channel`."""

    step = attempt(client, channel, user, lambda: q.resume_qualification(
        uow=deps.uow, catalog=deps.catalog, qualification_id=qualification_id, bdr_user_id=user))
    if step is not None:
        ask_in_dm(client, deps, user, step)
