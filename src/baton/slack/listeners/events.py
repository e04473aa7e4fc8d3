"""Events: what the BDR types in a qualification's thread becomes a note on the current question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App

from baton.services import qualification as q

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

MESSAGE = "message"


def register(app: App, deps: Deps) -> None:
    """Wire the message events of the bot's DMs."""

    def message(event: dict[str, Any]) -> None:
        """A person's reply in a DM thread becomes a note (retries stop in slack/retries.py)."""
        if not is_person_reply(event):
            return
        q.add_note(uow=deps.uow, catalog=deps.catalog, dm_channel=event["channel"],
                   thread_ts=event["thread_ts"], author=event["user"],
                   text=event.get("text", ""))

    app.event(MESSAGE)(message)


def is_person_reply(event: dict[str, Any]) -> bool:
    """A message a person typed in a thread of a DM: not the bot's own, not an edit or a join."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )
