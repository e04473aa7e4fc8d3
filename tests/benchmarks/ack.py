"""How fast Baton acknowledges Slack, beside the floor: a bare Bolt app that only acks.

Usage: python -m tests.benchmarks.ack [--backend sqlite|postgresql] [--requests 200]
                                      [--concurrency 1,10,20,50] [--rounds 3] [--kinds ...]
Starts the stand-in, `baton run` over HTTP and the floor, then for each kind of request
(`/qualify Acme`, an answer click on a real question, the intake modal submitted,
`/qualify help`, which Baton answers in its ack and does nothing after, and an answer typed in
its modal and saved, which Baton writes down before it acks) and each concurrency
runs the floor and Baton in turn, `--rounds` times each, and prints acks a second, p50 and p99
of each side and Baton's ratios to the floor. After each of Baton's runs the floor is run once
more, at once, while Baton's worker still does the work that run asked for: under "floor by
work", that floor's p99 and Baton's p99 over it, on a machine equally busy with Baton's work (on
2 CPUs, work in the idle scheduling class still lengthens a bare Bolt app's slowest acks). Every
request must be answered 200 within 3 s; any that is not is counted under "late". Last, what
each kind costs Baton: the CPU time its process used per request, from the first request of a
run until Slack has heard from it for the last time, beside `/qualify help`'s.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.bodies import Body
from tests.benchmarks.load import Figures, Run
from tests.benchmarks.report import ratio, settings_line
from tests.benchmarks.stage import Stage, staged

KINDS = {"qualify": "/qualify Acme", "click": "answer click", "submit": "intake submitted",
         "help": "/qualify help", "typed": "answer typed"}


@dataclass(frozen=True)
class Row:
    """One kind of request at one concurrency: the floor's figures and Baton's."""

    kind: str
    concurrency: int
    floor: Figures
    baton: Figures
    busy_floor: Figures  # the floor beside Baton's work
    late: tuple[str, ...] = ()
    cpu_seconds: float = 0.0  # Baton's, over its runs and the work they asked for

    def line(self) -> str:
        f, b = self.floor, self.baton
        return (f"{KINDS[self.kind]:<17} {self.concurrency:>4} | {f.rate:>7.0f} {f.p50:>7.1f} "
                f"{f.p99:>7.1f} | {b.rate:>7.0f} {b.p50:>7.1f} {b.p99:>7.1f} | "
                f"{ratio(b.rate, f.rate):>6} {ratio(b.p99, f.p99):>6} | "
                f"{self.busy_floor.p99:>7.1f} {ratio(b.p99, self.busy_floor.p99):>6} | "
                f"{f.late}/{b.late}"
                + "".join(f"\n    late: {reason}" for reason in self.late[:3]))


HEADER = "\n".join([
    f"{'':<22} | {'floor':^23} | {'Baton':^23} | {'Baton / floor':^13} | "
    f"{'floor by work':^14} | late",
    f"{'kind':<17} {'conc':>4} | " + " | ".join([f"{'acks/s':>7} {'p50 ms':>7} {'p99 ms':>7}"] * 2)
    + f" | {'rate':>6} {'p99':>6} | {'p99 ms':>7} {'Baton':>6} | floor/Baton",
])


def bodies_for(stage: Stage, kind: str, baton: bool, count: int) -> list[Body]:
    """What one run sends: the floor gets the same kind of requests, Baton only fresh clicks."""
    if kind == "qualify":
        return [stage.bodies.qualify() for _ in range(count)]
    if kind == "help":
        return [stage.bodies.qualify("help") for _ in range(count)]
    if kind == "submit":
        view = stage.intake_view()
        return [stage.bodies.intake(view) for _ in range(count)]
    questions = stage.fresh_questions(count) if baton else stage.seen_questions(count)
    if kind == "typed":
        return [stage.bodies.typed(question) for question in questions]
    return [stage.bodies.click(question) for question in questions]


def measure(stage: Stage, kind: str, concurrency: int, options: argparse.Namespace) -> Row:
    """Floor, Baton, then the floor again beside Baton's work, `rounds` times; Baton's work
    after its acks ends before the next round."""
    floor: list[Run] = []
    baton: list[Run] = []
    busy: list[Run] = []
    cpu = 0.0
    for _ in range(options.rounds):
        floor.append(stage.send(stage.bare(), bodies_for(stage, kind, False, options.requests),
                                concurrency))
        bodies = bodies_for(stage, kind, True, options.requests)
        again = bodies_for(stage, kind, False, options.requests)
        stage.transcript.settle()
        before = stage.baton.process.cpu_seconds()
        baton.append(stage.send(stage.baton, bodies, concurrency))
        busy.append(stage.send(stage.bare(), again, concurrency))
        stage.transcript.settle()
        cpu += stage.baton.process.cpu_seconds() - before
    late = tuple(reason for run in floor + baton + busy for reason in run.late)
    return Row(kind, concurrency, Figures.of(floor), Figures.of(baton), Figures.of(busy), late,
               cpu)


def costs(rows: list[Row]) -> str:
    """Baton's CPU time per request of each kind, and its ratio to `/qualify help`'s."""
    per_kind: dict[str, list[float]] = {}
    for row in rows:
        spent = per_kind.setdefault(row.kind, [0.0, 0])
        spent[0] += row.cpu_seconds
        spent[1] += row.baton.requests
    ms = {kind: 1000 * cpu / count for kind, (cpu, count) in per_kind.items() if count}
    help_ms = ms.get("help")
    return "Baton's CPU per request: " + ", ".join(
        f"{KINDS[kind]} {cost:.2f} ms" + (f" ({ratio(cost, help_ms)} help)"
                                          if help_ms and kind != "help" else "")
        for kind, cost in ms.items())


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=200, help="requests per run")
    parser.add_argument("--concurrency", default="1,10,20,50")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(KINDS), help=", ".join(KINDS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Row]:
    options = parse(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder, \
            staged(Path(folder), options.backend) as stage:
        stage.warm_up()
        print(settings_line(options), flush=True)
        print(HEADER, flush=True)
        for kind in options.kinds.split(","):
            for concurrency in (int(c) for c in options.concurrency.split(",")):
                rows.append(measure(stage, kind, concurrency, options))
                print(rows[-1].line(), flush=True)
        print(costs(rows))
        print(stage.transcript.summary())
        print(stage.slack_cost())
    return rows


if __name__ == "__main__":
    main()
