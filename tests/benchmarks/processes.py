"""The processes a benchmark starts: Baton, the floor, the stand-in, each logging to a file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STOP_SECONDS = 15.0


class BenchmarkError(Exception):
    """A benchmark could not measure; the message says what went wrong."""


@dataclass(frozen=True)
class Process:
    """A started process and the file its stdout and stderr go to."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 15) -> str:
        """The end of its log, to say why it stopped."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """The CPU time it used so far, user and system, over all its threads."""
        stat = Path(f"/proc/{self.popen.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # fields from the third (state) on
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_kb(self) -> tuple[int, int]:
        """Resident memory now and at its peak (VmRSS, VmHWM), in kB."""
        status = Path(f"/proc/{self.popen.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def environment(**overrides: str) -> dict[str, str]:
    """This environment, with the repository importable and the given variables set."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env | overrides


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def baton_command(*arguments: str) -> list[str]:
    """The `baton` command of the interpreter running the benchmark."""
    script = Path(sys.executable).with_name("baton")
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-c", "from baton.cli import main; main()", *arguments]


@contextmanager
def started(name: str, argv: list[str], env: Mapping[str, str], folder: Path,
            stdout: int | None = None) -> Iterator[Process]:
    """Run `argv` in `folder` until the block ends, then stop it as `docker stop` would."""
    log = folder / f"{name}.log"
    with log.open("wb") as sink:
        popen = subprocess.Popen(argv, cwd=folder, env=dict(env), stderr=sink,
                                 stdout=sink if stdout is None else stdout)
    process = Process(name, popen, log)
    try:
        yield process
    finally:
        stop(process)


def stop(process: Process) -> None:
    if not process.alive():
        return
    process.popen.send_signal(signal.SIGTERM)
    try:
        process.popen.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.popen.kill()
        process.popen.wait()


def wait_until_healthy(process: Process, base_url: str, timeout: float = 60.0) -> None:
    """Wait for GET /healthz to answer 200; a process that exits first is an error."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise BenchmarkError(f"{process.name} exited before serving:\n{process.tail()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise BenchmarkError(f"{process.name} did not answer /healthz in {timeout:.0f}s:\n"
                         f"{process.tail()}")


def counts_of(process: Process, path: Path, timeout: float = 10.0) -> dict[str, int]:
    """Ask a counted Baton (tests.benchmarks.counted) for its counts so far."""
    before = json.loads(path.read_text())["dumps"] if path.exists() else 0
    process.popen.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and (found := json.loads(path.read_text()))["dumps"] > before:
            return dict(found["counts"])
        time.sleep(0.02)
    raise BenchmarkError(f"{process.name} did not write its counts in {timeout:.0f}s")
