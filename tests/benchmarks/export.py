"""`baton export` of seeded leads: wall time and peak memory, beside a raw dump of its tables.

Usage: python -m tests.benchmarks.export [--leads 2000,20000] [--backends sqlite,postgresql]
                                         [--format csv|jsonl]
Seeds a fresh database per size and backend with `baton seed`, then runs `baton export` over the
whole year and, as the floor, a raw CSV dump of the rows it reads (leads, qualifications,
verdicts without their criteria's details, current answers, handoffs, outcomes) by `psql` with
COPY on PostgreSQL and the `sqlite3` shell (or, without it, Python's sqlite3 module) on SQLite.
Each runs as a process of its own; its peak memory is its high-water mark (VmHWM), sampled
every 10 ms while it runs; each runs three times, and the quickest run is kept. Both also run
on the database migrated and still empty, before the seed: what each spends starting (for
`baton export`, mostly importing SQLAlchemy and pydantic). The last column compares the two
without it: the export's time beyond its start-up over the dump's beyond its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

import baton.store.tables  # noqa: F401  (the tables, in SQLModel's metadata)
from tests.benchmarks.backends import fresh_database
from tests.benchmarks.processes import BenchmarkError, baton_command, environment
from tests.benchmarks.report import ratio, settings_line

# Where the sqlite3 shell is not installed: the same dump through Python's sqlite3 module.
PYTHON_DUMP = """import csv, sqlite3, sys
database, out = sqlite3.connect(sys.argv[1]), open(sys.argv[2], "w", newline="")
for select in sys.stdin.read().splitlines():
    csv.writer(out).writerows(database.execute(select))
"""
RUNS = 3  # of each command, the quickest kept
# What the export never reads: each criterion's title, reason and points (it reads the statuses).
UNREAD = {"verdictrecord": {"criteria"}}
TABLES = ("lead", "qualification", "verdictrecord", "answerentry", "handoff", "outcome")
HEADER = (f"{'backend':<10} {'leads':>7} {'exported':>8} | {'baton export':>12} {'peak':>8} | "
          f"{'raw dump':>9} {'peak':>8} | {'time x':>6} | {'start-up':>8} {'raw':>5} | "
          f"{'beyond x':>8}")


@dataclass(frozen=True)
class Measured:
    """A finished process: seconds it took and its peak resident memory in MB."""

    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Row:
    """One seeded database: how many leads were exported, the export and the raw dump, and each
    of them on the empty database."""

    backend: str
    leads: int
    exported: int
    export: Measured
    dump: Measured
    empty_export: Measured
    empty_dump: Measured

    def beyond_start_up(self) -> str:
        """The export's seconds beyond its start-up over the dump's beyond its own; "-" where
        either took no longer than its start-up (too few leads to tell)."""
        export = self.export.seconds - self.empty_export.seconds
        dump = self.dump.seconds - self.empty_dump.seconds
        return ratio(export, dump) if export > 0 and dump > 0 else "-"

    def line(self) -> str:
        e, d = self.export, self.dump
        return (f"{self.backend:<10} {self.leads:>7,} {self.exported:>8,} | {e.seconds:>11.2f}s "
                f"{megabytes(e.peak_mb):>8} | {d.seconds:>8.2f}s {megabytes(d.peak_mb):>8} | "
                f"{ratio(e.seconds, d.seconds):>6} | {self.empty_export.seconds:>7.2f}s "
                f"{self.empty_dump.seconds:>4.2f}s | {self.beyond_start_up():>8}")


def megabytes(peak_mb: float) -> str:
    """A peak as printed; "-" for a process that ended before it could be sampled."""
    return f"{peak_mb:.0f}MB" if peak_mb else "-"


def measure(argv: list[str], env: dict[str, str], folder: Path, stdin: str = "") -> Measured:
    """Run a command to its end; its wall time and the peak of its resident memory."""
    with (folder / "stderr.log").open("wb") as errors:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(argv, cwd=folder, env=env, stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=errors)
        except FileNotFoundError:
            raise BenchmarkError(f"{argv[0]} is not installed") from None
        assert process.stdin is not None
        process.stdin.write(stdin.encode())
        process.stdin.close()
        peak_kb = 0
        # The kernel's ru_maxrss would count the benchmark's own memory, copied into the child
        # before it started the command; the command's own high-water mark is VmHWM.
        while not (ended := os.wait4(process.pid, os.WNOHANG))[0]:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(ended[1])
    if process.returncode != 0:
        raise BenchmarkError(f"{' '.join(argv[:3])} failed:\n"
                             f"{(folder / 'stderr.log').read_text()[-2000:]}")
    return Measured(seconds, peak_kb / 1024)


def fastest(run: Callable[[], Measured], times: int = RUNS) -> Measured:
    """The quickest of a few runs of a command, with less of the machine's noise in it."""
    return min((run() for _ in range(times)), key=lambda measured: measured.seconds)


def high_water_kb(pid: int) -> int:
    """The peak resident memory of a running process, in kB; 0 once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(found[0]) if found else 0


def raw_dump(url: str, out: Path) -> tuple[list[str], str]:
    """The command and script that dump the export's tables as CSV into `out`."""
    selects = [f"SELECT {_columns(t)} FROM {t}" + (" WHERE is_current" if t == "answerentry"
                                                      else "") for t in TABLES]
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if shutil.which("sqlite3") is None:
            return [sys.executable, "-c", PYTHON_DUMP, path, str(out)], "\n".join(selects)
        script = "".join(f"{select};\n" for select in selects)
        return ["sqlite3", "-csv", "-cmd", f".output {out}", path], script
    libpq = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    script = "".join(f"COPY ({select}) TO STDOUT WITH CSV;\n" for select in selects)
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", str(out), libpq], script


def _columns(table: str) -> str:
    """The columns of `table` the dump reads: all, but what the export never reads."""
    if table not in UNREAD:
        return "*"
    return ", ".join(column.name for column in SQLModel.metadata.tables[table].columns
                     if column.name not in UNREAD[table])


def bench_one(backend: str, leads: int, export_format: str) -> Row:
    """Seed `leads` leads, then time the export and the raw dump of the same rows."""
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as name, \
            fresh_database(backend, Path(name)) as url:
        folder = Path(name)
        env = environment(DATABASE_URL=url)
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).date().isoformat()
        exported = folder / f"leads.{export_format}"
        export_argv = baton_command("export", "--since", since, "--format", export_format,
                                    "--out", str(exported))
        dump_argv, script = raw_dump(url, folder / "dump.csv")
        measure(baton_command("db", "upgrade"), env, folder)
        empty_export = fastest(lambda: measure(export_argv, env, folder))
        empty_dump = fastest(lambda: measure(dump_argv, env, folder, stdin=script))
        measure(baton_command("seed", "--leads", str(leads), "--seed", "1"), env, folder)
        export = fastest(lambda: measure(export_argv, env, folder))
        dump = fastest(lambda: measure(dump_argv, env, folder, stdin=script))
        with exported.open("rb") as rows:
            count = sum(1 for _ in rows) - (export_format == "csv")
    return Row(backend, leads, count, export, dump, empty_export, empty_dump)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", default="2000,20000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Row]:
    options = parse(argv)
    print(settings_line(options))
    print(HEADER, flush=True)
    rows = []
    for leads in (int(n) for n in options.leads.split(",")):
        for backend in options.backends.split(","):
            rows.append(bench_one(backend, leads, options.format))
            print(rows[-1].line(), flush=True)
    return rows


if __name__ == "__main__":
    main()
