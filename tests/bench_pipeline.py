"""How long a pipeline summary takes on seeded databases, beside one hand-written SQL aggregate.

Usage: python -m tests.bench_pipeline [--answers 10000,100000,1000000]
                                      [--backends sqlite,postgresql]
Seeds a fresh database per size and backend (PostgreSQL at BATON_TEST_POSTGRES_URL's server),
then prints the seeding time, summarise() over the last 365 days and over this quarter (best of
three, each computing the period before as well), and a single count of sales-ready verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from baton.domain.periods import parse_period
from baton.services.catalog import load_catalog
from baton.services.pipeline import summarise
from baton.services.seed import seed_history
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine, session_scope, upgrade
from baton.store.types import UTCDateTime
from tests.conftest import PROMPTS_DIR
from tests.databases import PostgresDatabases, postgres_admin

ANSWERS_PER_LEAD = 4.6  # 4.8 questions on average, less the paused qualifications
HAND_WRITTEN = sa.text(
    "SELECT count(*), sum(CASE WHEN v.sales_ready THEN 1 ELSE 0 END) FROM qualification q"
    " JOIN verdictrecord v ON v.qualification_id = q.id"
    " WHERE q.finished_at >= :start AND q.finished_at < :end"
).bindparams(sa.bindparam("start", type_=UTCDateTime()), sa.bindparam("end", type_=UTCDateTime()))


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """A new empty database URL, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = postgres_admin()
    if admin is None:
        raise SystemExit("PostgreSQL is not reachable; set BATON_TEST_POSTGRES_URL")
    databases = PostgresDatabases(admin)
    try:
        yield databases.empty()
    finally:
        databases.close()
        admin.dispose()


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def bench_one(backend: str, answers: int) -> str:
    """Seed one database and time the summaries and the hand-written aggregate on it."""
    now = dt.datetime.now(dt.UTC)
    year = parse_period("last 365 days", now=now, tz="UTC")
    quarter = parse_period("this quarter", now=now, tz="UTC")
    with fresh_database(backend) as url:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        uow = UnitOfWork(engine)
        report = seed_history(uow=uow, catalog=load_catalog(PROMPTS_DIR),
                              leads=round(answers / ANSWERS_PER_LEAD), seed=1, now=now)
        seeded = time.perf_counter() - started
        with engine.connect() as connection:
            # Fresh statistics, as a long-running database would have.
            connection.execute(sa.text("ANALYZE"))
            connection.commit()
        summary_year = best_of(3, lambda: summarise(uow=uow, period=year))
        summary_quarter = best_of(3, lambda: summarise(uow=uow, period=quarter))
        with session_scope(engine) as session:
            bounds = {"start": year.start, "end": year.end}
            one_sql = best_of(3, lambda: session.execute(HAND_WRITTEN, bounds).one())
        engine.dispose()
    return (f"{backend:<10} {report.answers:>9,} {seeded:>9.1f}s {summary_year:>11.1f}ms "
            f"{summary_quarter:>14.1f}ms {one_sql:>10.1f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    print(f"{'backend':<10} {'answers':>9} {'seeding':>10} {'summary 365d':>13} "
          f"{'summary quarter':>16} {'one SQL':>12}")
    for answers in (int(n) for n in options.answers.split(",")):
        for backend in options.backends.split(","):
            print(bench_one(backend, answers), flush=True)


if __name__ == "__main__":
    main()
