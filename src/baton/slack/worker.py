"""The work after the acks, in a process of its own.

`baton run` acks Slack in one process and does the work of deferred listeners (acks.deferred)
in a worker: a copy of itself forked once at start-up, at a lower CPU priority, so that however
much work is waiting, the next ack takes neither the interpreter nor a CPU from it. The worker
runs each listener again, whole, in its own work threads, with its own database connections
and Slack connections; what it counts for /metrics comes back to the process that serves them.

The worker ignores Ctrl-C and SIGTERM, which may reach every process of the group: it stops
when the serving process tells it, once the work it was handed is done, or when that process
is gone. If it ever stops on its own, the work is done in the serving process again.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from queue import SimpleQueue
from typing import Any

from slack_bolt import App

from baton.slack.acks import AckKeepingRunner, Backlog, Waiting, Work, runner_of
from baton.slack.metrics import Counted

log = logging.getLogger(__name__)

# Where Linux's idle scheduling class (sched(7): SCHED_IDLE, for background jobs) is missing or
# refused, how much less CPU priority the worker takes instead (nice(2): 0 to 19).
NICENESS = 10
# How long a stop waits for the work already handed over.
STOP_SECONDS = 20.0
# Slots, in memory the two processes share, where the worker marks each work done (number
# % MARKS holds number); the serving process forgets the works marked done every 256 it hands
# over, long before a slot is used again.
MARKS = 65536
# Room in the pipe to the worker (Linux lets a pipe grow to 1 MiB unprivileged): a few hundred
# works can wait there while the worker is busy, without a request thread waiting to write.
PIPE_BYTES = 1 << 20

# In the worker, before any work: drop what belongs to the serving process (its database and
# Slack connections) and send what it counts with the function given.
Prepare = Callable[[Callable[[Counted], None]], None]


class Worker:
    """A worker process doing the work of an app's deferred listeners."""

    def __init__(self, app: App, *, prepare: Prepare, receive: Callable[[Counted], None]) -> None:
        self.runner = runner = runner_of(app)
        context = multiprocessing.get_context("fork")
        # Works go down a pipe, written by one thread: a request thread that acked only queues
        # its work and returns, however full the pipe is. Its end closes when this process
        # ends, which ends the worker.
        self._reader, self._writer = context.Pipe(duplex=False)
        _widen(self._writer)
        # Where the worker marks each work done: slot number % MARKS holds the number.
        self._marks = context.RawArray("q", MARKS)
        # From the worker: what it counted; from this process, once the worker is gone, None.
        self._heard: Queue[Counted | None] = context.Queue()
        self._process: BaseProcess = context.Process(
            target=_work_until_told, name="baton-worker",
            args=(runner, self._reader, self._writer, self._marks, self._heard, prepare))
        self._receive = receive
        self._lock = threading.Lock()
        # To the pipe, in the order handed; None once stopping.
        self._outgoing: SimpleQueue[tuple[int, Work] | None] = SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, name="baton-worker-sender",
                                        daemon=True)
        # Handed over and perhaps not done yet, and since when.
        self._handed: dict[int, Work] = {}
        self._waiting = Waiting()
        self._lost = False
        self._stopping = False
        self._listening = threading.Thread(target=self._listen, name="baton-worker-reports",
                                           daemon=True)

    def start(self) -> Worker:
        """Fork the worker, then have the app hand it every deferred listener's work. Call it
        before this process starts any thread: a fork copies only the thread that makes it."""
        # Objects made so far stay out of both processes' garbage collection, so neither
        # writes to the pages they share.
        gc.freeze()
        self._process.start()
        self._reader.close()
        self._sender.start()
        self._listening.start()
        threading.Thread(target=self._watch, name="baton-worker-watch", daemon=True).start()
        self.runner.elsewhere = self
        log.info("Baton's worker process (pid %s) does the work after each ack",
                 self._process.pid)
        return self

    def hand(self, work: Work) -> bool:
        with self._lock:
            if self._lost or self._stopping:
                return False
            number = self._waiting.add()
            self._handed[number] = work
            if number % 256 == 0:
                self._forget_done()
            self._outgoing.put((number, work))
        return True

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Let the worker finish the work it was handed, then end it; work handed from now on
        is done in this process."""
        with self._lock:
            self._stopping = True
            self.runner.elsewhere = None
            self._outgoing.put(None)  # behind the last work handed
        self._sender.join(timeout)
        if self._sender.is_alive():  # the worker reads nothing any more
            self._kill(timeout)
            self._sender.join()
        self._writer.close()  # the worker reads what is left, then stops
        self._process.join(timeout)
        if self._process.is_alive():
            self._kill(timeout)
        self._listening.join(timeout)

    def _kill(self, timeout: float) -> None:
        log.warning("Baton's worker process had not finished its work after %.0f s; stopping it",
                    timeout)
        self._process.kill()
        self._process.join()

    def backlog(self) -> Backlog:
        with self._lock:
            self._forget_done()
        return self._waiting.backlog()

    def _forget_done(self) -> None:
        marks = self._marks
        for number in [n for n in self._handed if marks[n % MARKS] == n]:
            del self._handed[number]
            self._waiting.done(number)

    def _send_all(self) -> None:
        while (handed := self._outgoing.get()) is not None:
            try:
                self._writer.send(handed)
            except OSError:  # the worker is gone: _gone does again what it had not done
                continue

    def _watch(self) -> None:
        multiprocessing.connection.wait([self._process.sentinel])
        # Behind everything the worker said before it ended.
        self._heard.put(None)

    def _listen(self) -> None:
        while (report := self._heard.get()) is not None:
            try:
                self._receive(report)
            except Exception:  # one figure lost; the worker's end must still be heard
                log.exception("A figure the worker process counted could not be recorded")
        self._gone()

    def _gone(self) -> None:
        """The worker ended: on its own, the work it had not finished is done here again, and
        all work from now on."""
        with self._lock:
            self._lost = True
            self.runner.elsewhere = None
            self._forget_done()
            unfinished = list(self._handed.values())
            for number in self._handed:
                self._waiting.done(number)
            self._handed = {}
        self._process.join()
        if self._stopping:
            if unfinished:
                log.warning("Baton's worker process was stopped with %d works unfinished",
                            len(unfinished))
            return
        log.error("Baton's worker process stopped (exit status %s): the work after each ack is "
                  "done in this process from now on, starting again the %d it had not finished",
                  self._process.exitcode, len(unfinished))
        for work in unfinished:
            self.runner.work(work)


def _widen(writer: Connection) -> None:
    try:
        fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # not Linux, or a lower limit: the default will do
        pass


def _work_until_told(runner: AckKeepingRunner, reader: Connection, writer: Connection,
                     marks: Any, heard: Queue[Counted | None], prepare: Prepare) -> None:
    """The worker: run each work handed over in the app's work threads, until the serving
    process closes its end of the pipe (it stops, or it is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    writer.close()  # only the serving process writes: its end closing is the end
    _step_aside()
    runner.elsewhere = None
    prepare(heard.put)
    while True:
        try:
            number, work = reader.recv()
        except EOFError:
            break
        runner.work(work).add_done_callback(functools.partial(_mark, marks, number))
    runner.work_executor.shutdown(wait=True)
    heard.close()
    heard.join_thread()


def _step_aside() -> None:
    """Put the worker (and the threads it starts) in the idle scheduling class: a request
    waking the serving process takes a CPU from it at once, instead of waiting out its turn;
    when the acks leave a CPU free, as they nearly always do, the work has all of it."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or not allowed here
        os.nice(NICENESS)


def _mark(marks: Any, number: int, _: Future[None]) -> None:
    marks[number % MARKS] = number
