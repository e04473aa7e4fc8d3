"""The stand-in's Socket Mode end: apps.connections.open, hello, envelopes, acks, disconnect."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.slack_spec.server import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as started:
        yield started


def open_url(fake: FakeSlack) -> str:
    return str(WebClient(base_url=fake.url).apps_connections_open(app_token=fake.app_token)["url"])


def receive(link: ClientConnection) -> dict[str, object]:
    return dict(json.loads(link.recv(timeout=5)))


def test_the_app_token_opens_a_loopback_websocket_url(fake: FakeSlack) -> None:
    url = open_url(fake)

    assert url.startswith("ws://127.0.0.1:")
    assert url != open_url(fake)


@pytest.mark.parametrize("method", ["apps.connections.open", "chat.postMessage"])
def test_each_method_refuses_the_other_kind_of_token(fake: FakeSlack, method: str) -> None:
    wrong = fake.token if method == "apps.connections.open" else fake.app_token

    with pytest.raises(SlackApiError) as refused:
        WebClient(token=wrong, base_url=fake.url).api_call(method, params={"channel": "C1"})

    assert refused.value.response["error"] == "not_allowed_token_type"


def test_an_app_is_greeted_then_gets_envelopes_and_its_acks_are_read(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as link:
        hello = receive(link)
        envelope_id = fake.socket_mode.send("events_api", {"type": "event_callback"},
                                            retry_attempt=1, retry_reason="timeout")
        envelope = receive(link)
        link.send(json.dumps({"envelope_id": envelope_id, "payload": {"text": "ok"}}))
        ack = fake.socket_mode.wait_for_ack(envelope_id)

    assert hello["type"] == "hello"
    assert hello["connection_info"] == {"app_id": "A0BATON"}
    assert envelope == {"envelope_id": envelope_id, "type": "events_api",
                        "payload": {"type": "event_callback"}, "accepts_response_payload": False,
                        "retry_attempt": 1, "retry_reason": "timeout"}
    assert ack == {"envelope_id": envelope_id, "payload": {"text": "ok"}}


def test_a_slash_command_envelope_accepts_a_response_payload(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as link:
        receive(link)
        fake.socket_mode.send("slash_commands", {"command": "/qualify"})
        envelope = receive(link)

    assert envelope["accepts_response_payload"] is True
    assert "retry_attempt" not in envelope


def test_disconnect_asks_the_app_to_refresh_its_connection(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as link:
        receive(link)
        fake.socket_mode.disconnect()
        message = receive(link)

    assert message["type"] == "disconnect"
    assert message["reason"] == "refresh_requested"


def test_a_url_is_good_for_one_connection(fake: FakeSlack) -> None:
    url = open_url(fake)
    with connect(url) as first:
        receive(first)
        with connect(url) as second, pytest.raises(ConnectionClosed) as closed:
            second.recv(timeout=5)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


def test_baton_and_its_stand_in_load_without_websockets_until_socket_mode_starts() -> None:
    code = ("import sys, baton.cli, baton.runtime, baton.standin; "
            "sys.exit('websockets' in sys.modules)")

    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
