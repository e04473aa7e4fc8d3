"""The machinery inside `baton run`: messages delivered once, SLA timers fired once, prompt stop."""

from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from slack_sdk import WebClient

from baton.domain.lead import Answer
from baton.domain.scoring import judge
from baton.services.catalog import Catalog
from baton.services.handoff import card_key
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory, ManagersUnavailable
from baton.slack.handoff_views import HandoffViews
from baton.slack.machinery import Machinery, tick_once
from baton.slack.render import Renderer
from baton.slack.verdict_views import VerdictViews
from baton.store.db import make_engine, session_scope
from tests.services.conftest import STRONG_BANT, StartFn, acme, click
from tests.slack.baton_run import free_port, start_baton_run, wait_until_healthy
from tests.slack_spec.server import FakeSlack

CARDS = HandoffViews(Renderer())  # the card presenter, as the composition root builds it
RECHECKS = VerdictViews(Renderer())  # the recheck reminder's presenter, likewise

CHANNEL = "C0SALES001"
GROUP = "S0MANAGERS"
BOSSES = ["U0BOSS0001", "U0BOSS0002"]
STRONG = [Answer(criterion="budget", choice="approved"),
          Answer(criterion="authority", choice="decision_maker"),
          Answer(criterion="need", choice="urgent"),
          Answer(criterion="timeline", choice="this_quarter")]
# A Tuesday morning in New York, long enough ago that its reminder and escalation are both due.
LAST_TUESDAY_10 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=ZoneInfo("America/New_York"))
HandOff = Callable[[str], int]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.set_usergroup(GROUP, BOSSES)
        yield fake
        assert fake.invalid == []
        assert fake.unknown == []


def _client(fake: FakeSlack) -> WebClient:
    return make_client(token=fake.token, base_url=fake.url, timeout=5)


def _machinery(engine: sa.Engine, fake: FakeSlack, catalog: Catalog,
               managers: list[str] | None = None) -> Machinery:
    client = _client(fake)
    return Machinery(uow=UnitOfWork(engine), client=client, catalog=catalog,
                     managers=ManagerDirectory(client, managers or [GROUP]),
                     presenter=CARDS, rechecks=RECHECKS,
                     tick_interval=0.05, send_interval=0.05)


def _post(engine: sa.Engine, key: str, text: str, channel: str = CHANNEL) -> None:
    with session_scope(engine) as session:
        enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
                payload={"channel": channel, "text": text})


def _accepted(fake: FakeSlack, where: Callable[[dict], bool]) -> int:
    return sum(1 for c in fake.calls_to("chat.postMessage")
               if c.status == 200 and c.response.get("ok") and where(c.args))


@pytest.fixture
def hand_off(engine: sa.Engine, catalog: Catalog, start: StartFn) -> HandOff:
    """A sales-ready lead handed off last Tuesday, its card queued; returns the handoff id."""
    from baton.services.handoff import request_handoff

    def _hand_off(company: str) -> int:
        step = start(acme(company=company))
        verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, STRONG,
                        today=LAST_TUESDAY_10.date())
        with freeze_time(LAST_TUESDAY_10), session_scope(engine) as session:
            handoff = request_handoff(
                session=session, definition=catalog.definition, default_channel=CHANNEL,
                qualification_id=step.qualification_id, verdict=verdict)
        # Where handing off queues its own card, this changes nothing (same key).
        _post(engine, card_key(handoff.handoff_id), f"{company} is sales-ready",
              channel=handoff.channel)
        return handoff.handoff_id
    return _hand_off


def test_a_queued_message_is_delivered_while_the_machinery_runs(
    engine: sa.Engine, fake: FakeSlack, catalog: Catalog
) -> None:
    with _machinery(engine, fake, catalog):
        _post(engine, "note:1", "Acme Corp is sales-ready")
        fake.wait_for("chat.postMessage")
    assert _accepted(fake, lambda args: args["text"] == "Acme Corp is sales-ready") == 1


