"""Slack's end of Socket Mode: a loopback WebSocket that sends envelopes and reads the app's acks.

`apps.connections.open` hands out a one-use ws:// URL here; the app connects, is greeted with
`hello`, receives envelopes and answers each with `{"envelope_id": ..., "payload": ...}`. It needs
the `websockets` package (a development dependency), imported only when the server starts.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Kinds of envelope whose ack may carry a response (a slash command's reply, a modal's errors).
ANSWERED_BY_ACK = {"slash_commands", "view_submission", "block_suggestion"}
POLICY_VIOLATION = 1008


@dataclass
class Link:
    """One WebSocket connection an app opened with a ticket from apps.connections.open."""

    ticket: str
    connection: Any  # websockets.sync.server.ServerConnection
    closed: threading.Event = field(default_factory=threading.Event)

    def send(self, message: dict[str, Any]) -> None:
        self.connection.send(json.dumps(message))


class SocketModeServer:
    """Socket Mode on 127.0.0.1: `links` opened, `received` from the app; `with` starts it."""

    def __init__(self, *, app_id: str = "A0BATON") -> None:
        self.app_id = app_id
        self.links: list[Link] = []
        self.received: list[dict[str, Any]] = []
        self._issued: set[str] = set()
        self._tickets = itertools.count(1)
        self._changed = threading.Condition()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> SocketModeServer:
        try:
            from websockets.sync.server import serve
        except ModuleNotFoundError:
            raise RuntimeError("Socket Mode in the stand-in needs the websockets package "
                               "(pip install -e '.[dev]')") from None
        self._server = serve(self._serve, "127.0.0.1", 0, compression=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="slack-standin-socket-mode")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SocketModeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def issue_url(self) -> str:
        """A new one-use URL, as apps.connections.open answers it."""
        if self._server is None:
            raise RuntimeError("the Socket Mode server is not started")
        ticket = f"ticket-{next(self._tickets)}"
        with self._changed:
            self._issued.add(ticket)
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _serve(self, connection: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        ticket = parse_qs(urlsplit(connection.request.path).query).get("ticket", [""])[0]
        with self._changed:
            known = ticket in self._issued
            self._issued.discard(ticket)
        if not known:
            connection.close(POLICY_VIOLATION, "unknown or already used ticket")
            return
        link = Link(ticket, connection)
        self._note(lambda: self.links.append(link))
        try:
            link.send(self._hello())
            for message in connection:
                self._note(lambda message=message: self.received.append(_parsed(message)))
        except ConnectionClosed:
            pass  # The app dropped the socket without a closing handshake, as slack_sdk does.
        finally:
            link.closed.set()
            self._note(lambda: None)

    def _hello(self) -> dict[str, Any]:
        return {"type": "hello", "num_connections": len(self.open_links()),
                "debug_info": {"host": "applink-standin", "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id}}

    def _note(self, change: Any) -> None:
        with self._changed:
            change()
            self._changed.notify_all()

    def open_links(self) -> list[Link]:
        with self._changed:
            return [link for link in self.links if not link.closed.is_set()]

    def wait_for_link(self, count: int = 1, timeout: float = 10.0) -> Link:
        """The `count`-th connection the app opened, once it is open."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.links) >= count, timeout):
                raise AssertionError(f"waited {timeout}s for connection {count}, "
                                     f"got {len(self.links)}")
            return self.links[count - 1]

    def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
             retry_reason: str = "") -> str:
        """Send an envelope on the newest open connection; its envelope_id, to wait for the ack."""
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": (kind in ANSWERED_BY_ACK
                                                 or payload.get("type") in ANSWERED_BY_ACK)}
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        self._newest().send(envelope)
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Tell the app this connection is going away, as Slack does every few hours."""
        self._newest().send({"type": "disconnect", "reason": reason,
                             "debug_info": {"host": "applink-standin"}})

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any] | None:
        """The app's ack of one envelope, or None if none came in time."""
        def ack() -> dict[str, Any] | None:
            return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

        with self._changed:
            self._changed.wait_for(lambda: ack() is not None, timeout)
            return ack()

    def _newest(self) -> Link:
        deadline = time.monotonic() + 10
        while not (links := self.open_links()):
            if time.monotonic() > deadline:
                raise AssertionError("no open Socket Mode connection to send on")
            time.sleep(0.01)
        return links[-1]


def _parsed(message: str | bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(message)
    except ValueError:
        return {"_raw": message if isinstance(message, str) else message.decode("utf-8", "replace")}
    return parsed if isinstance(parsed, dict) else {"_raw": parsed}
