"""A year of synthetic pipeline history for demos and benchmarks, inserted in bulk.

The same seed and day give the same history: every choice comes from one seeded generator
and every moment is counted back from midnight UTC of the day it runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.services.catalog import Catalog
from baton.services.seed.rows import LeadRows, lead_rows
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, Handoff, Lead, Outcome, Qualification, VerdictRecord

CHUNK = 5_000
_TABLES = {name: model.__table__ for name, model in (  # type: ignore[union-attr]
    ("lead", Lead), ("qualification", Qualification), ("answer", AnswerEntry),
    ("verdict", VerdictRecord), ("handoff", Handoff), ("outcome", Outcome))}


class SeedError(ValueError):
    """The request cannot make a history; the message names the option."""


@dataclass(frozen=True)
class SeedReport:
    """How many rows of each kind were added."""

    leads: int = 0
    qualifications: int = 0
    answers: int = 0
    verdicts: int = 0
    handoffs: int = 0
    outcomes: int = 0

    def __add__(self, other: SeedReport) -> SeedReport:
        return SeedReport(*(getattr(self, f) + getattr(other, f)
                            for f in SeedReport.__dataclass_fields__))


def seed_history(*, uow: UnitOfWork, catalog: Catalog, leads: int, seed: int = 0,
                 now: dt.datetime, progress: Callable[[int], None] | None = None) -> SeedReport:
    """Add `leads` leads with a year of qualifications, verdicts, handoffs and outcomes;
    `progress` is told how many leads each batch added."""
    if leads < 1:
        raise SeedError(f"--leads: expected a number of leads of 1 or more, got {leads}")
    frameworks = [catalog.frameworks[key] for key in sorted(catalog.frameworks)]
    definition = catalog.definition
    anchor = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rng = random.Random(seed)
    report = SeedReport()
    with uow.writing() as session:
        for first, size in _chunks(leads):
            batch = [lead_rows(rng, n, rng.choice(frameworks), definition, anchor)
                     for n in range(first + 1, first + size + 1)]
            report += _insert(session, batch)
            if progress is not None:
                progress(size)
        # Fresh statistics for the query planner, as after any bulk load: PostgreSQL's
        # autovacuum would gather them only later, planning the first queries blind.
        for table in _TABLES.values():
            session.execute(sa.text(f"ANALYZE {table.name}"))
    return report


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for first in range(0, total, CHUNK):
        yield first, min(CHUNK, total - first)


def _insert(session: Session, batch: Sequence[LeadRows]) -> SeedReport:
    """Insert one batch parent first, giving children their parents' new ids."""
    lead_ids = _returning_ids(session, "lead", [rows.lead for rows in batch])
    for rows, lead_id in zip(batch, lead_ids, strict=True):
        rows.qualification["lead_id"] = lead_id
    qids = _returning_ids(session, "qualification", [rows.qualification for rows in batch])
    answers, verdicts, handed = [], [], []
    for rows, lead_id, qid in zip(batch, lead_ids, qids, strict=True):
        answers += [{**answer, "qualification_id": qid} for answer in rows.answers]
        if rows.verdict is not None:
            verdicts.append({**rows.verdict, "qualification_id": qid})
        if rows.handoff is not None:
            rows.handoff.update(qualification_id=qid, lead_id=lead_id)
            handed.append(rows)
    _insert_many(session, "answer", answers)
    _insert_many(session, "verdict", verdicts)
    hids = _returning_ids(session, "handoff", [rows.handoff for rows in handed])
    outcomes = [{**outcome, "handoff_id": hid}
                for rows, hid in zip(handed, hids, strict=True) for outcome in rows.outcomes]
    _insert_many(session, "outcome", outcomes)
    return SeedReport(leads=len(batch), qualifications=len(batch), answers=len(answers),
                      verdicts=len(verdicts), handoffs=len(hids), outcomes=len(outcomes))


def _returning_ids(session: Session, name: str, rows: list[Any]) -> list[int]:
    if not rows:
        return []
    table = _TABLES[name]
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _insert_many(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(sa.insert(_TABLES[name]), rows)
