"""Slack is answered the moment a listener calls ack(); what the listener does next waits its turn.

Bolt runs each listener in the thread that dispatches its request (process_before_response=True),
as a bare Bolt app does, so an ack costs what Bolt's own costs: no thread polling for it. Here
that thread is one of many kept for requests in hand, and ack() answers Slack (the HTTP response,
or the Socket Mode envelope) before it returns. The listener then waits for one of a few turns
to do its work (the database, Slack's Web API), so however much work is queued, a new request
finds a thread that takes it straight to its ack.

A listener marked `deferred` (one that only reads the request before it acks) gives its thread
back as soon as it has acked: its work waits in a queue, not in a thread, and is run by one of a
few work threads, which run the listener again, whole, with its ack already given. However many
clicks are waiting, they hold no request thread and little memory.

`baton run` hands that queue to a worker process (baton.slack.worker), so the work does not even
share the interpreter with the acks; without one, the work threads are in this process.

Over HTTP, a command, a click or a modal submitted is not even handed to a thread first
(dispatch_here): the event loop that received it matches its listener and, for a deferred one,
runs it up to its ack, which is cheap and touches neither the database nor Slack, then queues
its work and answers. Only a listener that works after its ack in the request's own thread is
handed to one, as soon as it is matched.

An ack, once given, stays given: a listener that fails after ack() goes straight to the app's
error handler, which tells the person; Slack already has its answer.
"""

from __future__ import annotations

import itertools
import pickle
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner

Answer = Callable[[BoltResponse], None]
# Requests in hand at once, acknowledged or waiting for their turn to work.
REQUEST_THREADS = 256
# Listeners working after their ack at once; the database pool is sized to them.
WORK_TURNS = 4
_DEFERRED = "_baton_deferred"
L = TypeVar("L", bound=Callable[..., Any])


def deferred(listener: L) -> L:
    """Mark a listener whose work can wait in a queue once it has acked. Everything it does
    before ack() must only read the request: it is run again, whole, for its work."""
    setattr(listener, _DEFERRED, True)
    return listener


class _Deferred(BaseException):
    """Raised by ack() in a deferred listener, once Slack has its answer: the rest is queued.
    A BaseException, so the listener's own `except Exception` lets it through."""


@dataclass(frozen=True)
class Work:
    """The request a deferred listener acked, as it came, to be run again for its work; packed
    in one block of bytes, so it can be handed to another process, and a backlog of thousands
    holds as many blocks instead of the few dozen small objects of each request, which would
    stay scattered over the heap once freed."""

    packed: bytes

    @classmethod
    def of(cls, request: BoltRequest) -> Work:
        body = request.raw_body if request.mode == "http" else request.body
        fields = (body, request.query, dict(request.headers), request.mode)
        return cls(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL))

    def request(self) -> BoltRequest:
        body, query, headers, mode = pickle.loads(self.packed)  # only ever what `of` packed
        return BoltRequest(body=body, query=query, headers=headers, mode=mode)


# How many works were acknowledged and are not done yet, and how long the oldest has waited.
Backlog = tuple[int, float]


class Elsewhere(Protocol):
    """Where the work of deferred listeners can be done instead of this process's work threads."""

    def hand(self, work: Work) -> bool:
        """Take `work` to run its listener; False if it cannot, and it stays in this process."""

    def backlog(self) -> Backlog:
        """The works it took and has not done yet."""


class Waiting:
    """Works handed to this process's work threads and not done yet, with when each came."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._since: dict[int, float] = {}

    def add(self) -> int:
        with self._lock:
            number = next(self._numbers)
            self._since[number] = time.monotonic()
        return number

    def done(self, number: int) -> None:
        with self._lock:
            self._since.pop(number, None)

    def backlog(self) -> Backlog:
        with self._lock:
            oldest = min(self._since.values(), default=None)
            count = len(self._since)
        return count, 0.0 if oldest is None else time.monotonic() - oldest


class _Given(Ack):
    """ack() in a deferred listener's work: Slack was answered when the request came."""

    def __init__(self) -> None:
        super().__init__()
        self.response = BoltResponse(status=200, body="")

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        assert self.response is not None
        return self.response


