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
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    def family(self) -> list[int]:
        """Its pid and those of the processes it started (`baton run`'s worker), and theirs."""
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = _stat(int(entry.name))[1]
                except (OSError, IndexError):
                    continue  # ended while being read
        found = [self.popen.pid]
        for pid in found:
            found += [child for child, parent in parents.items() if parent == str(pid)]
        return found

    def cpu_seconds(self) -> float:
        """The CPU time it and its family used so far, user and system, over all threads."""
        ticks = 0
        for pid in self.family():
            fields = _stat(pid)
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory_kb(self) -> tuple[int, int]:
        """Resident memory now and at its peak (VmRSS, VmHWM), in kB, of this process alone."""
        status = Path(f"/proc/{self.popen.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def shared_memory_kb(self) -> list[tuple[int, int, int]]:
        """(pid, Pss, Rss) in kB for it and its family: Pss counts a page shared by n
        processes as 1/n in each, so their sum is the memory they hold together."""
        held = []
        for pid in self.family():
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:] if ":" in line)
            held.append((pid, int(fields["Pss"].split()[0]), int(fields["Rss"].split()[0])))
        return held


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields from the third (state) on: the name may hold spaces."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


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
    """Ask a counted Baton (tests.benchmarks.counted) for its counts so far: those of its
    process and of its worker, summed."""
    def dumps(pid: int) -> dict[str, Any]:
        written = counts_path(path, pid)
        return json.loads(written.read_text()) if written.exists() else {"dumps": 0}

    family = process.family()
    before = {pid: dumps(pid)["dumps"] for pid in family}
    for pid in family:
        os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = {pid: dumps(pid) for pid in family}
        if all(found[pid]["dumps"] > before[pid] for pid in family):
            return dict(sum((Counter(found[pid]["counts"]) for pid in family), Counter()))
        time.sleep(0.02)
    raise BenchmarkError(f"{process.name} did not write its counts in {timeout:.0f}s")


def counts_path(path: Path, pid: int) -> Path:
    """Where tests.benchmarks.counted's process `pid` writes its counts."""
    return path.with_name(f"{path.stem}.{pid}{path.suffix}")
