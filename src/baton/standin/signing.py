"""Requests signed as Slack signs them, sent over HTTP, and the answers they get."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import Any


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack signs a request with: v0=HMAC-SHA256 of "v0:{ts}:{body}"."""
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Sent:
    """One request as it went out; header names are case-insensitive, as in HTTP."""

    url: str
    content: bytes
    headers: Message


@dataclass(frozen=True)
class Reply:
    """The app's HTTP answer to one request, and the request itself."""

    status_code: int
    content: bytes
    headers: Message = field(default_factory=Message)
    request: Sent | None = None

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def send(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> Reply:
    """POST a body and read the answer, whatever its status."""
    sent = Sent(url, body, Message())
    for name, value in headers.items():
        sent.headers[name] = value
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.read(), response.headers, sent)
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.read(), error.headers, sent)
