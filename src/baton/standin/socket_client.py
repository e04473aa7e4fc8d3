"""SocketSlackClient: plays Slack towards an app over Socket Mode, as SlackClient does over HTTP."""

from __future__ import annotations

import json
from typing import Any

from baton.standin.client import SlackSide
from baton.standin.payloads import Who
from baton.standin.signing import Reply
from baton.standin.socket_mode import SocketModeServer

# Slack gives up on an ack after 3 s; tests allow more so a busy machine is not mistaken for a bug.
ACK_TIMEOUT = 10.0
# What a request that was never acknowledged reads as, in the HTTP terms the harnesses check.
NO_ACK = 504


class SocketSlackClient(SlackSide):
    """The same requests as SlackClient, sent as envelopes; each Reply is the app's ack."""

    def __init__(self, socket: SocketModeServer, *, response_base: str = "https://hooks.slack.com/",
                 who: Who | None = None, ack_timeout: float = ACK_TIMEOUT) -> None:
        super().__init__(response_base=response_base, who=who)
        self.socket = socket
        self.ack_timeout = ack_timeout

    def deliver(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                retry_reason: str = "") -> Reply:
        """Send one envelope and wait for its ack: 200 with the ack's payload, or 504 for none."""
        envelope_id = self.socket.send(kind, payload, retry_attempt=retry_attempt,
                                       retry_reason=retry_reason)
        ack = self.socket.wait_for_ack(envelope_id, self.ack_timeout)
        if ack is None:
            return Reply(NO_ACK, f"no ack of envelope {envelope_id}".encode())
        answer = ack.get("payload")
        return Reply(200, json.dumps(answer).encode() if answer else b"")

    def _command(self, fields: dict[str, str], **send: Any) -> Reply:
        _refuse_http_options(send)
        return self.deliver("slash_commands", fields)

    def _interactive(self, payload: dict[str, Any], **send: Any) -> Reply:
        _refuse_http_options(send)
        return self.deliver("interactive", payload)

    def _event(self, body: dict[str, Any], retry_num: int | None, retry_reason: str,
               **send: Any) -> Reply:
        _refuse_http_options(send)
        return self.deliver("events_api", body, retry_attempt=retry_num or 0,
                            retry_reason=retry_reason if retry_num else "")


def _refuse_http_options(send: dict[str, Any]) -> None:
    # Signatures, timestamps and headers belong to HTTP; Socket Mode envelopes carry none.
    if send:
        raise TypeError(f"Socket Mode requests take no {', '.join(sorted(send))}")