class _AckKept(Listener):
    """The same listener, acknowledged first when Bolt acknowledges it for you (events), and
    whose failures after ack() are reported without un-acking."""

    def __init__(self, listener: Listener, runner: AckKeepingRunner) -> None:
        self.listener = listener
        self.runner = runner
        self.matchers = listener.matchers
        self.middleware = listener.middleware
        self.ack_function = listener.ack_function
        self.lazy_functions = listener.lazy_functions
        self.auto_acknowledgement = listener.auto_acknowledgement
        self.ack_timeout = listener.ack_timeout

    def run_ack_function(
        self, *, request: BoltRequest, response: BoltResponse
    ) -> BoltResponse | None:
        ack = request.context.ack
        if isinstance(ack, _Answering):
            ack.defer = bool(getattr(self.ack_function, _DEFERRED, False))
        if self.auto_acknowledgement and ack.response is None:
            ack()  # an event: Slack needs nothing but the ack, so it has it before any work
        try:
            return self.listener.run_ack_function(request=request, response=response)
        except _Deferred:
            self.runner.queue_work(request)
            return None
        except Exception as error:
            if ack.response is None:
                raise  # Not acknowledged yet: Bolt acks with what the error handler answers.
            # Read at call time: App.error() replaces the handler after the runner is built.
            self.runner.listener_error_handler.handle(error=error, request=request, response=None)
            return None


