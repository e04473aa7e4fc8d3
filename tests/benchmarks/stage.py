"""Baton and the floor, side by side on loopback, talking to the stand-in in its own process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks.backends import fresh_database
from tests.benchmarks.bodies import Bodies, Body
from tests.benchmarks.load import SECRET, Run, fire_all
from tests.benchmarks.processes import (
    REPO,
    BenchmarkError,
    Process,
    baton_command,
    environment,
    free_port,
    started,
    wait_until_healthy,
)
from tests.benchmarks.transcript import Question, Transcript

TOKEN = "xoxb-fake-bot-token"  # the stand-in's bot token
SETUP_CONCURRENCY = 10
WARM_UP = 10


@dataclass(frozen=True)
class Server:
    """A process serving Slack's requests at `url`."""

    url: str
    process: Process


@dataclass
class Stage:
    """The running Baton (and floor), the stand-in's transcript and the bodies to send them."""

    database_url: str
    transcript: Transcript
    bodies: Bodies
    baton: Server
    floor: Server | None
    slack: Process
    sent: int = 0

    def send(self, server: Server, bodies: list[Body], concurrency: int) -> Run:
        """Send every body to `server`, `concurrency` at a time; count those sent to Baton."""
        if server is self.baton:
            self.sent += len(bodies)
        return fire_all(server.url, bodies, concurrency)

    def slack_cost(self) -> str:
        """One line on the CPU time the stand-in spent answering, per call."""
        calls = max(self.transcript.calls, 1)
        return (f"The Slack stand-in (idle class) spent "
                f"{1000 * self.slack.cpu_seconds() / calls:.2f} ms of CPU per call.")

    def bare(self) -> Server:
        """The floor, for a benchmark that started one."""
        if self.floor is None:
            raise BenchmarkError("this benchmark started no floor")
        return self.floor

    def warm_up(self) -> None:
        """A few requests to each server, so that no measured run pays for their first ones."""
        for server in filter(None, (self.floor, self.baton)):
            self.send(server, [self.bodies.qualify() for _ in range(WARM_UP)], 1)
        self.transcript.settle()

    def intake_view(self) -> dict[str, Any]:
        """The intake modal as Baton opens it, asked for with `/qualify Acme` if need be."""
        try:
            return self.transcript.intake_view()
        except LookupError:
            self.send(self.baton, [self.bodies.qualify()], 1)
            self.transcript.settle()
        return self.transcript.intake_view()

    def start_qualifications(self, count: int) -> None:
        """Submit `count` intakes to Baton and wait until it has asked their first questions."""
        view = self.intake_view()
        self.send(self.baton, [self.bodies.intake(view) for _ in range(count)],
                  SETUP_CONCURRENCY)
        self.transcript.settle()

    def fresh_questions(self, count: int) -> list[Question]:
        """`count` questions nobody has answered yet, starting qualifications when too few."""
        fresh = self.transcript.fresh
        if len(fresh) < count:
            self.start_qualifications(count - len(fresh))
        if len(fresh) < count:
            raise BenchmarkError(f"Baton asked {len(fresh)} new questions, {count} were needed; "
                                 f"its calls Slack refused: {self.transcript.refused[:3]}")
        return [fresh.popleft() for _ in range(count)]

    def seen_questions(self, count: int) -> list[Question]:
        """`count` questions Baton asked lately, answered or not, for a server that only acks."""
        if not self.transcript.recent:
            self.start_qualifications(min(count, SETUP_CONCURRENCY))
        recent = list(self.transcript.recent)
        return [recent[n % len(recent)] for n in range(count)]


@contextmanager
def slack_standin(folder: Path) -> Iterator[tuple[str, Transcript, Process]]:
    """The stand-in in its own process; its Web API URL, its transcript and the process."""
    path = folder / "slack-transcript.jsonl"
    path.touch()
    argv = [sys.executable, "-m", "tests.benchmarks.standin", str(path)]
    with started("slack", argv, environment(), folder, stdout=subprocess.PIPE) as process:
        assert process.popen.stdout is not None
        url = process.popen.stdout.readline().decode().strip()
        if not url:
            raise BenchmarkError(f"the Slack stand-in did not start:\n{process.tail()}")
        yield url, Transcript(path), process


@contextmanager
def serving(name: str, argv: list[str], env: dict[str, str], folder: Path) -> Iterator[Server]:
    """Start a server on a free port and wait until it answers its health check."""
    port = free_port()
    with started(name, argv, env | {"PORT": str(port)}, folder) as process:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(process, url)
        yield Server(url, process)


@contextmanager
def staged(folder: Path, backend: str, *, floor: bool = True,
           baton_argv: list[str] | None = None) -> Iterator[Stage]:
    """Start the stand-in, a fresh database, `baton run` over HTTP and, unless told, the floor."""
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(backend, folder))
        slack_url, transcript, slack = stack.enter_context(slack_standin(folder))
        env = environment(
            SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_APP_TOKEN="",
            SLACK_API_URL=slack_url, DATABASE_URL=database_url, BATON_MANAGERS="",
            BATON_SALES_CHANNEL="C0SALES001", BATON_PROMPTS_DIR=str(REPO / "prompts"))
        baton = stack.enter_context(
            serving("baton", baton_argv or baton_command("run"), env, folder))
        bare = None
        if floor:
            argv = [sys.executable, "-m", "tests.benchmarks.floor"]
            bare = stack.enter_context(serving("floor", argv, env, folder))
        slack_root = slack_url.removesuffix("api/")
        yield Stage(database_url, transcript, Bodies(slack_root), baton, bare, slack)
