"""Request payloads in the exact shapes Slack sends to an app."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Who:
    """The workspace, app and person a request comes from."""

    user_id: str = "U0BDR1"
    user_name: str = "bdr.one"
    team_id: str = "T0FAKE"
    team_domain: str = "fake"
    api_app_id: str = "A0BATON"
    bot_user_id: str = "U0BATON"
    verification_token: str = "legacy-verification-token"

    def as_user(self, user_id: str | None) -> Who:
        if user_id is None or user_id == self.user_id:
            return self
        return replace(self, user_id=user_id, user_name=user_id.lower())

    def user(self) -> dict[str, str]:
        return {
            "id": self.user_id,
            "username": self.user_name,
            "name": self.user_name,
            "team_id": self.team_id,
        }

    def team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.team_domain}


# Slack lets an app use a trigger_id for 3 seconds after the command, click or submission that
# carried it, and once.
TRIGGER_SECONDS = 3.0
_TRIGGERS = itertools.count(1)


def trigger_id() -> str:
    """A new trigger_id in Slack's format ("132456.7890123.abcdef"), saying when it was issued."""
    return f"{int(time.time() * 1000)}.{next(_TRIGGERS)}.{uuid.uuid4().hex[:12]}"


def trigger_issued(trigger: str) -> float | None:
    """When a trigger_id from trigger_id() was issued (seconds since the epoch); None for any
    other, such as one a test wrote by hand."""
    issued, *rest = trigger.split(".")
    if len(rest) != 2 or len(issued) != 13 or not issued.isdigit():  # milliseconds since 1970
        return None
    return int(issued) / 1000


def _now() -> str:
    return f"{time.time():.6f}"


def slash_command(
    who: Who, command: str, text: str, channel_id: str, response_url: str, trigger_id: str
) -> dict[str, str]:
    """The form fields of a slash command."""
    return {
        "token": who.verification_token,
        "team_id": who.team_id,
        "team_domain": who.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_id.lower(),
        "user_id": who.user_id,
        "user_name": who.user_name,
        "command": command,
        "text": text,
        "api_app_id": who.api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def button(action_id: str, value: str, block_id: str) -> dict[str, Any]:
    """One clicked button as it appears in `actions`."""
    return {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": value or action_id, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": _now(),
    }


def picked(action_id: str, block_id: str, *, date: str | None = None,
           option: tuple[str, str] | None = None) -> dict[str, Any]:
    """A date picked in a datepicker, or an option (value, label) chosen in a static_select."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": _now()}
    if date is not None:
        return {**action, "type": "datepicker", "selected_date": date}
    if option is None:
        raise ValueError("picked: give the date or the option chosen")
    value, label = option
    chosen = {"text": {"type": "plain_text", "text": label, "emoji": True}, "value": value}
    return {**action, "type": "static_select", "selected_option": chosen,
            "placeholder": {"type": "plain_text", "text": "Choose", "emoji": True}}


def _block_actions(who: Who, action: dict[str, Any], trigger_id: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": who.user(),
        "api_app_id": who.api_app_id,
        "token": who.verification_token,
        "trigger_id": trigger_id,
        "team": who.team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }


def message_block_actions(
    who: Who,
    action: dict[str, Any],
    message: dict[str, Any] | None,
    channel_id: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, Any]:
    """A click on a message's button: container, channel, message and a response_url."""
    message = message or {"type": "message", "ts": _now(), "text": "", "blocks": []}
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    if message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    return {
        **_block_actions(who, action, trigger_id),
        "container": container,
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "message": message,
        "response_url": response_url,
    }


def view_block_actions(
    who: Who, action: dict[str, Any], view: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    """A click inside a modal or App Home: the container is the view, no channel or message."""
    view_id = view.get("id", "V0MODAL")
    return {
        **_block_actions(who, action, trigger_id),
        "container": {"type": "view", "view_id": view_id},
        "view": {"id": view_id, "state": {"values": {}}, "hash": _now(), **view},
    }


def view_submission(
    who: Who,
    callback_id: str,
    values: dict[str, dict[str, Any]],
    private_metadata: str,
    view_id: str,
    trigger_id: str,
) -> dict[str, Any]:
    """A modal's submit: the view with its state.values."""
    view = {
        "id": view_id,
        "team_id": who.team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": _now(),
        "title": {"type": "plain_text", "text": "Baton"},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit"},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": who.api_app_id,
        "external_id": "",
        "app_installed_team_id": who.team_id,
        "bot_id": "B0BATON",
    }
    return {
        "type": "view_submission",
        "team": who.team(),
        "user": who.user(),
        "api_app_id": who.api_app_id,
        "token": who.verification_token,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_callback(who: Who, event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The Events API envelope around one event."""
    return {
        "token": who.verification_token,
        "team_id": who.team_id,
        "api_app_id": who.api_app_id,
        "event": {"event_ts": _now(), **event},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": who.team_id,
                "user_id": who.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_id}",
    }
