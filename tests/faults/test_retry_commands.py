"""A card waiting for its channel goes out, once, when cron's `baton tick` runs after the channel
is fixed, or when an admin runs `baton outbox retry`; `baton outbox status` says what waits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baton.cli import app
from tests.faults.harness import BOSS, EMEA, Faulty, company

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(baton: Faulty, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    """`baton ...` as cron or an admin runs it, against this Baton's database and Slack, with
    no BATON_SALES_CHANNEL to fall back on."""
    settings = baton.baton.settings
    monkeypatch.chdir(tmp_path)
    for name, value in {"DATABASE_URL": settings.database_url,
                        "SLACK_BOT_TOKEN": settings.slack_bot_token,
                        "SLACK_API_URL": settings.slack_api_url, "BATON_MANAGERS": BOSS,
                        "BATON_SALES_CHANNEL": ""}.items():
        monkeypatch.setenv(name, value)

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return run


def test_outbox_status_lists_a_waiting_card_and_outbox_retry_sends_it_once(
    baton: Faulty, cli: Cli,
) -> None:
    baton.fake.set_channel(EMEA, archived=True)
    name = company("Soylent")
    baton.qualify(name)
    baton.deliver(fallback="")
    assert baton.cards(name) == []

    code, out, _ = cli("outbox", "status")
    waiting = [line for line in out.splitlines() if f"to {EMEA}" in line]
    assert code == 0
    assert len(waiting) == 1
    assert f"<#{EMEA}> is archived; no other channel to post in" in waiting[0]

    baton.fake.set_channel(EMEA)
    row = waiting[0].split()[0].removeprefix("#")
    code, out, err = cli("outbox", "retry", row)
    assert (code, err) == (0, "")
    assert out.startswith("retried 1, sent ")
    assert out.endswith("; set aside 0\n")
    assert cli("outbox", "retry", "--all")[1] == "retried 0, sent 0; set aside 0\n"
    card = baton.card(name)
    assert card.response["channel"] == EMEA
    assert len(baton.thread_of(card)) == 1


def test_cron_s_tick_sends_a_waiting_card_once_its_channel_works(baton: Faulty, cli: Cli) -> None:
    baton.fake.set_channel(EMEA, exists=False)
    name = company("Vandelay")
    baton.qualify(name)
    code, out, _ = cli("tick")
    assert code == 0
    assert out.endswith("; set aside 1 (see `baton outbox status`)\n")
    assert cli("tick")[1].endswith("; set aside 1 (see `baton outbox status`)\n")
    assert baton.cards(name) == []

    baton.fake.set_channel(EMEA)
    code, out, _ = cli("tick")
    assert code == 0
    assert "set aside" not in out
    cli("tick")
    assert baton.card(name).response["channel"] == EMEA


def test_outbox_retry_names_a_row_that_is_not_set_aside(cli: Cli) -> None:
    assert cli("outbox", "retry", "424242")[::2] == (
        1, "baton outbox retry: row 424242 is not set aside (see `baton outbox status`)\n")
    assert cli("outbox", "retry")[::2] == (
        1, "baton outbox retry: give a row id (see `baton outbox status`) or --all\n")
