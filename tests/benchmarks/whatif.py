"""`baton definition whatif` over seeded qualifications: wall time and peak memory.

Usage: python -m tests.benchmarks.whatif [--leads 100000] [--backends sqlite,postgresql]
Seeds a fresh database per size and backend with `baton seed`, then replays every stored
qualification by a proposed definition (the shipped one with BANT's minimum score raised to 80)
with `baton definition whatif --since 2000-01-01`, as a process of its own, and prints how long
it took and its peak memory. The target: 100k qualifications in under 30 s on this machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.backends import fresh_database
from tests.benchmarks.export import Measured, measure, megabytes
from tests.benchmarks.processes import BenchmarkError, baton_command, environment
from tests.benchmarks.report import settings_line
from tests.conftest import PROMPTS_DIR

HEADER = f"{'backend':<10} {'leads':>8} | {'whatif':>9} {'peak':>8} | {'per 1k leads':>12}"


@dataclass(frozen=True)
class Row:
    backend: str
    leads: int
    whatif: Measured

    def line(self) -> str:
        per = self.whatif.seconds / self.leads * 1000
        return (f"{self.backend:<10} {self.leads:>8,} | {self.whatif.seconds:>8.2f}s "
                f"{megabytes(self.whatif.peak_mb):>8} | {per:>11.3f}s")


def bench_one(backend: str, leads: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="baton-whatif-") as name, \
            fresh_database(backend, Path(name)) as url:
        folder = Path(name)
        env = environment(DATABASE_URL=url)
        measure(baton_command("seed", "--leads", str(leads), "--seed", "1"), env, folder)
        proposed = folder / "proposed.yaml"
        proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")
                            .replace("min_score: 60", "min_score: 80", 1)
                            .replace('version: "', 'version: "proposed-', 1), encoding="utf-8")
        replay = measure(baton_command("definition", "whatif", str(proposed), "--since",
                                       "2000-01-01", "--prompts", str(PROMPTS_DIR)), env, folder)
        return Row(backend, leads, replay)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", default="100000", help="comma-separated sizes")
    parser.add_argument("--backends", default="sqlite,postgresql")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Row]:
    args = parse(argv)
    print(settings_line(args))
    print(HEADER)
    rows = []
    for backend in args.backends.split(","):
        for leads in (int(size) for size in args.leads.split(",")):
            row = bench_one(backend, leads)
            print(row.line(), flush=True)
            rows.append(row)
    return rows


if __name__ == "__main__":
    try:
        main()
    except BenchmarkError as error:
        sys.exit(str(error))
