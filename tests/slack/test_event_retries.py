"""Slack's retries of an event over HTTP (X-Slack-Retry-Num) are acknowledged and answered once."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from slack_bolt import BoltRequest

from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings
from baton.slack.app import build_app, build_client
from baton.slack.retries import register
from baton.standin.calls import Call
from baton.standin.signing import Reply
from tests.slack.test_conversation_harness import Baton, settle
from tests.slack.test_pipeline_harness import LEAD, MARCH
from tests.slack.test_refusals import signed

SHARE = {"type": "app_mention", "user": LEAD, "channel": "C0SALES", "ts": "1.7",
         "text": f"<@U0BATON> pipeline {MARCH} share"}


def answers(baton: Baton) -> list[Call]:
    """The summaries posted in the channel and the charts uploaded, once Baton has gone quiet."""
    settle(baton.fake)
    posted = [c for c in baton.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0SALES"]
    return posted + baton.fake.calls_to("files.completeUploadExternal")


def test_a_retried_mention_is_answered_once_chart_included(pipeline: Baton) -> None:
    first = pipeline.slack.event(SHARE, event_id="EvMENTION1")
    retries = [pipeline.slack.event(SHARE, event_id="EvMENTION1", retry_num=n,
                                    retry_reason="http_timeout") for n in (1, 2)]

    assert [r.status_code for r in (first, *retries)] == [200, 200, 200]
    assert [c.method for c in answers(pipeline)] == [
        "chat.postMessage", "files.completeUploadExternal"]


def test_a_retry_racing_the_first_delivery_is_answered_once(pipeline: Baton) -> None:
    replies: list[Reply] = []

    def deliver(retry: int | None) -> None:
        replies.append(pipeline.slack.event(SHARE, event_id="EvMENTION2", retry_num=retry))

    threads = [threading.Thread(target=deliver, args=(n,)) for n in (None, 1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in replies] == [200] * 4
    assert len(answers(pipeline)) == 2


def test_the_same_words_in_a_new_event_are_answered_again(pipeline: Baton) -> None:
    for event_id in ("EvMENTION3", "EvMENTION4"):
        assert pipeline.slack.event(SHARE, event_id=event_id).status_code == 200

    assert len(answers(pipeline)) == 4


def test_an_event_is_still_handled_when_its_id_cannot_be_recorded(
    settings: Settings, tmp_path: Path
) -> None:
    app = build_app(settings=settings, client=build_client(settings))
    register(app, UnitOfWork(sa.create_engine(f"sqlite:///{tmp_path / 'missing' / 'baton.db'}")))
    heard = threading.Event()
    app.event("app_mention")(lambda: heard.set())
    body = ('{"type": "event_callback", "event_id": "Ev5", "team_id": "T0FAKE", '
            '"event": {"type": "app_mention", "user": "U1", "channel": "C1", "text": "hi"}}')
    headers = {**signed(body.encode()), "Content-Type": "application/json"}

    response = app.dispatch(BoltRequest(body=body, headers=headers))

    assert response.status == 200
    assert heard.wait(timeout=5)
