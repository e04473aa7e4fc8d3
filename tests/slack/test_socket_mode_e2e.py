"""Socket Mode end to end: `baton run`'s WebSocket path against the stand-in's Socket Mode end."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from baton.slack import ids
from baton.slack.app import APOLOGY
from baton.standin.signing import Reply
from baton.standin.socket_client import SocketSlackClient
from tests.slack.test_acks import REQUESTS, SLACK_ACK_LIMIT, TOLD, told
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    new_user,
    settle,
    shown,
)
from tests.slack.test_handoff_harness import STRONG_BANT, card_of, company, deliver, reps


def test_a_whole_qualification_its_card_and_a_claim(socket_baton: Baton) -> None:
    bdr, name = Bdr(socket_baton), company("Acme Corp")

    assert socket_baton.slack.command("/qualify", name, user_id=bdr.user).status_code == 200
    intake = socket_baton.fake.wait_for("views.open")[-1].args["view"]
    assert intake["callback_id"] == ids.INTAKE_MODAL
    question = bdr.start(name, **STRONG_FIT)
    assert "1 of 4" in shown(question)
    for label in STRONG_BANT:
        question = bdr.answer(question, label)
    assert "Sales-ready" in shown(question)

    deliver(socket_baton)
    floor = card_of(socket_baton, bdr, name)
    (rep,) = reps(1)
    floor.click("Claim", rep)
    assert f"Claimed by <@{rep}>" in floor.next_update(0)


def test_after_slack_asks_for_a_refresh_baton_reconnects_and_keeps_answering(
    socket_baton: Baton,
) -> None:
    socket = socket_baton.fake.socket_mode
    old = socket.open_links()[-1]

    socket.disconnect("refresh_requested")
    new = socket.wait_for_link(len(socket.links) + 1)

    assert old.closed.wait(timeout=10)
    assert new.ticket != old.ticket
    assert len(socket_baton.fake.calls_to("apps.connections.open")) == 1
    answer = socket_baton.slack.command("/qualify", "help", user_id=new_user())
    assert answer.status_code == 200
    assert "/qualify resume" in answer.json()["text"]


def test_a_resent_envelope_is_acknowledged_and_answered_once(socket_baton: Baton) -> None:
    slack = socket_baton.slack
    assert isinstance(slack, SocketSlackClient)
    user = new_user()
    mention = {"type": "app_mention", "user": user, "channel": "C0SALES", "ts": "1.8",
               "text": "<@U0BATON> pipeline this week"}

    first = slack.event(mention, event_id="EvSOCKET1")
    resent = slack.event(mention, event_id="EvSOCKET1", retry_num=1, retry_reason="timeout")
    settle(socket_baton.fake)

    assert (first.status_code, resent.status_code) == (200, 200)
    replies = [c for c in socket_baton.fake.calls_to("chat.postEphemeral")
               if c.args["user"] == user]
    assert len(replies) == 1
    assert "Leads qualified" in shown(replies[0])
    assert len(socket_baton.fake.calls_to("files.completeUploadExternal")) == 1


@pytest.mark.parametrize("send", REQUESTS.values(), ids=REQUESTS)
def test_a_listener_failing_after_its_ack_is_acknowledged_at_once(
    socket_baton: Baton, send: Callable[[SocketSlackClient], Reply]
) -> None:
    slack = socket_baton.slack
    assert isinstance(slack, SocketSlackClient)
    for _ in range(5):
        started = time.monotonic()
        response = send(slack)
        took = time.monotonic() - started

        assert response.status_code == 200, response.text
        assert took < SLACK_ACK_LIMIT


@pytest.mark.parametrize(("send", "expected"),
                         [(REQUESTS[kind], TOLD[kind]) for kind in REQUESTS], ids=REQUESTS)
def test_the_person_is_told_politely_once(
    socket_baton: Baton, send: Callable[[SocketSlackClient], Reply],
    expected: tuple[str, str, str],
) -> None:
    slack = socket_baton.slack
    assert isinstance(slack, SocketSlackClient)

    assert send(slack).status_code == 200
    settle(socket_baton.fake)

    assert told(socket_baton.fake) == [expected]
    assert expected[2] == APOLOGY
