"""Leads for the CRM: one row per lead with its latest verdict, answers, handoff and outcome."""

from __future__ import annotations

import csv
import datetime as dt
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

import orjson
import sqlalchemy as sa

from baton.services.catalog import Catalog
from baton.services.pipeline.export_query import exported, in_force
from baton.services.unit_of_work import UnitOfWork

BATCH = 1000
LEAD_COLUMNS = ("lead_id", "company", "contact_name", "title", "email", "source", "region",
                "industry", "employees", "open_opportunity")
VERDICT_COLUMNS = ("bdr_user_id", "framework", "qualified_at", "sales_ready", "score",
                   "definition_version", "disqualified", "missing")
HANDOFF_COLUMNS = ("handoff_status", "handoff_channel", "handed_off_at", "claimed_by",
                   "claimed_at", "decided_at", "reject_reason", "reject_comment",
                   "reject_criterion", "reject_definition_version", "card_link")
OUTCOME_COLUMNS = ("outcome", "outcome_at", "outcome_reason", "outcome_by", "outcome_amount")
NEXT_STEP_COLUMNS = ("overridden_by", "override_reason", "overridden_at", "nurture_reason",
                     "recheck_on")
Row = dict[str, str]


def criterion_keys(catalog: Catalog) -> list[str]:
    """Every criterion of every framework, once each, sorted: the per-criterion columns."""
    return sorted({c.key for f in catalog.frameworks.values() for c in f.criteria})


def columns(keys: Sequence[str]) -> list[str]:
    """The export's columns in order; each criterion adds `<key>_answer` and `<key>_status`."""
    per_criterion = [f"{key}_{part}" for key in keys for part in ("answer", "status")]
    return [*LEAD_COLUMNS, *VERDICT_COLUMNS, *HANDOFF_COLUMNS, *OUTCOME_COLUMNS,
            *NEXT_STEP_COLUMNS, *per_criterion]


def export_rows(*, uow: UnitOfWork, since: dt.date, until: dt.date | None,
                keys: Sequence[str]) -> Iterator[Row]:
    """Leads whose latest verdict was given from `since` to `until` (UTC days, both included)."""
    layout = _Layout.of(keys)
    with uow.reading() as session:
        query = exported(session.get_bind().dialect.name, since, until)
        # Streamed from the database (a server-side cursor on PostgreSQL), a batch at a time,
        # so memory stays flat however many leads there are.
        for batch in session.execute(query.execution_options(yield_per=BATCH)).partitions():
            for *values, criteria, answers in batch:
                yield layout.row(values, criteria, answers)


@dataclass(frozen=True)
class _Layout:
    """Where each value read for a lead goes in its row."""

    fixed: list[str]
    blank_criteria: Row
    answer_columns: dict[str, str]
    status_columns: dict[str, str]

    @classmethod
    def of(cls, keys: Sequence[str]) -> _Layout:
        fixed = columns(())
        return cls(fixed, dict.fromkeys(columns(keys)[len(fixed):], ""),
                   {key: f"{key}_answer" for key in keys}, {key: f"{key}_status" for key in keys})

    def row(self, values: Sequence[str], criteria: str, answers: str | None) -> Row:
        """The row of one lead: its values as read, its criteria's statuses and answers."""
        row = dict(zip(self.fixed, values, strict=True)) | self.blank_criteria
        row["missing"] = "; ".join(orjson.loads(row["missing"]))
        for key, shown in (orjson.loads(answers) if answers else {}).items():
            if key in self.answer_columns:
                row[self.answer_columns[key]] = shown
        for criterion in orjson.loads(criteria):
            if (column := self.status_columns.get(criterion.get("key"))) is not None:
                row[column] = str(criterion.get("status", ""))
        return row


def export_count(*, uow: UnitOfWork, since: dt.date, until: dt.date | None) -> int:
    """How many rows export_rows gives for the same days."""
    query = sa.select(sa.func.count()).select_from(in_force(since, until).subquery())
    with uow.reading() as session:
        return int(session.execute(query).scalar_one())


def write_csv(rows: Iterable[Row], header: Sequence[str], out: TextIO) -> int:
    """Write a header and the rows (each with every column) as CSV; how many were written."""
    writer = csv.writer(out)
    writer.writerow(header)
    cells = operator.itemgetter(*header)
    written = 0
    for row in rows:
        writer.writerow(cells(row))
        written += 1
    return written


def write_jsonl(rows: Iterable[Row], header: Sequence[str], out: TextIO) -> int:
    """Write one JSON object per line, keys in column order; how many rows were written."""
    cells = operator.itemgetter(*header)
    written = 0
    for row in rows:
        out.write(json.dumps(dict(zip(header, cells(row), strict=True)), ensure_ascii=False)
                  + "\n")
        written += 1
    return written
