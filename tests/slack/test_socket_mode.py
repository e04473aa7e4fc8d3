"""Socket Mode: the same App and listeners, reached without a public URL (no connection made)."""

from __future__ import annotations

import json

from slack_bolt import App
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from baton.settings import Settings
from baton.slack.app import build_app, build_client
from baton.slack.socket import build_socket_handler

APP_TOKEN = "xapp-1-A0BATON-1-test"


def slash_command_envelope(text: str) -> SocketModeRequest:
    """A slash command as Slack delivers it over the Socket Mode WebSocket (no signature)."""
    payload = {
        "team_id": "T0TEAM",
        "user_id": "U0BDR",
        "channel_id": "C0SALES",
        "command": "/qualify",
        "text": text,
        "response_url": "https://hooks.slack.com/commands/T0TEAM/1/abc",
        "trigger_id": "1.2.3",
    }
    return SocketModeRequest(type="slash_commands", envelope_id="env-1", payload=payload)


def test_the_handler_uses_the_app_token_and_the_same_app(settings: Settings) -> None:
    client = build_client(settings)
    app = build_app(settings=settings, client=client)

    handler = build_socket_handler(app, APP_TOKEN)

    assert handler.app is app
    assert handler.app_token == APP_TOKEN
    assert handler.client.app_token == APP_TOKEN
    assert handler.client.web_client is client
    assert handler.client.web_client.base_url == settings.slack_api_url


def test_a_socket_mode_slash_command_reaches_the_registered_listener(wired_app: App) -> None:
    handler = build_socket_handler(wired_app, APP_TOKEN)

    response = run_bolt_app(handler.app, slash_command_envelope("help"))

    assert response.status == 200
    answer = json.loads(response.body)
    assert answer["response_type"] == "ephemeral"
    assert "/qualify resume" in answer["text"]
