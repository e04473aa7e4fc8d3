"""How long the criteria report takes on seeded databases, beside one hand-written SQL aggregate.

Usage: python -m tests.benchmarks.criteria [--answers 10000,100000,1000000]
                                           [--backends sqlite,postgresql]
Seeds a fresh database per size and backend, then prints the criteria report over the last 365
days (best of three) beside one hand-written aggregate over the same answers (their count by
framework, criterion and answer), and the report's time as a multiple of it. The target: within
3x at 1M answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from baton.domain.periods import parse_period
from baton.services.catalog import load_catalog
from baton.services.pipeline.criteria import criteria_report
from baton.services.seed import seed_history
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine, upgrade
from baton.store.types import UTCDateTime
from tests.benchmarks.backends import fresh_database
from tests.benchmarks.pipeline import ANSWERS_PER_LEAD, best_of
from tests.benchmarks.processes import REPO
from tests.benchmarks.report import settings_line

HAND_WRITTEN = sa.text(
    "SELECT q.framework, a.criterion_key, a.choice, count(*) FROM answerentry a"
    " JOIN qualification q ON q.id = a.qualification_id"
    " WHERE a.is_current AND q.finished_at >= :start AND q.finished_at < :end"
    " GROUP BY q.framework, a.criterion_key, a.choice"
).bindparams(sa.bindparam("start", type_=UTCDateTime()), sa.bindparam("end", type_=UTCDateTime()))
HEADER = (f"{'backend':<10} {'answers':>9} {'seeding':>8} | {'report 365d':>11} {'one SQL':>8} "
          f"{'ratio':>6}")


@dataclass(frozen=True)
class Row:
    backend: str
    answers: int
    seeding: float
    report_ms: float
    one_sql_ms: float

    def line(self) -> str:
        return (f"{self.backend:<10} {self.answers:>9,} {self.seeding:>7.1f}s | "
                f"{self.report_ms:>9.1f}ms {self.one_sql_ms:>6.1f}ms "
                f"{self.report_ms / self.one_sql_ms:>5.1f}x")


def bench_one(backend: str, answers: int) -> Row:
    now = dt.datetime.now(dt.UTC)
    catalog = load_catalog(REPO / "prompts")
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder, \
            fresh_database(backend, Path(folder)) as url:
        engine = make_engine(url)
        upgrade(engine)
        uow = UnitOfWork(engine)
        started = time.perf_counter()
        report = seed_history(uow=uow, catalog=catalog,
                              leads=max(1, round(answers / ANSWERS_PER_LEAD)), seed=1, now=now)
        seeded = time.perf_counter() - started
        with engine.connect() as connection:
            connection.execute(sa.text("ANALYZE"))
            connection.commit()
        period = parse_period("last 365 days", now=now, tz="UTC")
        report_ms = best_of(3, lambda: criteria_report(uow=uow, catalog=catalog,
                                                       since=period.start, until=period.end))
        bounds = {"start": period.start, "end": period.end}
        with engine.connect() as connection:
            one_sql = best_of(3, lambda: connection.execute(HAND_WRITTEN, bounds).all())
        engine.dispose()
    return Row(backend, report.answers, seeded, report_ms, one_sql)


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
