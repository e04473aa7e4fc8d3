"""`/baton away [until DAY]`, `/baton back` and App Home's toggle: a rep away is skipped by the
round robins, which say so in the card's thread."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from baton.domain.assignment import read_until
from baton.domain.errors import Refusal
from baton.services import handoff
from baton.slack import ids
from baton.slack.listeners.home import publish

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

BATON = "/baton"
USAGE = "\n".join([
    "*Baton for sales reps*",
    "• `/baton away`: round robins skip you until you are back",
    "• `/baton away until friday` (or `14 Dec`, `2026-12-14`): skipped up to that day included",
    "• `/baton back`: in turn for leads again",
])


def register(app: App, deps: Deps) -> None:
    """Wire /baton and App Home's away toggle."""
    app.command(BATON)(baton_command(deps))
    app.action(ids.HOME_AWAY)(home_toggle(deps))


def baton_command(deps: Deps) -> Any:
    def listener(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        verb, _, rest = command.get("text", "").strip().partition(" ")
        if verb.lower() == "away":
            said = away(deps, command["user_id"], rest.strip().removeprefix("until").strip())
        elif verb.lower() == "back":
            said = back(deps, command["user_id"])
        else:
            said = USAGE
        respond(response_type="ephemeral", text=said)

    return listener


def away(deps: Deps, user: str, day: str) -> str:
    """Mark `user` away, saying so, or why the day given cannot be used."""
    today = dt.datetime.now(dt.UTC).date()
    try:
        until = read_until(day, today) if day else None
        handoff.go_away(uow=deps.uow, user=user, until=until, today=today)
    except ValueError as error:
        return f"Nothing changed: {error}. `/baton away until friday`, or `/baton away`."
    except Refusal as error:
        return f"Nothing changed: {error}"
    when = f"up to {until:%a %-d %b} included" if until else "until you say `/baton back`"
    return (f":palm_tree: You are away {when}: round robins give your turns to the others and "
            "say so in each card's thread. Leads you already hold stay yours.")


def back(deps: Deps, user: str) -> str:
    if handoff.come_back(uow=deps.uow, user=user):
        return ":wave: Welcome back: you are in turn for leads again."
    return "You were not away: you are in turn for leads."


def home_toggle(deps: Deps) -> Any:
    """App Home's I'm away / I'm back: Home is published again saying how it went."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        going = (body.get("actions") or [{}])[0].get("value") == "away"
        said = away(deps, user, "") if going else back(deps, user)
        publish(deps, client, user, notice=said)

    return listener
