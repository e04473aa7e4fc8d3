"""How much memory `baton run` holds after many requests of every kind.

Usage: python -m tests.benchmarks.memory [--backend sqlite|postgresql] [--requests 10000]
                                         [--concurrency 10]
Starts the stand-in and `baton run` over HTTP, then sends batches of mixed requests (a third
`/qualify Acme`, a third intake submissions, a third answers to questions Baton asked) and
prints the memory `baton run` and its worker process hold after each batch, once Baton has
finished the work each batch asked for: their proportional set sizes (Pss, which counts a page
the two share half in each) summed, and each one's Pss and resident memory (RSS).
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


HEADER = (f"{'requests':>8} {'total MB':>9} | {'serving':^19} | {'worker':^19}\n"
          f"{'':>8} {'(Pss)':>9} | {'Pss MB':>9} {'RSS MB':>9} | {'Pss MB':>9} {'RSS MB':>9}")


@dataclass(frozen=True)
class Reading:
    """Baton's memory after `requests` requests, in MB: each process's proportional share
    (Pss, pages shared between the two counted half in each) and resident memory (RSS)."""

    requests: int
    pss_mb: float  # both processes together
    processes: tuple[tuple[float, float], ...]  # (Pss, RSS) of `baton run`, then its worker

    def line(self) -> str:
        each = " | ".join(f"{pss:>9.1f} {rss:>9.1f}" for pss, rss in self.processes)
        return f"{self.requests:>8,} {self.pss_mb:>9.1f} | {each}"


def reading(stage: Stage) -> Reading:
    held = stage.baton.process.shared_memory_kb()
    return Reading(stage.sent, sum(pss for _, pss, _ in held) / 1024,
                   tuple((pss / 1024, rss / 1024) for _, pss, rss in held))


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
        print(HEADER, flush=True)
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
