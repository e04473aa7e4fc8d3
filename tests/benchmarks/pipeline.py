"""How long a pipeline summary takes on seeded databases, beside one hand-written SQL aggregate.

Usage: python -m tests.benchmarks.pipeline [--answers 10000,100000]
                                           [--backends sqlite,postgresql]
Seeds a fresh database per size and backend (PostgreSQL at BATON_TEST_POSTGRES_URL's server),
then prints the seeding time, `/pipeline`'s summary over the last 365 days and over this quarter
(best of three, each computing the period before as well), one hand-written aggregate over the
same period's rows (the count of verdicts and of sales-ready ones), and the summary's time as a
multiple of that aggregate's. `--answers 10000,100000,1000000` gives the sizes of issue 13.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from baton.domain.periods import Period, parse_period
from baton.services.catalog import load_catalog
from baton.services.pipeline import summarise
from baton.services.seed import seed_history
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine, upgrade
from baton.store.types import UTCDateTime
from tests.benchmarks.backends import fresh_database
from tests.benchmarks.processes import REPO
from tests.benchmarks.report import settings_line

ANSWERS_PER_LEAD = 4.6  # 4.8 questions on average, less the paused qualifications
HAND_WRITTEN = sa.text(
    "SELECT count(*), sum(CASE WHEN v.sales_ready THEN 1 ELSE 0 END) FROM qualification q"
    " JOIN verdictrecord v ON v.qualification_id = q.id"
    " WHERE q.finished_at >= :start AND q.finished_at < :end"
).bindparams(sa.bindparam("start", type_=UTCDateTime()), sa.bindparam("end", type_=UTCDateTime()))
HEADER = (f"{'backend':<10} {'answers':>9} {'seeding':>8} | {'summary 365d':>12} {'one SQL':>8} "
          f"{'ratio':>6} | {'summary quarter':>15} {'one SQL':>8} {'ratio':>6}")


@dataclass(frozen=True)
class Row:
    """One seeded database: its size, and milliseconds for each period's summary and aggregate."""

    backend: str
    answers: int
    seeding: float
    year: tuple[float, float]
    quarter: tuple[float, float]

    def line(self) -> str:
        (year, year_sql), (quarter, quarter_sql) = self.year, self.quarter
        return (f"{self.backend:<10} {self.answers:>9,} {self.seeding:>7.1f}s | "
                f"{year:>10.1f}ms {year_sql:>6.1f}ms {year / year_sql:>5.1f}x | "
                f"{quarter:>13.1f}ms {quarter_sql:>6.1f}ms {quarter / quarter_sql:>5.1f}x")


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def timed(engine: sa.Engine, uow: UnitOfWork, period: Period) -> tuple[float, float]:
    """The summary of `period`, and the hand-written aggregate over its rows, in milliseconds."""
    summary = best_of(3, lambda: summarise(uow=uow, period=period))
    bounds = {"start": period.start, "end": period.end}
    with engine.connect() as connection:
        one_sql = best_of(3, lambda: connection.execute(HAND_WRITTEN, bounds).one())
    return summary, one_sql


def bench_one(backend: str, answers: int) -> Row:
    """Seed one database and time the summaries and the hand-written aggregate on it."""
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder, \
            fresh_database(backend, Path(folder)) as url:
        engine = make_engine(url)
        upgrade(engine)
        uow = UnitOfWork(engine)
        started = time.perf_counter()
        report = seed_history(uow=uow, catalog=load_catalog(REPO / "prompts"),
                              leads=max(1, round(answers / ANSWERS_PER_LEAD)), seed=1, now=now)
        seeded = time.perf_counter() - started
        with engine.connect() as connection:
            # Fresh statistics, as a long-running database would have.
            connection.execute(sa.text("ANALYZE"))
            connection.commit()
        year = timed(engine, uow, parse_period("last 365 days", now=now, tz="UTC"))
        quarter = timed(engine, uow, parse_period("this quarter", now=now, tz="UTC"))
        engine.dispose()
    return Row(backend, report.answers, seeded, year, quarter)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[Row]:
    options = parse(argv)
    print(settings_line(options))
    print(HEADER, flush=True)
    rows = []
    for answers in (int(n) for n in options.answers.split(",")):
        for backend in options.backends.split(","):
            rows.append(bench_one(backend, answers))
            print(rows[-1].line(), flush=True)
    return rows


if __name__ == "__main__":
    main()
