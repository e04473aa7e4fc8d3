"""Baton over HTTP: signed requests at /slack/events, the health check, and `baton run`."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from baton.cli import app as cli
from baton.settings import Settings
from baton.slack.app import build_app, build_client
from baton.slack.server import create_asgi, serving_locally
from baton.standin.client import SlackClient
from tests.slack.baton_run import start_baton_run
from tests.slack.test_conversation_harness import SIGNING_SECRET
from tests.slack_spec.server import FakeSlack


@pytest.mark.parametrize("text", ["help", "HELP", " help "])
def test_qualify_help_answers_with_the_usage(slack: SlackClient, text: str) -> None:
    response = slack.command("/qualify", text)

    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert "/qualify resume" in answer["text"]
    assert "/qualify help" in answer["text"]


def test_a_request_signed_with_another_secret_is_refused(slack: SlackClient) -> None:
    response = slack.command("/qualify", "help", bad_signature=True)

    assert response.status_code == 401
    assert "qualify" not in response.text


def test_an_unsigned_request_is_refused(running_baton: str) -> None:
    response = httpx.post(
        running_baton + "/slack/events",
        content="command=%2Fqualify&text=help",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 401


def test_a_replayed_request_older_than_five_minutes_is_refused(slack: SlackClient) -> None:
    response = slack.command("/qualify", "help", age_seconds=6 * 60)

    assert response.status_code == 401


def test_slacks_ssl_check_is_answered(slack: SlackClient) -> None:
    response = slack.post(b"ssl_check=1&token=legacy", "application/x-www-form-urlencoded")

    assert (response.status_code, response.content) == (200, b"")


def test_a_command_whose_form_says_payload_is_still_a_command(slack: SlackClient) -> None:
    # Sent from #cpayload: Bolt alone would take the form for an interactive payload.
    response = slack.command("/qualify", "help", channel_id="CPAYLOAD")

    assert response.status_code == 200
    assert "/qualify resume" in response.json()["text"]


def test_the_url_verification_challenge_is_answered(slack: SlackClient) -> None:
    response = slack.url_verification("c-123")

    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


def test_health_check_is_ok_when_the_database_answers(running_baton: str) -> None:
    response = httpx.get(running_baton + "/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/baton?connect_timeout=2",
        "sqlite:///{tmp}/missing-folder/baton.db",
    ],
    ids=["postgresql-closed-port", "sqlite-missing-folder"],
)
def test_health_check_is_503_when_the_database_cannot_be_reached(
    url: str, tmp_path: Path, settings: Settings
) -> None:
    engine = sa.create_engine(url.format(tmp=tmp_path))
    asgi = create_asgi(build_app(settings=settings, client=build_client(settings)), engine,
                       signing_secret=SIGNING_SECRET)

    with serving_locally(asgi) as base_url:
        response = httpx.get(base_url + "/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}


def test_baton_run_without_a_bot_token_names_the_variable_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file from the developer's checkout
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)

    result = CliRunner().invoke(cli, ["run"])

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("SLACK_BOT_TOKEN:")
    assert "Traceback" not in result.output


def test_baton_run_on_a_database_it_cannot_open_names_the_variable_and_exits_1(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    # `baton run` migrates in a copy of itself; what went wrong there is said as before.
    baton = start_baton_run(f"sqlite:///{tmp_path / 'no' / 'such' / 'baton.db'}", fake_slack,
                            tmp_path)
    _, err = baton.communicate(timeout=60)

    assert baton.returncode == 1
    assert err.startswith("DATABASE_URL: cannot use the database at sqlite:///")
    assert err.endswith("(unable to open database file)\n")
    assert err.count("\n") == 1
