"""Socket Mode: the same App, reached over a WebSocket Slack opens for it (no public URL)."""

from __future__ import annotations

from time import time

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from baton.slack import acks
from baton.slack.metrics import Metrics


class AckingSocketModeHandler(SocketModeHandler):
    """Bolt's handler, sending each envelope's ack the moment the listener acks (acks.dispatch)
    instead of once the listener has done all its work."""

    metrics: Metrics

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time()
        request = BoltRequest(mode="socket_mode", body=req.payload, headers=build_headers(req))

        def answer(response: BoltResponse) -> None:
            send_response(client, req, response, start)
            self.metrics.acked(request.body, time() - start)

        acks.dispatch(self.app, request, answer)


def build_socket_handler(app: App, app_token: str,
                         metrics: Metrics | None = None) -> SocketModeHandler:
    """A handler that feeds Socket Mode envelopes to the app; `.start()` connects."""
    handler = AckingSocketModeHandler(app, app_token)
    handler.metrics = metrics or Metrics()
    return handler
