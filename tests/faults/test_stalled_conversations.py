"""A conversation never stalls: a next question Slack cannot take (down, refusing connections,
failing a few calls) waits in the outbox and arrives by itself, in order, once Slack answers;
meanwhile `/qualify resume` offers the qualification where it stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids
from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory
from baton.slack.handoff_views import HandoffViews
from baton.slack.machinery import Machinery
from baton.slack.render import Renderer
from baton.slack.verdict_views import VerdictViews
from baton.standin.calls import Call
from tests.faults.harness import BOSS, FALLBACK, Faulty, _catalog, company
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Bdr,
    count_rows,
    intake_values,
    settle,
    shown,
)

Fault = Callable[[Faulty], Callable[[], None]]


@contextmanager
def running_sender(baton: Faulty) -> Iterator[None]:
    """The outbox sender and the tick of `baton run`, as its composition root builds them."""
    client = make_client(token=baton.fake.token, base_url=baton.fake.url)
    machinery = Machinery(
        uow=UnitOfWork(baton.baton.engine), client=client, catalog=_catalog(),
        managers=ManagerDirectory(client, [BOSS]), presenter=HandoffViews(Renderer()),
        rechecks=VerdictViews(Renderer()), fallback=FALLBACK, tick_interval=0.5,
        send_interval=0.05)
    with machinery:
        yield


def slack_down(baton: Faulty) -> Callable[[], None]:
    baton.fake.down()
    return baton.fake.up


def connections_refused(baton: Faulty) -> Callable[[], None]:
    baton.fake.refuse_connections()
    return baton.fake.accept_connections


def posts_fail_three_times(baton: Faulty) -> Callable[[], None]:
    # One try and the client's two retries: the post is given up on, the update goes through.
    baton.fake.fail("chat.postMessage", status=503, times=3)
    return lambda: None


def in_dm(bdr: Bdr, method: str) -> list[Call]:
    dm = bdr.fake.workspace.dm_for(bdr.user)
    return [c for c in bdr.fake.calls_to(method)
            if c.status == 200 and c.response.get("ok") and c.response.get("channel") == dm]


@pytest.mark.parametrize("fault", [slack_down, connections_refused, posts_fail_three_times])
def test_a_next_question_slack_could_not_take_arrives_by_itself_in_order(
    baton: Faulty, fault: Fault,
) -> None:
    bdr, name = Bdr(baton.baton), company("Acme Corp")
    question = bdr.start(name, **STRONG_FIT)
    with running_sender(baton):
        recover = fault(baton)
        bdr.click(question, "Approved budget")
        settle(baton.fake)
        recover()
        asked = baton.fake.wait_for("chat.postMessage", timeout=30, where=lambda c: (
            c.status == 200 and "2 of 4" in shown(c)))

    [answered] = [c for c in in_dm(bdr, "chat.update") if c.args["ts"] == question.response["ts"]]
    assert "Approved budget" in shown(answered)
    assert answered.at <= asked[0].at
    assert len(asked) == 1

    bdr.fake.reset()
    assert baton.baton.slack.command("/qualify", "resume", user_id=bdr.user).status_code == 200
    listing = shown(baton.fake.wait_for("response_url")[-1])
    assert name in listing
    assert "1 of 4 answered" in listing
    following = bdr.answer(asked[0], "They decide")
    assert "3 of 4" in shown(following)


def test_a_conversation_started_while_slack_is_down_is_attached_once_its_root_is_posted(
    baton: Faulty,
) -> None:
    bdr, name = Bdr(baton.baton), company("Initech")
    with running_sender(baton):
        baton.fake.down()
        reply = baton.baton.slack.view_submission(
            ids.INTAKE_MODAL, intake_values(name, **STRONG_FIT), user_id=bdr.user)
        assert reply.status_code == 200
        settle(baton.fake)
        baton.fake.up()
        # The sender tries again after its back-off, which a loaded machine stretches.
        first = bdr.wait_posts(2, timeout=30.0)
    root, question = first[0], first[1]
    assert "1 of 4" in shown(question)
    # A note typed in the root message's thread finds its qualification.
    event = {"type": "message", "channel": root.response["channel"], "user": bdr.user,
             "text": "Board meets in March", "ts": "1.000001",
             "thread_ts": root.response["ts"], "channel_type": "im"}
    assert baton.baton.slack.event(event).status_code == 200
    settle(baton.fake)
    assert count_rows(baton.baton.engine, "SELECT count(*) FROM note n JOIN qualification q"
                      " ON n.qualification_id = q.id WHERE q.bdr_user_id = :bdr",
                      bdr=bdr.user) == 1
    following = bdr.answer(question, "Approved budget")
    assert "2 of 4" in shown(following)
