"""`baton run` does the work after each ack in a worker process of its own, over HTTP and in
Socket Mode: Slack sees the same answers, a stop (Ctrl-C or SIGTERM) lets that work finish and
leaves no process behind, what the worker counts is on /metrics, and a worker that dies leaves
Baton working, the work it had not finished done again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from baton.slack import ids
from baton.standin.client import SlackClient, SlackSide
from baton.standin.socket_client import SocketSlackClient
from tests.databases import sqlite_copy
from tests.slack.baton_run import free_port, start_baton_run, wait_until_healthy
from tests.slack.test_conversation_harness import new_user
from tests.slack_spec.server import FakeSlack

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="baton run has a worker process on Linux only")


# Works handed to a stopped worker: more than its pipe holds (1 MiB, a /qualify's about 650
# bytes of it) and than the serving process has request threads (256).
STALLED_WORKS = 2500


@dataclass
class Served:
    """`baton run` over HTTP, and Slack's side of it."""

    process: subprocess.Popen[str]
    slack: SlackSide
    fake: FakeSlack
    port: int

    def worker(self) -> int:
        """The pid of the one process `baton run` started."""
        children = [pid for pid in _pids() if _parent_of(pid) == self.process.pid]
        assert len(children) == 1, children
        return children[0]

    def qualify(self, company: str = "Acme Corp") -> None:
        reply = self.slack.command("/qualify", company, user_id=new_user())
        assert reply.status_code == 200, reply.text

    def stop(self, how: signal.Signals = signal.SIGTERM, *, group: bool = False) -> str:
        """Stop it as a terminal (`group`) or a supervisor would; what it logged."""
        if group:
            os.killpg(self.process.pid, how)
        else:
            self.process.send_signal(how)
        _, err = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, err
        assert "Traceback" not in err, err
        return err

    def figure(self, name: str, **labels: str) -> float:
        """A figure of /metrics."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics") as answer:
            text = answer.read().decode()
        return sum(sample.value for family in text_string_to_metric_families(text)
                   for sample in family.samples
                   if sample.name == name and sample.labels == labels)

    def wait_for_no_work(self, within: float = 10.0) -> None:
        """Until /metrics says every work acknowledged is done."""
        deadline = time.monotonic() + within
        while self.figure("baton_work_waiting") > 0:
            assert time.monotonic() < deadline, f"work still waiting after {within} s"
            time.sleep(0.05)

    def slack_errors(self, method: str, error: str) -> float:
        return self.figure("baton_slack_errors_total", method=method, error=error)


def _pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _gone(pid: int, within: float = 5.0) -> bool:
    """Whether process `pid` is gone (its parent waited for it) within `within` seconds."""
    deadline = time.monotonic() + within
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _dead(pid: int, within: float = 5.0) -> bool:
    """Whether process `pid` has ended (its parent may not have waited for it yet)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    with serving(database_url, tmp_path) as running:
        yield running


@contextmanager
def serving(database_url: str, folder: Path, *, socket_mode: bool = False,
            **settings: str) -> Iterator[Served]:
    """`baton run` over HTTP, or in Socket Mode, on a stand-in of its own."""
    with FakeSlack() as fake:
        port = free_port()
        if socket_mode:
            settings["SLACK_APP_TOKEN"] = fake.app_token
        process = start_baton_run(database_url, fake, folder, port, own_group=True, **settings)
        try:
            if socket_mode:
                fake.socket_mode.wait_for_link(timeout=20)
                slack: SlackSide = SocketSlackClient(fake.socket_mode, response_base=fake.root)
            else:
                wait_until_healthy(port)
                slack = SlackClient(f"http://127.0.0.1:{port}", "secret", response_base=fake.root)
            yield Served(process, slack, fake, port)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
        assert fake.invalid == []


def test_ctrl_c_lets_the_worker_finish_what_was_acked_and_leaves_no_process(
    served: Served,
) -> None:
    worker = served.worker()
    with ThreadPoolExecutor(max_workers=10) as senders:
        list(senders.map(lambda n: served.qualify(f"Acme {n}"), range(30)))

    said = served.stop(signal.SIGINT, group=True)  # Ctrl-C reaches every process of the group

    # Each /qualify was acked before its modal opened; every modal opened all the same.
    assert len(served.fake.calls_to("views.open")) == 30
    assert _gone(worker)
    assert "Baton stopped" in said


def test_the_worker_yields_the_cpus_to_the_acks(served: Served) -> None:
    served.qualify()
    served.wait_for_no_work()  # its work threads have started

    # Every thread of the worker is in Linux's idle class: a request waking the serving
    # process takes a CPU from the work at once.
    worker_threads = [int(task.name) for task in Path(f"/proc/{served.worker()}/task").iterdir()]
    assert len(worker_threads) > 1
    assert {os.sched_getscheduler(tid) for tid in worker_threads} == {os.SCHED_IDLE}
    assert os.sched_getscheduler(served.process.pid) == os.SCHED_OTHER


