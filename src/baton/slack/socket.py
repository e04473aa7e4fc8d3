"""Socket Mode: the same App, reached over a WebSocket Slack opens for it (no public URL)."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def build_socket_handler(app: App, app_token: str) -> SocketModeHandler:
    """A handler that feeds Socket Mode envelopes to the app; `.start()` connects."""
    return SocketModeHandler(app, app_token)