class AckKeepingRunner(ThreadListenerRunner):
    """Bolt's runner, running every listener so that a failure after ack() keeps the ack, with
    the turns its listeners take to work after acking."""

    turns: threading.BoundedSemaphore
    app: App
    # Where the work of deferred listeners waits for a turn.
    work_executor: Executor
    # Where that work goes instead, when it can: a worker process.
    elsewhere: Elsewhere | None = None
    # The work given to this process's work threads and not done yet.
    waiting: Waiting

    def queue_work(self, request: BoltRequest) -> None:
        """Run `request`'s listener again, later, for its work, with its ack already given."""
        work = Work.of(request)
        if self.elsewhere is None or not self.elsewhere.hand(work):
            self.work(work)

    def work(self, work: Work) -> Future[None]:
        """Run the listener of `work`'s request in a work thread of this process, when one of
        the turns is free."""
        number = self.waiting.add()
        # Read at call time: a test may count the work handed to the executor.
        future = self.work_executor.submit(self._work, work)
        future.add_done_callback(lambda _: self.waiting.done(number))
        return future

    def backlog(self) -> Backlog:
        """The works acknowledged and not done yet, here and in the worker, and how long the
        oldest of them has waited."""
        count, oldest = self.waiting.backlog()
        if self.elsewhere is not None:
            there, older = self.elsewhere.backlog()
            count, oldest = count + there, max(oldest, older)
        return count, oldest

    def _work(self, work: Work) -> None:
        with self.turns:
            request = work.request()  # unpacked and parsed only now (Work)
            request.context["ack"] = _Given()
            self.app.dispatch(request)

    def run(
        self,
        request: BoltRequest,
        response: BoltResponse,
        listener_name: str,
        listener: Listener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        kept = _AckKept(listener, self)
        here = request.context.get(_HERE)
        if isinstance(here, _Here) and not getattr(listener.ack_function, _DEFERRED, False):
            # Matched on the event loop, but this listener works after its ack: a request
            # thread runs it, and answers Slack.
            here.away = True
            self.listener_executor.submit(self._run_away, request, response, listener_name,
                                          kept, starting_time)
            return _AWAY
        return super().run(request, response, listener_name, kept, starting_time)

    def _run_away(self, request: BoltRequest, response: BoltResponse, listener_name: str,
                  kept: _AckKept, starting_time: float | None) -> None:
        ack = request.context.ack
        assert isinstance(ack, _Answering)
        answered = BoltResponse(status=500, body="")
        try:
            answered = super().run(request, response, listener_name, kept,
                                   starting_time) or answered
        finally:
            if ack.holding:
                self.turns.release()
            ack.answer(answered)


class _Answering(Ack):
    """ack() that answers Slack at once, then waits for a turn to work."""

    def __init__(self, answer: Answer, turns: threading.BoundedSemaphore) -> None:
        super().__init__()
        self.answer, self.turns = answer, turns
        self.holding = False
        self.defer = False  # set for deferred listeners: their work is queued after the ack

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        if not self.holding:
            self.answer(response)
            if self.defer:
                raise _Deferred
            self.turns.acquire()
            self.holding = True
        return response


class _Once:
    """Calls `answer` the first time only: the ack, or else whatever Bolt answered."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._lock = threading.Lock()
        self._done = False

    def __call__(self, response: BoltResponse) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        self._answer(response)


def keep_acks(app: App, *, turns: int = WORK_TURNS) -> None:
    """Run the app's listeners on an AckKeepingRunner with the same settings and executor."""
    given = app.listener_runner
    runner = AckKeepingRunner(
        logger=given.logger,
        process_before_response=given.process_before_response,
        listener_error_handler=given.listener_error_handler,
        listener_start_handler=given.listener_start_handler,
        listener_completion_handler=given.listener_completion_handler,
        listener_executor=given.listener_executor,
        lazy_listener_runner=given.lazy_listener_runner,
    )
    runner.turns = threading.BoundedSemaphore(turns)
    runner.waiting = Waiting()
    runner.app = app
    runner.work_executor = ThreadPoolExecutor(max_workers=turns, thread_name_prefix="baton-work")
    # Bolt takes no runner as an argument; the app reads this attribute on every dispatch.
    app._listener_runner = runner


def runner_of(app: App) -> AckKeepingRunner:
    """The runner of an app built by baton.slack.app.build_app (keep_acks)."""
    runner = app.listener_runner
    if not isinstance(runner, AckKeepingRunner):
        raise TypeError("expected an app built by baton.slack.app.build_app")
    return runner


# Requests whose listener is matched, and a deferred one acked, on the thread that received them.
HERE_TYPES = frozenset({"block_actions", "view_submission"})
_HERE = "_baton_here"
# What a dispatch on the event loop returns when a request thread took the listener over.
_AWAY = BoltResponse(status=202, body="")


class _Here:
    """A dispatch on the thread that received the request; `away` once a listener that works
    after its ack has been sent to a request thread."""

    away = False


def may_ack_here(body: dict[str, Any]) -> bool:
    """Whether the request of `body` can be dispatched on the event loop by dispatch_here: a
    command, a click or a modal submitted. Events go to a request thread (their middleware asks the
    database whether the event was seen before)."""
    return "command" in body or body.get("type") in HERE_TYPES


def dispatch_here(app: App, request: BoltRequest, answer: Answer) -> None:
    """Match `request` to its listener on this thread; a deferred listener acks here too (it
    only reads the request before ack(), and its work is queued), so Slack's answer needs no
    thread of its own. Any other listener is run by a request thread, which answers."""
    _dispatch(app, request, _Once(answer), _Here())


def dispatch(app: App, request: BoltRequest, answer: Answer) -> None:
    """Hand `request` to a thread of `app`'s executor; `answer` gets Slack's answer once, as soon
    as the listener acks (or Bolt answers without an ack), while the listener goes on working."""
    # Read at call time: a test may count the work handed to the executor.
    runner_of(app).listener_executor.submit(_dispatch, app, request, _Once(answer))


def _dispatch(app: App, request: BoltRequest, once: _Once, here: _Here | None = None) -> None:
    """Bolt's dispatch of `request`, Slack answered once by `once`; `here` when on the thread
    that received it, where a listener that works after its ack is handed to a request thread
    (which then answers, and holds and gives back the turn)."""
    runner = runner_of(app)
    ack = _Answering(once, runner.turns)
    request.context["ack"] = ack
    if here is not None:
        request.context[_HERE] = here
    response = BoltResponse(status=500, body="")
    try:
        response = app.dispatch(request)
    finally:
        if here is None or not here.away:
            if ack.holding:
                runner.turns.release()
            once(response)
