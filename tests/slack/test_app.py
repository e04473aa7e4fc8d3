"""The Bolt app as built for production: wiring, Web API retries, the global error handler."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest

from baton.settings import Settings
from baton.slack.app import APOLOGY, build_app, build_client, form_too_late
from baton.standin.payloads import Who, slash_command
from baton.standin.signing import sign
from tests.slack.test_conversation_harness import SIGNING_SECRET
from tests.slack_spec.server import FakeSlack


def signed(body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltRequest:
    """A request as Slack sends it, signed with the test secret."""
    headers = {**sign(body.encode(), SIGNING_SECRET), "Content-Type": content_type}
    return BoltRequest(body=body, headers=headers)


def command_body(
    text: str, command: str = "/qualify", response_url: str = "https://hooks.slack.com/x"
) -> str:
    """A slash command form as Slack posts it."""
    return urlencode(slash_command(Who(), command, text, "C0BDRS", response_url, "1.trigger"))


def test_the_wired_app_answers_qualify_help(wired_app: App) -> None:
    response = wired_app.dispatch(signed(command_body("help")))

    assert response.status == 200
    assert "/qualify resume" in json.loads(response.body)["text"]


def test_a_command_nobody_registered_is_not_acknowledged(wired_app: App) -> None:
    response = wired_app.dispatch(signed(command_body("", command="/unknown")))

    assert response.status == 404


def test_starting_with_the_bot_token_in_the_environment_logs_no_warning(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", settings.slack_bot_token)

    with caplog.at_level(logging.INFO):
        app = build_app(settings=settings, client=build_client(settings))
        app.logger.warning("a warning of Bolt's after start-up")

    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ["a warning of Bolt's after start-up"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_web_api_calls_survive_one_rate_limit_or_server_error(
    settings: Settings, fake_slack: FakeSlack, status: int
) -> None:
    fake_slack.fail("chat.postMessage", status=status, retry_after=0)

    result = build_client(settings).chat_postMessage(channel="C0SALES", text="hello")

    assert result["ok"] is True
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [status, 200]


def test_a_command_failing_before_its_ack_is_answered_with_an_apology(
    wired_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    app = wired_app

    @app.command("/explode")
    def explode() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="baton"):
        response = app.dispatch(signed(command_body("now", command="/explode")))

    assert response.status == 200
    assert json.loads(response.body) == {"response_type": "ephemeral", "text": APOLOGY}
    assert any("command /explode" in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_command_failing_after_its_ack_apologises_through_the_response_url(
    wired_app: App, fake_slack: FakeSlack
) -> None:
    app = wired_app

    @app.command("/explode")
    def explode(ack: Ack) -> None:
        ack()
        raise RuntimeError("boom")

    hook = fake_slack.root + "response_url/T0TEAM/1/abc"
    body = command_body("now", command="/explode", response_url=hook)
    assert app.dispatch(signed(body)).status == 200

    [call] = fake_slack.wait_for("response_url")
    apology = call.args
    assert apology["text"] == APOLOGY
    assert apology["response_type"] == "ephemeral"


def test_an_error_in_an_event_from_a_person_is_apologised_for_ephemerally(
    wired_app: App, fake_slack: FakeSlack
) -> None:
    app = wired_app

    @app.event("member_joined_channel")
    def explode() -> None:
        raise RuntimeError("boom")

    event = {"type": "member_joined_channel", "user": "U0MGR", "channel": "C0SALES"}
    body = {"type": "event_callback", "team_id": "T0TEAM", "event": event, "event_id": "Ev1"}
    app.dispatch(signed(json.dumps(body), "application/json"))

    [call] = fake_slack.wait_for("chat.postEphemeral")
    sent = call.args
    assert sent["user"] == "U0MGR"
    assert sent["channel"] == "C0SALES"
    assert sent["text"] == APOLOGY


def test_a_form_too_late_after_a_click_asks_for_the_click_again() -> None:
    clicked = {"type": "block_actions", "actions": [{"action_id": "open_form"}]}

    assert form_too_late(clicked) == (
        ":hourglass: Baton was busy and missed the 3 seconds Slack allows to open that form. "
        "Nothing was lost: please click the button again.")
