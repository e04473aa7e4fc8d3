"""Garbage at /slack/events: 401 unless Slack signed it, 400 if signed but malformed; no 500."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest

from baton.standin import payloads
from baton.standin.signing import Reply, send, sign
from tests.slack.test_conversation_harness import SIGNING_SECRET

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every warning from Baton, Bolt and uvicorn (whose own logger does not reach the root)."""
    uvicorn = logging.getLogger("uvicorn")
    uvicorn.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING)
    yield caplog
    uvicorn.removeHandler(caplog.handler)


def form(payload: object) -> bytes:
    """An interactive request's body: the payload as JSON text in a form field."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return urlencode({"payload": text}).encode()


def click(**changes: object) -> dict[str, object]:
    """A button click on a message, with some of its fields changed."""
    action = payloads.button("some_action", "1", "block")
    body = payloads.message_block_actions(payloads.Who(), action, None, "C0BDRS",
                                          "https://hooks.slack.com/actions/1", "1.trigger")
    return {**body, **changes}


def post(base_url: str, body: bytes, content_type: str, headers: dict[str, str]) -> Reply:
    return send(base_url + "/slack/events", body, {"Content-Type": content_type, **headers})


def signed(body: bytes, *, secret: str = SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    return sign(body, secret, int(time.time()) - age)


def assert_refused_quietly(log: pytest.LogCaptureFixture) -> None:
    """One log line saying why, and no traceback anywhere."""
    lines = [r for r in log.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].name == "baton.slack.server"
    assert "Refused" in lines[0].getMessage()
    assert all(r.exc_info is None for r in log.records)
    assert "Traceback" not in log.text


# Headers are made when each test runs: a timestamp made at collection would age meanwhile.
Headers = Callable[[], dict[str, str]]
UNSIGNED: dict[str, tuple[bytes, str, Headers]] = {
    "non-utf8, no signature": (b"\xff\xfe\x00payload", FORM, dict),
    "non-json payload, no signature": (form("{not json"), FORM, dict),
    "json list, no signature": (b"[1, 2, 3]", JSON, dict),
    "non-utf8, another secret": (b"\xff\xfe", FORM, lambda: signed(b"\xff\xfe", secret="not-it")),
    "non-numeric timestamp": (
        b"[1]", JSON, lambda: {**signed(b"[1]"), "X-Slack-Request-Timestamp": "soon"}),
    "unicode digits as timestamp": (
        b"[1]", JSON, lambda: {**signed(b"[1]"), "X-Slack-Request-Timestamp": "\u00b2"}),
    "missing timestamp": (
        b"[1]", JSON, lambda: {"X-Slack-Signature": signed(b"[1]")["X-Slack-Signature"]}),
    "missing signature": (
        b"[1]", JSON, lambda: {"X-Slack-Request-Timestamp": str(int(time.time()))}),
    "stale timestamp": (b"[1]", JSON, lambda: signed(b"[1]", age=6 * 60)),
    "timestamp in the future": (b"[1]", JSON, lambda: signed(b"[1]", age=-6 * 60)),
}


@pytest.mark.parametrize(("body", "content_type", "headers"), UNSIGNED.values(), ids=UNSIGNED)
def test_unsigned_or_badly_signed_garbage_is_refused_with_401(
    running_baton: str, log: pytest.LogCaptureFixture,
    body: bytes, content_type: str, headers: Headers,
) -> None:
    response = post(running_baton, body, content_type, headers())

    assert response.status_code == 401
    assert response.json() == {"error": "invalid request"}
    assert_refused_quietly(log)


MALFORMED = {
    "non-utf8 form": (b"command=%2Fqualify&text=\xff\xfe", FORM),
    "non-utf8 json": (b'{"type": "event_callback", "x": "\xff"}', JSON),
    "payload not json": (form("{not json"), FORM),
    "json list body": (b"[1, 2, 3]", JSON),
    "json number body": (b"42", JSON),
    "payload a json list": (form([1, 2]), FORM),
    "payload a json number": (form("7"), FORM),
    "payload with no type": (form({"user": {"id": "U0BDR1"}}), FORM),
    "block_actions with no actions": (form(click(actions=None)), FORM),
    "block_actions with empty actions": (form(click(actions=[])), FORM),
    "block_actions with an action that is text": (form(click(actions=["claim"])), FORM),
    "view_submission with no view": (form({"type": "view_submission", "user": {}}), FORM),
    "event_callback with no event": (b'{"type": "event_callback", "event_id": "Ev1"}', JSON),
    "a user that is a number": (form(click(user=5)), FORM),
    "a form that is no command": (b"hello=world", FORM),
    "deeply nested json": (b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}", JSON),
}


@pytest.mark.parametrize(("body", "content_type"), MALFORMED.values(), ids=MALFORMED)
def test_signed_but_malformed_bodies_are_refused_with_400(
    running_baton: str, log: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    response = post(running_baton, body, content_type, signed(body))

    assert response.status_code == 400
    assert response.json() == {"error": "malformed request"}
    assert_refused_quietly(log)


def test_a_well_formed_click_nobody_listens_for_is_not_refused_as_malformed(
    running_baton: str, log: pytest.LogCaptureFixture
) -> None:
    body = form(click())

    response = post(running_baton, body, FORM, signed(body))

    assert response.status_code == 404
    assert not [r for r in log.records if r.name == "baton.slack.server"]
