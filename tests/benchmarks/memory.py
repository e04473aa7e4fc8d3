"""How much memory `baton run` holds after many requests of every kind.

Usage: python -m tests.benchmarks.memory [--backend sqlite|postgresql] [--requests 10000]
                                         [--concurrency 10]
Starts the stand-in and `baton run` over HTTP, then sends batches of mixed requests (a third
`/qualify Acme`, a third intake submissions, a third answers to questions Baton asked) and
prints Baton's resident memory (VmRSS) and its peak (VmHWM) after each batch, once Baton has
finished the work each batch asked for.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.report import settings_line
from tests.benchmarks.stage import Stage, staged

BATCH = 1500


@dataclass(frozen=True)
class Reading:
    """Baton's memory after `requests` requests, in MB."""

    requests: int
    rss_mb: float
    peak_mb: float

    def line(self) -> str:
        return f"{self.requests:>8,} {self.rss_mb:>9.1f} {self.peak_mb:>9.1f}"


def reading(stage: Stage) -> Reading:
    rss_kb, peak_kb = stage.baton.process.memory_kb()
    return Reading(stage.sent, rss_kb / 1024, peak_kb / 1024)


def send_batch(stage: Stage, size: int, concurrency: int, shuffle: random.Random) -> None:
    """`size` mixed requests, then wait for Baton to finish what they asked of it."""
    third, view = max(1, size // 3), stage.intake_view()
    questions = stage.fresh_questions(third)
    bodies = ([stage.bodies.qualify() for _ in range(third)]
              + [stage.bodies.intake(view) for _ in range(size - 2 * third)]
              + [stage.bodies.click(question) for question in questions])
    shuffle.shuffle(bodies)
    stage.send(stage.baton, bodies, concurrency)
    stage.transcript.settle()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=10)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Reading]:
    options = parse(argv)
    shuffle = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder, \
            staged(Path(folder), options.backend, floor=False) as stage:
        print(settings_line(options))
        print(f"{'requests':>8} {'RSS MB':>9} {'peak MB':>9}", flush=True)
        readings = [reading(stage)]
        print(readings[-1].line(), flush=True)
        while stage.sent < options.requests:
            send_batch(stage, min(BATCH, options.requests - stage.sent), options.concurrency,
                       shuffle)
            readings.append(reading(stage))
            print(readings[-1].line(), flush=True)
        print(stage.transcript.summary())
    return readings


if __name__ == "__main__":
    main()