def test_a_worker_that_gets_no_cpu_holds_up_no_ack(sqlite_template: Path,
                                                    tmp_path: Path) -> None:
    # The pipe and the threads are the same whatever the database: SQLite only.
    with serving(sqlite_copy(sqlite_template, tmp_path), tmp_path) as served:
        # Each form opened too late is a warning: read them, as a log collector would.
        assert served.process.stderr is not None
        threading.Thread(target=served.process.stderr.read, daemon=True).start()
        worker = served.worker()
        os.kill(worker, signal.SIGSTOP)  # as a busy machine may leave the worker, for a while
        try:
            # More works than the pipe to the worker holds, and than Baton has request
            # threads: every /qualify is still answered (SlackClient gives up after 10 s).
            with ThreadPoolExecutor(max_workers=10) as senders:
                list(senders.map(lambda n: served.qualify(f"Acme {n}"), range(STALLED_WORKS)))
        finally:
            os.kill(worker, signal.SIGCONT)

        served.wait_for_no_work(within=120)
        # Every /qualify got its form, or, where Slack's 3 seconds had passed, was told to ask
        # again where it was typed.
        forms = served.fake.calls_to("views.open")
        too_late = [c for c in forms if c.response.get("error") == "expired_trigger_id"]
        told = [c for c in served.fake.calls_to("response_url")
                if "missed the 3 seconds" in c.args.get("text", "")]
        assert len(forms) == STALLED_WORKS
        assert too_late
        assert len(told) == len(too_late)


def test_sigterm_to_every_process_still_stops_after_the_work(served: Served) -> None:
    worker = served.worker()
    for n in range(10):
        served.qualify(f"Initech {n}")
    # As systemd stops a service: every process of the group is told.
    said = served.stop(signal.SIGTERM, group=True)

    assert len(served.fake.calls_to("views.open")) == 10
    assert _gone(worker)
    assert "Baton stopped" in said


def test_what_slack_refuses_the_worker_is_counted_on_metrics(served: Served) -> None:
    served.fake.fail("views.open", error="expired_trigger_id")

    served.qualify()

    served.fake.wait_for("views.open")
    deadline = time.monotonic() + 10
    while served.slack_errors("views.open", "expired_trigger_id") < 1:
        assert time.monotonic() < deadline, "the worker's failure never reached /metrics"
        time.sleep(0.05)
    assert served.slack_errors("views.open", "expired_trigger_id") == 1


def test_a_form_opened_too_late_tells_the_person_how_to_ask_again(served: Served) -> None:
    # Slack opens a form only within 3 seconds of the command: the work came after that.
    served.fake.fail("views.open", error="expired_trigger_id")

    served.qualify("Acme Corp")

    [told] = served.fake.wait_for("response_url")
    assert told.args["response_type"] == "ephemeral"
    assert told.args["text"] == (
        ":hourglass: Baton was busy and missed the 3 seconds Slack allows to open that form. "
        "Nothing was lost: please run `/qualify Acme Corp` again.")
    said = served.stop()  # no traceback in the log: a warning saying what happened
    assert ("Slack would not open a form for command /qualify (expired_trigger_id): Baton's "
            "work after the ack started too late") in said


def test_work_the_worker_has_not_done_is_on_metrics_until_it_is(served: Served) -> None:
    held = served.fake.hold("views.open")  # Slack takes the modal and is slow to answer

    served.qualify()

    assert held.taken.wait(10)
    time.sleep(0.1)
    assert served.figure("baton_work_waiting") == 1
    assert served.figure("baton_work_oldest_waiting_seconds") >= 0.1
    held.release()
    served.wait_for_no_work()
    assert served.figure("baton_work_oldest_waiting_seconds") == 0


def test_with_its_worker_gone_baton_says_so_and_does_the_work_itself(served: Served) -> None:
    served.qualify()
    served.fake.wait_for("views.open", 1)
    served.wait_for_no_work()  # done: a work the worker had not finished would be done again
    os.kill(served.worker(), signal.SIGKILL)

    served.qualify("Globex")
    served.qualify("Umbrella")

    opened = served.fake.wait_for("views.open", 3)
    assert len(opened) == 3
    said = served.stop()
    assert "Baton's worker process stopped (exit status -9)" in said
    assert said.count("worker process stopped") == 1


def test_in_socket_mode_the_worker_opens_the_modal_and_stops_with_baton(
    database_url: str, tmp_path: Path,
) -> None:
    with serving(database_url, tmp_path, socket_mode=True) as served:
        worker = served.worker()
        served.qualify()

        assert served.fake.wait_for("views.open")[-1].args["view"]["callback_id"] == \
            ids.INTAKE_MODAL
        served.stop(signal.SIGTERM, group=True)
        assert _gone(worker)


def test_with_the_worker_turned_off_baton_run_is_one_process_doing_the_work(
    database_url: str, tmp_path: Path,
) -> None:
    with serving(database_url, tmp_path, BATON_WORKER="false") as served:
        assert [pid for pid in _pids() if _parent_of(pid) == served.process.pid] == []

        served.qualify()

        assert served.fake.wait_for("views.open")[-1].args["view"]["callback_id"] == \
            ids.INTAKE_MODAL
        assert "worker process" not in served.stop()


def test_work_the_worker_died_doing_is_done_again_by_baton(served: Served) -> None:
    held = served.fake.hold("views.open")  # the worker waits on Slack's answer when it dies
    served.qualify()
    assert held.taken.wait(10)

    worker = served.worker()
    os.kill(worker, signal.SIGKILL)
    assert _dead(worker)
    held.release()  # to a caller gone; the stand-in answers one views.open at a time

    # The /qualify acknowledged before is not lost: its modal is opened again.
    opened = served.fake.wait_for("views.open", 2)
    assert opened[0].args["trigger_id"] == opened[1].args["trigger_id"]
    served.wait_for_no_work()
    assert "starting again the 1 it had not finished" in served.stop()
