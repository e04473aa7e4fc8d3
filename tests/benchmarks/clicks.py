"""Answer clicks spread over 50 qualifications: Baton's answers a second beside the floor's acks,
and the database work each answer makes.

Usage: python -m tests.benchmarks.clicks [--backend sqlite|postgresql] [--clicks 200]
                                         [--concurrency 1,10,20,50] [--rounds 3]
For each concurrency and round the floor acks `--clicks` clicks; then Baton gets 50 new
qualifications and `--clicks` answers, each to the question Baton asked last on one of them, so
a qualification's next answer waits until Baton has asked its next question. Baton runs under
tests.benchmarks.counted, which counts its transactions, statements and connection checkouts
through SQLAlchemy's events, apart from those of its background sender and SLA tick, and the CPU
time its process used per answer (every thread, the sender and tick included).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.bodies import Body
from tests.benchmarks.load import Figures, Run, Source, fire
from tests.benchmarks.processes import BenchmarkError, counts_of
from tests.benchmarks.report import ratio, settings_line
from tests.benchmarks.stage import Stage, staged

QUESTIONS_EACH = 8  # the intake picks MEDDPICC, eight questions
# What tests.benchmarks.counted counts, and its column heading.
WORK = {"transactions": "txns", "commits": "commits", "rollbacks": "rollbks",
        "statements": "stmts", "checkouts": "checkout", "pings": "pings"}
HEADER = "\n".join([
    f"{'':<4} | {'floor':>7} | {'Baton':^23} | {'Baton':>6} | {'late':<5} | "
    f"{'per answer, in the request threads':^{9 * len(WORK) - 1}} | background | Baton",
    f"{'conc':>4} | {'acks/s':>7} | {'answ/s':>7} {'p50 ms':>7} {'p99 ms':>7} | {'/floor':>6} | "
    f"{'f/B':<5} | " + " ".join(f"{label:>8}" for label in WORK.values())
    + " |    commits | CPU ms",
])


@dataclass(frozen=True)
class Row:
    """One concurrency: the floor's acks, Baton's answers and its database work per answer."""

    concurrency: int
    floor: Figures
    baton: Figures
    work: dict[str, float]

    def line(self) -> str:
        f, b, w = self.floor, self.baton, self.work
        done = " ".join(f"{w.get(f'requests {what}', 0):>8.2f}" for what in WORK)
        return (f"{self.concurrency:>4} | {f.rate:>7.0f} | {b.rate:>7.0f} {b.p50:>7.1f} "
                f"{b.p99:>7.1f} | {ratio(b.rate, f.rate):>6} | {f'{f.late}/{b.late}':<5} | "
                f"{done} | {w.get('background commits', 0):>10.2f} | "
                f"{w.get('cpu ms', 0):>6.2f}")


def answers(stage: Stage, count: int) -> Source:
    """Answer clicks, each on a question nobody answered yet, waiting for Baton to ask one."""
    left, transcript = count, stage.transcript

    async def source() -> Body | None:
        nonlocal left
        if left == 0:
            return None
        left -= 1
        deadline = time.monotonic() + 30
        while not transcript.fresh:
            if time.monotonic() > deadline:
                raise BenchmarkError("Baton asked no new question for 30 s")
            await asyncio.sleep(0.002)
            transcript.poll()
        return stage.bodies.click(transcript.fresh.popleft())

    return source


def baton_run(stage: Stage, counts: Path, concurrency: int,
              options: argparse.Namespace) -> tuple[Run, Counter[str]]:
    """New qualifications, then the answers; the database work from the first to the last."""
    stage.transcript.settle()
    stage.transcript.fresh.clear()
    stage.start_qualifications(options.qualifications)
    before = Counter(counts_of(stage.baton.process, counts))
    cpu = stage.baton.process.cpu_seconds()
    run = asyncio.run(fire(stage.baton.url, answers(stage, options.clicks), concurrency))
    stage.transcript.settle()
    done = Counter(counts_of(stage.baton.process, counts)) - before
    # Whole milliseconds: a Counter keeps only counts above zero.
    done["cpu ms"] = round((stage.baton.process.cpu_seconds() - cpu) * 1000)
    return run, done


def measure(stage: Stage, counts: Path, concurrency: int, options: argparse.Namespace) -> Row:
    floor_runs, baton_runs, work = [], [], Counter[str]()
    for _ in range(options.rounds):
        clicks = [stage.bodies.click(q) for q in stage.seen_questions(options.clicks)]
        floor_runs.append(stage.send(stage.bare(), clicks, concurrency))
        run, done = baton_run(stage, counts, concurrency, options)
        baton_runs.append(run)
        work += done
    answered = options.clicks * options.rounds
    per_answer = {what: count / answered for what, count in work.items()}
    return Row(concurrency, Figures.of(floor_runs), Figures.of(baton_runs), per_answer)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--clicks", type=int, default=200, help="answers per run")
    parser.add_argument("--concurrency", default="1,10,20,50")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--qualifications", type=int, default=50)
    options = parser.parse_args(argv)
    if options.clicks > options.qualifications * QUESTIONS_EACH:
        parser.error(f"--clicks: {options.qualifications} qualifications have "
                     f"{options.qualifications * QUESTIONS_EACH} questions to answer")
    return options


def main(argv: list[str] | None = None) -> list[Row]:
    options = parse(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder:
        counts = Path(folder) / "counts.json"
        argv_counted = [sys.executable, "-m", "tests.benchmarks.counted", str(counts), "run"]
        with staged(Path(folder), options.backend, baton_argv=argv_counted) as stage:
            stage.warm_up()
            print(settings_line(options), flush=True)
            print(HEADER, flush=True)
            for concurrency in (int(c) for c in options.concurrency.split(",")):
                rows.append(measure(stage, counts, concurrency, options))
                print(rows[-1].line(), flush=True)
            print(stage.transcript.summary())
    return rows


if __name__ == "__main__":
    main()
