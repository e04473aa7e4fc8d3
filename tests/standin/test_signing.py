"""Signed requests from SlackClient are accepted and routed by a real Bolt app."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from baton.standin import SlackClient, sign
from tests.slack_spec.server import FakeSlack

SECRET = "shhh-signing-secret"


def test_sign_verifies_with_slack_sdk() -> None:
    body = b"token=x&command=%2Fqualify"
    headers = sign(body, SECRET)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + b"&text=tampered", headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)


def test_sign_uses_the_given_timestamp() -> None:
    old = int(time.time()) - 3600
    headers = sign(b"{}", SECRET, timestamp=old)
    assert headers["X-Slack-Request-Timestamp"] == str(old)
    assert not SignatureVerifier(SECRET).is_valid_request(b"{}", headers)


def _serve(app: App) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            headers = {k: [v] for k, v in self.headers.items()}
            answer = app.dispatch(BoltRequest(body=body, headers=headers))
            payload = answer.body.encode()
            self.send_response(answer.status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return server


@pytest.fixture
def bolt() -> Iterator[tuple[SlackClient, FakeSlack, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    with FakeSlack() as fake:
        client = WebClient(token=fake.token, base_url=fake.url)
        app = App(signing_secret=SECRET, client=client, token_verification_enabled=False)

        @app.command("/qualify")
        def qualify(ack: Any, body: dict[str, Any], respond: Any) -> None:
            ack()
            seen.append(body)
            respond(text=f"Qualifying {body['text']}")

        @app.action("claim")
        def claim(ack: Any, body: dict[str, Any]) -> None:
            ack()
            seen.append(body)

        @app.view("intake")
        def intake(ack: Any, view: dict[str, Any]) -> None:
            ack()
            seen.append(view)

        @app.event("app_home_opened")
        def home(event: dict[str, Any]) -> None:
            seen.append(event)

        server = _serve(app)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with SlackClient(base, SECRET, response_base=fake.root) as slack:
            yield slack, fake, seen
        server.shutdown()
        server.server_close()


def test_command_is_routed_and_respond_reaches_the_fake(bolt: Any) -> None:
    slack, fake, seen = bolt
    assert slack.command("/qualify", "Acme Corp", user_id="U0BDR7").status_code == 200
    (call,) = fake.wait_for("response_url")
    assert call.args["text"] == "Qualifying Acme Corp"
    assert seen[0]["user_id"] == "U0BDR7"
    assert seen[0]["trigger_id"]


def test_block_action_and_view_submission_are_routed(bolt: Any) -> None:
    slack, _, seen = bolt
    assert slack.block_action("claim", "lead-1", message={"ts": "1.2", "text": ""}).is_success
    values = {"company": {"company": {"type": "plain_text_input", "value": "Acme"}}}
    assert slack.view_submission("intake", values).is_success
    action, view = seen
    assert action["actions"][0]["value"] == "lead-1"
    assert action["container"]["message_ts"] == "1.2"
    assert view["state"]["values"]["company"]["company"]["value"] == "Acme"


def test_event_and_retry_headers(bolt: Any) -> None:
    slack, _, seen = bolt
    assert slack.event({"type": "app_home_opened", "user": "U0BDR1", "tab": "home"}).is_success
    retried = slack.event({"type": "app_home_opened", "user": "U0BDR1"}, retry_num=1)
    assert retried.is_success
    assert retried.request.headers["X-Slack-Retry-Num"] == "1"
    deadline = time.monotonic() + 5
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [event["user"] for event in seen] == ["U0BDR1", "U0BDR1"]


def test_url_verification_echoes_the_challenge(bolt: Any) -> None:
    slack, _, _ = bolt
    answer = slack.url_verification("abc123")
    assert answer.status_code == 200
    assert "abc123" in answer.text


def test_wrong_signature_and_old_timestamp_are_refused(bolt: Any) -> None:
    slack, _, seen = bolt
    assert slack.command("/qualify", "Acme", bad_signature=True).status_code == 401
    assert slack.command("/qualify", "Acme", age_seconds=600).status_code == 401
    assert seen == []
