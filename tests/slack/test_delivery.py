"""The outbox's sender: Slack calls sent once after they are committed, through outages and
rate limits."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient
from sqlmodel import Session, select

from baton.services.outbox import (
    LEASE,
    MESSAGE_OF,
    THREAD_OF,
    SentMessage,
    enqueue,
    lease_due,
    release,
)
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import SendReport, make_client, send_due
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.slack.rescue import CardRescue
from baton.store.db import session_scope
from baton.store.tables import OutboxMessage
from baton.store.types import utcnow
from tests.slack_spec.server import FakeSlack

CHANNEL = "C0SALES001"
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return make_client(token=fake.token, base_url=fake.url, timeout=5)


def _post(engine: sa.Engine, key: str, text: str = "Acme Corp is sales-ready", **extra: str) -> int:
    with session_scope(engine) as session:
        return enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
                       payload={"channel": CHANNEL, "text": text, **extra})


def _send(engine: sa.Engine, **arguments: Any) -> SendReport:
    """One pass of the sender, as `baton run` makes it."""
    return send_due(uow=UnitOfWork(engine), **arguments)


def _row(engine: sa.Engine, row_id: int) -> OutboxMessage:
    with Session(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.id == row_id)).one()


def _delivered(fake: FakeSlack, text: str | None = None) -> int:
    """How many chat.postMessage calls Slack accepted (with that text)."""
    return sum(1 for c in fake.calls_to("chat.postMessage")
               if c.status == 200 and c.response.get("ok")
               and (text is None or c.args.get("text") == text))


def test_a_client_that_retries_by_itself_is_refused(engine: sa.Engine, fake: FakeSlack) -> None:
    with pytest.raises(ValueError, match="retry_handlers=\\[\\]"):
        _send(engine, client=WebClient(token=fake.token, base_url=fake.url))


def test_a_message_queued_while_slack_is_down_is_sent_once_it_is_back(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    row_id = _post(engine, "card:1")
    fake.down()
    now = utcnow() + SECOND
    assert _send(engine, client=client, now=now).retrying == [row_id]
    assert "503" in (_row(engine, row_id).last_error or "")
    fake.up()
    # Backing off: not tried again straight away.
    assert _send(engine, client=client, now=now).handled == 0
    assert _send(engine, client=client, now=now + dt.timedelta(hours=1)).sent == [row_id]
    assert _send(engine, client=client, now=now + dt.timedelta(hours=2)).handled == 0
    assert _delivered(fake) == 1
    row = _row(engine, row_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.result == {"channel": CHANNEL, "ts": fake.calls_to("chat.postMessage")[-1]
                          .response["ts"]}


def test_server_errors_back_off_and_rate_limits_wait_for_retry_after(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    fake.fail("chat.postMessage", status=500, times=2)
    fake.fail("chat.postMessage", status=429, retry_after=7)
    row_id = _post(engine, "card:1")
    t0 = utcnow() + SECOND
    assert _send(engine, client=client, now=t0).retrying == [row_id]
    assert _send(engine, client=client, now=t0 + 1 * SECOND).handled == 0
    assert _send(engine, client=client, now=t0 + 2 * SECOND).retrying == [row_id]
    assert _send(engine, client=client, now=t0 + 6 * SECOND).retrying == [row_id]
    assert "429" in (_row(engine, row_id).last_error or "")
    assert _send(engine, client=client, now=t0 + 12 * SECOND).handled == 0
    assert _send(engine, client=client, now=t0 + 13 * SECOND).sent == [row_id]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 500, 429, 200]


def test_an_error_retrying_cannot_fix_sets_the_row_aside_at_once(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    fake.fail("chat.postMessage", error="channel_not_found")
    row_id = _post(engine, "note:1")
    now = utcnow() + SECOND
    assert _send(engine, client=client, now=now).set_aside == [row_id]
    assert _send(engine, client=client, now=now + dt.timedelta(days=1)).handled == 0
    row = _row(engine, row_id)
    assert (row.status, row.last_error) == ("set_aside", "HTTP 200: channel_not_found")
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_an_unreachable_slack_is_retried_later(engine: sa.Engine) -> None:
    row_id = _post(engine, "card:1")
    nobody = make_client(token="xoxb-x", base_url="http://127.0.0.1:9/api/", timeout=2)
    assert _send(engine, client=nobody, now=utcnow() + SECOND).retrying == [row_id]
    assert _row(engine, row_id).status == "pending"


def test_a_reply_waits_for_its_card_and_lands_in_its_thread(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    fake.fail("chat.postMessage", status=500)
    card = _post(engine, "card:1")
    reply = _post(engine, "card:1:qa", text="Budget: approved", **{THREAD_OF: "card:1"})
    with session_scope(engine) as session:
        update = enqueue(session=session, kind="chat.update", dedupe_key="card:1:claimed",
                         payload={MESSAGE_OF: "card:1", "text": "Claimed by <@U0REP0001>"})
    now = utcnow() + SECOND
    first = _send(engine, client=client, now=now)
    assert (first.retrying, first.sent) == ([card, reply, update], [])
    later = _send(engine, client=client, now=now + dt.timedelta(minutes=1))
    assert later.sent == [card, reply, update]
    card_ts = _row(engine, card).result["ts"]  # type: ignore[index]
    assert fake.calls_to("chat.postMessage")[-1].args["thread_ts"] == card_ts
    assert fake.calls_to("chat.update")[0].args["ts"] == card_ts
    assert fake.workspace.messages[(CHANNEL, card_ts)]["text"] == "Claimed by <@U0REP0001>"


def test_on_sent_sees_what_slack_answered(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    seen: list[SentMessage] = []
    _post(engine, "card:7")
    _send(engine, client=client, now=utcnow() + SECOND,
             on_sent=lambda _session, message: seen.append(message))
    assert [(m.dedupe_key, m.result["channel"]) for m in seen] == [("card:7", CHANNEL)]


def test_a_failing_follow_up_never_sends_the_message_again(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    def broken(_session: object, _message: SentMessage) -> None:
        raise RuntimeError("the follow-up broke")

    _post(engine, "card:8")
    later = utcnow() + SECOND
    report = _send(engine, client=client, now=later, on_sent=broken)
    again = _send(engine, client=client, now=later + dt.timedelta(hours=1))

    assert len(report.sent) == 1
    assert again.handled == 0
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_senders_in_parallel_send_each_message_exactly_once(
    engine: sa.Engine, fake: FakeSlack
) -> None:
    texts = [f"lead {n}" for n in range(30)]
    for n, text in enumerate(texts):
        _post(engine, f"card:{n}", text=text)
    start = threading.Barrier(4)

    def sender() -> None:
        own = make_client(token=fake.token, base_url=fake.url, timeout=5)
        start.wait()
        while _send(engine, client=own, now=utcnow() + SECOND, limit=3).handled:
            pass

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [_delivered(fake, text) for text in texts] == [1] * len(texts)
    assert len(fake.calls_to("chat.postMessage")) == len(texts)


def test_a_row_that_breaks_the_sender_is_set_aside_told_once_and_the_rest_still_go(
    engine: sa.Engine, fake: FakeSlack, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    def prepare(row: Any, arguments: dict[str, Any]) -> dict[str, Any]:
        if row.dedupe_key == "note:1":
            raise KeyError("a field no call can do without")
        return arguments

    broken, fine = _post(engine, "note:1"), _post(engine, "note:2", text="Initech")
    now = utcnow() + SECOND
    with caplog.at_level(logging.ERROR):
        report = _send(engine, client=client, now=now, prepare=prepare)
        uow = UnitOfWork(engine)
        release(uow=uow, ids=[broken])
        again = _send(engine, client=client, now=now + SECOND, prepare=prepare)
    assert (report.set_aside, report.sent, again.set_aside) == ([broken], [fine], [broken])
    assert _row(engine, broken).last_error == (
        "could not be sent: KeyError('a field no call can do without')")
    assert len([r for r in caplog.records if "note:1 set aside" in r.getMessage()]) == 1
    assert _delivered(fake, "Initech") == 1


def test_an_error_slack_gives_for_one_row_leaves_the_next_one_flowing(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    fake.fail("chat.postMessage", error="restricted_action")
    refused, fine = _post(engine, "note:1"), _post(engine, "note:2", text="Initech")
    report = _send(engine, client=client, now=utcnow() + SECOND)
    assert (report.set_aside, report.sent) == ([refused], [fine])
    assert _row(engine, refused).last_error == "HTTP 200: restricted_action"


def test_a_card_a_dead_sender_did_not_post_is_posted_when_its_lease_runs_out(
    engine: sa.Engine, fake: FakeSlack, client: WebClient
) -> None:
    metadata = {"event_type": "baton_handoff", "event_payload": {"handoff_id": 1}}
    with session_scope(engine) as session:
        enqueue(session=session, kind="chat.postMessage", dedupe_key="card:1",
                payload={"channel": CHANNEL, "text": "Acme Corp", "metadata": metadata})
    now = utcnow() + SECOND
    # Taken by a sender that then died.
    lease_due(uow=UnitOfWork(engine), now=now, limit=1, kinds={"chat.postMessage"})
    rescue = CardRescue(client, HandoffViews(Renderer()), fallback="")
    report = _send(engine, client=client, now=now + LEASE, rescue=rescue)
    assert report.sent == [1]
    assert [c.args["channel"] for c in fake.calls_to("conversations.history")] == [CHANNEL]
    assert fake.workspace.messages[(CHANNEL, _row(engine, 1).result["ts"])][  # type: ignore[index]
        "metadata"] == metadata
