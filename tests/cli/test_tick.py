"""`baton tick`, as cron runs it: one SLA tick and one outbox pass against Slack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from baton.cli import app
from baton.domain.lead import Answer
from baton.domain.scoring import judge
from baton.services.catalog import load_catalog
from baton.services.handoff import card_key, request_handoff
from baton.services.outbox import enqueue
from baton.services.qualification import start_qualification
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine, session_scope, upgrade
from tests.conftest import PROMPTS_DIR
from tests.services.conftest import acme
from tests.slack_spec.server import FakeSlack

CHANNEL = "C0SALES001"
STRONG = [Answer(criterion="budget", choice="approved"),
          Answer(criterion="authority", choice="decision_maker"),
          Answer(criterion="need", choice="urgent"),
          Answer(criterion="timeline", choice="this_quarter")]
LAST_TUESDAY_10 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.set_usergroup("S0MANAGERS", ["U0BOSS0001", "U0BOSS0002"])
        yield fake
        assert fake.invalid == []


@pytest.fixture
def environment(database_url: str, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch,
                tmp_path: Path) -> str:
    """What cron gives `baton tick`: the database, Slack and the managers, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake.token)
    monkeypatch.setenv("SLACK_API_URL", fake.url)
    monkeypatch.setenv("BATON_MANAGERS", "S0MANAGERS")
    return database_url


def _overdue_handoff(database_url: str) -> None:
    """A sales-ready lead handed off last Tuesday morning, its card queued, nobody claiming."""
    catalog = load_catalog(PROMPTS_DIR)
    engine = make_engine(database_url)
    upgrade(engine)
    step = start_qualification(uow=UnitOfWork(engine), catalog=catalog, intake=acme(),
                               bdr_user_id="U0BDR0001", team_id="T0TEAM001")
    verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, STRONG,
                    today=LAST_TUESDAY_10.date())
    with freeze_time(LAST_TUESDAY_10), session_scope(engine) as session:
        handoff = request_handoff(session=session, definition=catalog.definition,
                                  qualification_id=step.qualification_id, verdict=verdict,
                                  default_channel=CHANNEL)
        # Where handing off queues its own card, this changes nothing (same key).
        enqueue(session=session, kind="chat.postMessage",
                dedupe_key=card_key(handoff.handoff_id),
                payload={"channel": handoff.channel, "text": "Acme Corp is sales-ready"})
    engine.dispose()


def _tick() -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["tick"])
    return result.exit_code, result.stdout, result.stderr


def _posts(fake: FakeSlack) -> list[dict]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.response.get("ok")]


def test_tick_reminds_escalates_and_sends_once(environment: str, fake: FakeSlack) -> None:
    _overdue_handoff(environment)
    code, out, err = _tick()
    posts = _posts(fake)
    assert (code, out, err) == (0, f"reminded 1, escalated 1, sent {len(posts)}\n", "")
    assert _tick() == (0, "reminded 0, escalated 0, sent 0\n", "")
    assert len(_posts(fake)) == len(posts)
    [reminder] = [p for p in posts if "still waiting" in p["text"]]
    [card] = [c for c in fake.calls_to("chat.postMessage") if "thread_ts" not in c.args
              and c.response.get("ts") == reminder["thread_ts"]]
    assert card.args["channel"] == reminder["channel"]
    assert sorted(p["channel"] for p in posts if "Nobody has claimed" in p["text"]) == [
        "U0BOSS0001", "U0BOSS0002"]
    # The card's BDR is sent a link to it once it is up.
    assert [p["channel"] for p in posts].count("U0BDR0001") == 1


def test_tick_on_an_empty_database_creates_the_schema_and_does_nothing(environment: str) -> None:
    assert _tick() == (0, "reminded 0, escalated 0, sent 0\n", "")


def test_tick_without_a_bot_token_names_the_variable(
    environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    code, out, err = _tick()
    assert (code, out) == (1, "")
    assert err == "SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'\n"


def test_tick_while_slack_cannot_name_the_managers_waits_for_the_next_run(
    environment: str, fake: FakeSlack
) -> None:
    _overdue_handoff(environment)
    fake.down()
    code, out, err = _tick()
    assert (code, out) == (1, "")
    assert err.startswith("BATON_MANAGERS: Slack did not list the user group S0MANAGERS: HTTP 503")
    assert "Traceback" not in err
    fake.up()
    code, out, _ = _tick()
    assert (code, out) == (0, f"reminded 1, escalated 1, sent {len(_posts(fake))}\n")


def test_from_the_review_date_each_manager_is_told_once_a_week_however_often_cron_ticks(
    environment: str, fake: FakeSlack
) -> None:
    def reviews() -> list[str]:
        return [p["channel"] for p in _posts(fake) if "due for review" in p["text"]]

    with freeze_time("2026-12-30 15:00:00"):  # the day before review_by
        assert _tick()[0] == 0
    assert reviews() == []
    for moment in ("2026-12-31 15:00:00", "2026-12-31 15:30:00", "2027-01-01 15:00:00"):
        with freeze_time(moment):
            assert _tick()[0] == 0
    assert sorted(reviews()) == ["U0BOSS0001", "U0BOSS0002"]
    with freeze_time("2027-01-04 15:00:00"):  # Monday: a new week
        assert _tick()[0] == 0
    assert sorted(reviews()) == ["U0BOSS0001", "U0BOSS0001", "U0BOSS0002", "U0BOSS0002"]


def test_each_manager_gets_the_weekly_digest_once_on_monday_morning_with_its_chart(
    environment: str, fake: FakeSlack
) -> None:
    def digests() -> list[str]:
        return [p["channel"] for p in _posts(fake) if "Weekly digest" in p.get("text", "")]

    with freeze_time("2026-11-15 15:00:00"):  # Sunday
        assert _tick()[0] == 0
    with freeze_time("2026-11-16 13:30:00"):  # Monday 08:30 in New York: before the hour
        assert _tick()[0] == 0
    assert digests() == []
    for moment in ("2026-11-16 14:05:00", "2026-11-16 14:35:00", "2026-11-17 14:05:00"):
        with freeze_time(moment):
            assert _tick()[0] == 0

    assert sorted(digests()) == ["U0BOSS0001", "U0BOSS0002"]
    [post] = [p for p in _posts(fake) if p["channel"] == "U0BOSS0001"
              and "Weekly digest" in p.get("text", "")]
    shown_blocks = str(post["blocks"])
    assert "Weekly digest: last week" in shown_blocks
    assert "Criteria to look at:" in shown_blocks
    assert len(fake.calls_to("files.completeUploadExternal")) == 2
    with freeze_time("2026-11-23 14:05:00"):  # the next Monday
        assert _tick()[0] == 0
    assert len(digests()) == 4