def test_a_message_sent_while_slack_fails_appears_once_after_recovery(
    engine: sa.Engine, fake: FakeSlack, catalog: Catalog
) -> None:
    fake.fail("chat.postMessage", status=500)
    fake.fail("chat.postMessage", status=429, retry_after=1, times=2)
    with _machinery(engine, fake, catalog):
        _post(engine, "note:1", "Acme Corp is sales-ready")
        fake.wait_for("chat.postMessage", where=lambda c: c.status == 200, timeout=15)
        time.sleep(0.3)  # long enough for a second delivery, were there one
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 429, 429, 200]
    assert len(fake.workspace.messages) == 1


def test_two_processes_fire_each_timer_once_and_send_each_message_once(
    database_url: str, engine: sa.Engine, fake: FakeSlack, catalog: Catalog, hand_off: HandOff
) -> None:
    handoffs = [hand_off(f"Lead {n} Corp") for n in range(3)]
    for n in range(10):
        _post(engine, f"note:{n}", f"note {n}")
    other = make_engine(database_url)
    try:
        with _machinery(engine, fake, catalog), _machinery(other, fake, catalog):
            # 3 reminders, 10 notes, and 2 managers told of each of the 3 handoffs.
            for text, count in (("still waiting", 3), ("note", 10), ("Nobody has claimed", 6)):
                fake.wait_for("chat.postMessage", count=count, timeout=20,
                              where=lambda c, t=text: t in c.args.get("text", ""))
            time.sleep(0.5)  # long enough for any second delivery to show
    finally:
        other.dispose()
    posts = fake.calls_to("chat.postMessage")
    sent = [(c.args["channel"], c.args.get("thread_ts"), c.args["text"]) for c in posts]
    assert len(sent) == len(set(sent)), "a message was sent twice"
    # Each reminder sits in the thread of its own card.
    tops = {(c.args["channel"], c.response["ts"]) for c in posts if "thread_ts" not in c.args}
    reminders = {(c.args["channel"], c.args["thread_ts"]) for c in posts
                 if "still waiting" in c.args["text"]}
    assert len(reminders) == len(handoffs)
    assert reminders <= tops
    for boss in BOSSES:
        assert _accepted(fake, lambda a, b=boss: a["channel"] == b) == len(handoffs)


def test_a_lead_decided_while_slack_is_down_is_posted_once_by_two_processes(
    database_url: str, engine: sa.Engine, fake: FakeSlack, catalog: Catalog, start: StartFn
) -> None:
    other = make_engine(database_url)
    fake.down()
    try:
        with _machinery(engine, fake, catalog), _machinery(other, fake, catalog):
            step = start(acme(company="Initech"))
            for key, choice in STRONG_BANT.items():
                click(engine, catalog, step.qualification_id, key, choice)
            time.sleep(0.3)  # a few send passes while Slack answers nothing
            fake.up()
            fake.wait_for("chat.postMessage", count=3, timeout=20,
                          where=lambda c: c.status == 200)
            time.sleep(0.5)  # long enough for any second card to show
    finally:
        other.dispose()
    posts = [c for c in fake.calls_to("chat.postMessage") if c.status == 200]
    cards = [c for c in posts if c.args["channel"] == "C0EMEA0001" and "thread_ts" not in c.args]
    assert len(cards) == 1
    assert "Initech" in cards[0].args["text"]
    assert [c.args["thread_ts"] for c in posts if "thread_ts" in c.args] == [
        cards[0].response["ts"]]
    assert [c.args["channel"] for c in posts if "see the card" in str(c.args["blocks"])] == [
        "U0BDR0001"]


def test_machinery_stops_promptly_even_between_long_intervals(
    engine: sa.Engine, fake: FakeSlack, catalog: Catalog
) -> None:
    machinery = _machinery(engine, fake, catalog)
    machinery.tick_interval = machinery.send_interval = 60
    machinery.start()
    time.sleep(0.2)
    began = time.monotonic()
    machinery.stop()
    assert time.monotonic() - began < 2
    assert not machinery.running


