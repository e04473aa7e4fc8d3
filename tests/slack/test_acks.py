"""A listener failing right after ack(): Slack still gets its 200 at once, the person an apology."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from slack_bolt import Ack, App

from baton.services.catalog import Catalog
from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings
from baton.slack import listeners
from baton.slack.acks import WORK_TURNS, deferred
from baton.slack.app import APOLOGY, build_app, build_client
from baton.slack.presenter import build_presenter
from baton.slack.render import Renderer
from baton.slack.server import create_asgi, serving_locally
from baton.standin.client import SlackClient
from baton.standin.signing import Reply
from tests.slack.test_conversation_harness import SIGNING_SECRET, settle, watch
from tests.slack_spec.server import FakeSlack

# Slack's limit for an acknowledgement; a kept ack takes milliseconds, a lost one 3 s and a 404.
SLACK_ACK_LIMIT = 3.0
# The lost ack was a race: each kind of request is sent this often so that it shows every time.
TRIES = 5
USER = "U0FAILS01"


def fail_after_ack(ack: Ack) -> None:
    ack()
    raise RuntimeError("the listener failed after its ack")


@deferred
def fail_in_deferred_work(ack: Ack) -> None:
    ack()
    raise RuntimeError("the listener failed in its work, queued after its ack")


def wired_with_failures(settings: Settings, engine: sa.Engine, catalog: Catalog) -> App:
    """The real app with every listener, and three more that fail right after their ack."""
    app = build_app(settings=settings, client=build_client(settings))
    listeners.register(app, listeners.build_deps(
        client=app.client, uow=UnitOfWork(engine), catalog=catalog, settings=settings,
        presenter=build_presenter(Renderer())))
    add_failing_listeners(app)
    return app


def add_failing_listeners(app: App) -> None:
    """A command, a button and a modal failing right after their ack, and three more failing in
    their deferred work."""
    app.command("/explode")(fail_after_ack)
    app.action("explode_button")(fail_after_ack)
    app.view("explode_modal")(fail_after_ack)
    app.command("/explode-later")(fail_in_deferred_work)
    app.action("explode_later_button")(fail_in_deferred_work)
    app.view("explode_later_modal")(fail_in_deferred_work)


@pytest.fixture
def slack(settings: Settings, fake_slack: FakeSlack, catalog: Catalog) -> Iterator[SlackClient]:
    engine = sa.create_engine(settings.database_url)
    app = wired_with_failures(settings, engine, catalog)
    watch(app, fake_slack)
    asgi = create_asgi(app, engine, signing_secret=SIGNING_SECRET)
    with serving_locally(asgi) as url:
        yield SlackClient(url, SIGNING_SECRET, response_base=fake_slack.root)
    engine.dispose()


REQUESTS: dict[str, Callable[[SlackClient], Reply]] = {
    "slash command": lambda slack: slack.command("/explode", user_id=USER),
    "button click": lambda slack: slack.block_action("explode_button", "1", user_id=USER),
    "modal submit": lambda slack: slack.view_submission("explode_modal", {}, user_id=USER),
    "deferred slash command": lambda slack: slack.command("/explode-later", user_id=USER),
    "deferred button click": lambda slack: slack.block_action("explode_later_button", "1",
                                                              user_id=USER),
    "deferred modal submit": lambda slack: slack.view_submission("explode_later_modal", {},
                                                                 user_id=USER),
}


@pytest.mark.parametrize("send", REQUESTS.values(), ids=REQUESTS)
def test_a_listener_failing_after_its_ack_is_acknowledged_at_once(
    slack: SlackClient, send: Callable[[SlackClient], Reply]
) -> None:
    for _ in range(TRIES):
        started = time.monotonic()
        response = send(slack)
        took = time.monotonic() - started

        assert response.status_code == 200, response.text
        assert took < SLACK_ACK_LIMIT


def told(fake: FakeSlack) -> list[tuple[str, str, str]]:
    """What the person was told after a failure: (how, where or how visible, text)."""
    by_url = [("response_url", str(c.args.get("response_type")), str(c.args.get("text")))
              for c in fake.calls_to("response_url")]
    by_api = [(c.method, str(c.args.get("channel")), str(c.args.get("text")))
              for c in fake.calls if c.method.startswith("chat.")]
    return by_url + by_api


TOLD = {
    "slash command": ("response_url", "ephemeral", APOLOGY),
    "button click": ("response_url", "ephemeral", APOLOGY),
    # A modal has no channel and no response_url: the person's DM with Baton.
    "modal submit": ("chat.postMessage", USER, APOLOGY),
    "deferred slash command": ("response_url", "ephemeral", APOLOGY),
    "deferred button click": ("response_url", "ephemeral", APOLOGY),
    "deferred modal submit": ("chat.postMessage", USER, APOLOGY),
}


@pytest.mark.parametrize(("send", "expected"),
                         [(REQUESTS[kind], TOLD[kind]) for kind in REQUESTS], ids=REQUESTS)
def test_the_person_is_told_politely_once(
    slack: SlackClient, fake_slack: FakeSlack, send: Callable[[SlackClient], Reply],
    expected: tuple[str, str, str],
) -> None:
    assert send(slack).status_code == 200

    settle(fake_slack)  # the listener and its error handler are done: a second message is here

    assert told(fake_slack) == [expected]


def test_acks_never_wait_for_the_work_of_listeners_that_acked_before(
    settings: Settings, fake_slack: FakeSlack, catalog: Catalog
) -> None:
    engine = sa.create_engine(settings.database_url)
    app = wired_with_failures(settings, engine, catalog)
    done, started = threading.Event(), threading.Semaphore(0)

    def slow(ack: Ack) -> None:
        ack()
        started.release()
        done.wait(timeout=20)  # work that takes as long as the test wants

    app.command("/slow")(slow)
    watch(app, fake_slack)
    try:
        with serving_locally(create_asgi(app, engine, signing_secret=SIGNING_SECRET)) as url:
            slack = SlackClient(url, SIGNING_SECRET, response_base=fake_slack.root)
            # More requests than listeners may work at once: every one is acknowledged.
            answers = [slack.command("/slow", user_id=USER) for _ in range(WORK_TURNS + 2)]
            helped = slack.command("/qualify", "help", user_id=USER)
            working = sum(started.acquire(timeout=5) for _ in range(WORK_TURNS))

            assert [answer.status_code for answer in answers] == [200] * (WORK_TURNS + 2)
            assert "/qualify resume" in helped.json()["text"]
            assert working == WORK_TURNS  # and the others wait for a turn, acknowledged
            assert not started.acquire(timeout=0.2)
            done.set()
            settle(fake_slack)
    finally:
        done.set()
        engine.dispose()


def test_deferred_work_waits_in_a_queue_not_in_request_threads(
    settings: Settings, fake_slack: FakeSlack, catalog: Catalog
) -> None:
    engine = sa.create_engine(settings.database_url)
    app = wired_with_failures(settings, engine, catalog)
    done, ran = threading.Event(), []

    @deferred
    def slow(ack: Ack, command: dict[str, str]) -> None:
        ack()
        done.wait(timeout=20)  # every turn busy until the test says
        ran.append(command["text"])

    app.command("/slow")(slow)
    watch(app, fake_slack)
    waiting = 4 * (WORK_TURNS + 10)
    before = set(threading.enumerate())
    try:
        with serving_locally(create_asgi(app, engine, signing_secret=SIGNING_SECRET)) as url:
            slack = SlackClient(url, SIGNING_SECRET, response_base=fake_slack.root)
            answers = [slack.command("/slow", str(n), user_id=USER) for n in range(waiting)]
            threads = [t for t in set(threading.enumerate()) - before
                       if t.name.startswith("baton-request")]

            assert [answer.status_code for answer in answers] == [200] * waiting
            # Acknowledged one after the other, the requests shared a thread or two; the work
            # they asked for waits in the queue.
            assert len(threads) < WORK_TURNS
            assert ran == []
            done.set()
            settle(fake_slack)
    finally:
        done.set()
        engine.dispose()

    assert sorted(ran, key=int) == [str(n) for n in range(waiting)]  # each once, none lost
