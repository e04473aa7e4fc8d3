"""Slash commands: `/qualify` and its subcommands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from baton.services import qualification as q
from baton.slack import views
from baton.slack.acks import deferred

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

QUALIFY = "/qualify"

QUALIFY_USAGE = "\n".join(
    [
        "*Qualify a lead with Baton*",
        "• `/qualify Acme Corp`: start qualifying a lead at Acme Corp "
        "(a lead already known is offered for continuing)",
        "• `/qualify`: the same, with the company left for you to type",
        "• `/qualify resume`: pick up a paused qualification where it stopped",
        "• `/qualify help`: show this message",
    ]
)


def register(app: App, deps: Deps) -> None:
    """Wire the slash commands."""

    def asks_help(command: dict[str, Any]) -> bool:
        return str(command.get("text", "")).strip().lower() == "help"

    def usage(ack: Ack) -> None:
        """`/qualify help`: answered in the ack, nothing after."""
        ack(text=QUALIFY_USAGE, response_type="ephemeral")

    @deferred
    def qualify(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """`/qualify resume`, otherwise the intake modal for a company."""
        word = command.get("text", "").strip()
        ack()
        if word.lower() == "resume":
            respond(response_type="ephemeral", **paused_list(deps, command["user_id"]).as_kwargs())
        else:
            client.views_open(trigger_id=command["trigger_id"], view=intake(deps, word))

    # Bolt runs the first listener whose matchers all match.
    app.command(QUALIFY, matchers=[asks_help])(usage)
    app.command(QUALIFY)(qualify)


def intake(deps: Deps, company: str) -> dict[str, Any]:
    """The intake modal with the company prefilled, its pick-lists from the definition in force."""
    choices = q.intake_choices(uow=deps.uow, catalog=deps.catalog)
    return deps.presenter.intake.intake_modal(company=company, choices=choices)


def paused_list(deps: Deps, bdr_user_id: str) -> views.Message:
    """The BDR's paused qualifications, each with a Resume button."""
    items = q.paused_qualifications(uow=deps.uow, catalog=deps.catalog, bdr_user_id=bdr_user_id)
    return deps.presenter.conversation.resume_list(items=[
        views.Paused(qualification_id=p.qualification_id, company=p.company,
                     framework=p.framework, answered=max(p.position - 1, 0), total=p.total,
                     paused_at=p.started_at)
        for p in items
    ])