def test_baton_run_sends_while_serving_and_stops_promptly_on_sigterm(
    engine: sa.Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    _post(engine, "note:1", "Acme Corp is sales-ready")
    process = start_baton_run(database_url, fake, tmp_path)
    try:
        fake.wait_for("chat.postMessage", timeout=20)
        process.send_signal(signal.SIGTERM)
        began = time.monotonic()
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert time.monotonic() - began < 5
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "Baton stopped: nothing is being sent or ticked" in err
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_with_json_logs_every_line_baton_run_writes_is_a_json_object(
    engine: sa.Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    _post(engine, "note:1", "Acme Corp is sales-ready")
    port = free_port()
    process = start_baton_run(database_url, fake, tmp_path, port, BATON_LOG_FORMAT="json")
    try:
        fake.wait_for("chat.postMessage", timeout=20)
        wait_until_healthy(port)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    records = [json.loads(line) for line in err.splitlines()]
    assert {"timestamp", "level", "logger", "message"} <= set(records[0])
    said = [(record["logger"], record["message"]) for record in records]
    assert ("baton.runtime", "Baton stopped: nothing is being sent or ticked") in said
    # uvicorn's own lines go through the same handler; no line per request (the health check)
    # unless BATON_ACCESS_LOG asks for it.
    assert any(logger.startswith("uvicorn") for logger, _ in said)
    assert not any(logger == "uvicorn.access" for logger, _ in said)
    # Nothing at start that is not news: no warning (Bolt's, that it uses the client's token),
    # nor alembic's words on how it talks to the database.
    assert [record for record in records if record["level"] != "INFO"] == []
    assert not any(logger.startswith("alembic") for logger, _ in said)


def test_a_stop_while_the_http_server_is_still_starting_is_a_clean_stop(
    engine: sa.Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    process = start_baton_run(database_url, fake, tmp_path)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "Baton is listening over HTTP" in line:
                break
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Baton stopped: nothing is being sent or ticked" in err


def test_a_port_already_taken_stops_baton_run_with_a_failure_status(
    engine: sa.Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        process = start_baton_run(database_url, fake, tmp_path, port=holder.getsockname()[1])
        try:
            _, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode != 0
    assert "address already in use" in err.lower()
    assert "Traceback" not in err


def test_escalation_waits_for_slack_to_name_the_managers(
    engine: sa.Engine, fake: FakeSlack, catalog: Catalog, hand_off: HandOff
) -> None:
    hand_off("Acme Corp")
    directory = ManagerDirectory(_client(fake), [GROUP, "U0BOSS0003"])
    fake.down()
    with pytest.raises(ManagersUnavailable, match="S0MANAGERS: HTTP 503"):
        tick_once(uow=UnitOfWork(engine), catalog=catalog, managers=directory,
                  rechecks=RECHECKS)
    fake.up()
    report = tick_once(uow=UnitOfWork(engine), catalog=catalog, managers=directory,
                       rechecks=RECHECKS)
    assert (len(report.reminded), len(report.escalated)) == (1, 1)


def test_a_group_is_asked_for_once_then_again_after_a_while(fake: FakeSlack) -> None:
    now = [0.0]
    directory = ManagerDirectory(_client(fake), ["U0BOSS0002", GROUP, "U0BOSS0003"],
                                 ttl=60, clock=lambda: now[0])
    assert directory.users() == ["U0BOSS0002", "U0BOSS0001", "U0BOSS0003"]
    fake.set_usergroup(GROUP, ["U0BOSS0009"])
    assert directory.users() == ["U0BOSS0002", "U0BOSS0001", "U0BOSS0003"]
    assert len(fake.calls_to("usergroups.users.list")) == 1
    now[0] = 61
    assert directory.users() == ["U0BOSS0002", "U0BOSS0009", "U0BOSS0003"]
    # Slack failing later: the members it last named are still told.
    fake.down()
    now[0] = 200
    assert directory.users() == ["U0BOSS0002", "U0BOSS0009", "U0BOSS0003"]


def test_a_group_slack_does_not_know_is_named_in_the_log(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    directory = ManagerDirectory(_client(fake), ["S0NOPE", "U0BOSS0003"])
    with caplog.at_level(logging.ERROR):
        assert directory.users() == ["U0BOSS0003"]
    assert "BATON_MANAGERS: Slack cannot list user group S0NOPE (no_such_subteam)" in caplog.text
