"""Leads for the CRM: one row per lead with its latest verdict, answers, handoff and outcome."""

from __future__ import annotations

import csv
import datetime as dt
import json
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

import orjson
import sqlalchemy as sa

from baton.services.catalog import Catalog
from baton.services.pipeline.export_query import exported, in_force
from baton.services.unit_of_work import UnitOfWork

BATCH = 1000
READ_AHEAD = 4  # batches read while the one before is written
T = TypeVar("T")
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


def export_cells(*, uow: UnitOfWork, since: dt.date, until: dt.date | None,
                 keys: Sequence[str]) -> Iterator[list[str]]:
    """Leads whose latest verdict was given from `since` to `until` (UTC days, both included),
    each as its cells in the order of columns(keys)."""
    layout = _Layout.of(keys)
    with uow.reading() as session:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            # Its JIT would spend longer compiling this one pass over every lead than it saves.
            session.execute(sa.text("SET LOCAL jit = off"))
        query = exported(dialect, since, until)
        # Streamed from the database (a server-side cursor on PostgreSQL), a batch at a time,
        # so memory stays flat however many leads there are. PostgreSQL computes the next
        # batches in its own process while this one is written, so a thread reads them ahead;
        # SQLite computes them in this process, where that thread would only take turns with
        # this one for the interpreter (a third slower).
        batches = session.execute(query.execution_options(yield_per=BATCH)).partitions()
        if dialect == "postgresql":
            batches = read_ahead(batches)
        cells = layout.cells
        for batch in batches:
            yield from map(cells, batch)


def read_ahead(batches: Iterator[T], depth: int = READ_AHEAD) -> Iterator[T]:
    """The batches in order, read by a thread of their own up to `depth` ahead of the caller."""
    ahead: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def read() -> None:
        try:
            for batch in batches:
                if not _hand(ahead, ("batch", batch), stopped):
                    return
            _hand(ahead, ("end", None), stopped)
        except BaseException as error:  # the caller raises it, where it reads
            _hand(ahead, ("error", error), stopped)

    reader = threading.Thread(target=read, name="baton-export-read", daemon=True)
    reader.start()
    try:
        while True:
            kind, item = ahead.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stopped.set()  # a caller that stops early: the reader stops too, before the session ends
        reader.join()


def _hand(ahead: queue.Queue[tuple[str, Any]], item: tuple[str, Any],
          stopped: threading.Event) -> bool:
    """Put `item` in the queue once there is room; False if the reader was told to stop."""
    while not stopped.is_set():
        try:
            ahead.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def export_rows(*, uow: UnitOfWork, since: dt.date, until: dt.date | None,
                keys: Sequence[str]) -> Iterator[Row]:
    """The same leads as export_cells, each as a row of its cells by column name."""
    header = columns(keys)
    for cells in export_cells(uow=uow, since=since, until=until, keys=keys):
        yield dict(zip(header, cells, strict=True))


@dataclass(frozen=True)
class _Layout:
    """Where each value read for a lead goes among its cells."""

    blank_criteria: list[str]
    missing_at: int
    answer_at: dict[str, int]
    status_at: dict[str, int]

    @classmethod
    def of(cls, keys: Sequence[str]) -> _Layout:
        fixed, every = columns(()), columns(keys)
        at = {column: i for i, column in enumerate(every)}
        return cls([""] * (len(every) - len(fixed)), at["missing"],
                   {key: at[f"{key}_answer"] for key in keys},
                   {key: at[f"{key}_status"] for key in keys})

    def cells(self, row: Sequence[Any]) -> list[str]:
        """The cells of one lead from its row as read: its values, then its criteria's statuses
        and its answers, each as JSON text by criterion, which fill the criteria's cells."""
        *cells, statuses, answers = row
        cells += self.blank_criteria
        cells[self.missing_at] = "; ".join(orjson.loads(cells[self.missing_at]))
        for at, by_key in ((self.answer_at, answers), (self.status_at, statuses)):
            for key, shown in orjson.loads(by_key or "{}").items():
                if (where := at.get(key)) is not None:
                    cells[where] = shown
        return cells


def export_count(*, uow: UnitOfWork, since: dt.date, until: dt.date | None) -> int:
    """How many rows export_rows gives for the same days."""
    with uow.reading() as session:
        chosen = in_force(session.get_bind().dialect.name, since, until)
        query = sa.select(sa.func.count()).select_from(chosen.subquery())
        return int(session.execute(query).scalar_one())


def write_csv(rows: Iterable[Sequence[str]], header: Sequence[str], out: TextIO) -> int:
    """Write a header and the rows (each its cells in the header's order) as CSV; how many
    were written."""
    writer = csv.writer(out)
    writer.writerow(header)
    written = _Counted(rows)
    writer.writerows(written)
    return written.count


def write_jsonl(rows: Iterable[Sequence[str]], header: Sequence[str], out: TextIO) -> int:
    """Write one JSON object per line, keys in column order; how many rows were written."""
    written = 0
    for cells in rows:
        out.write(json.dumps(dict(zip(header, cells, strict=True)), ensure_ascii=False) + "\n")
        written += 1
    return written


class _Counted:
    """The rows, counted as they are read."""

    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        self.rows, self.count = iter(rows), 0

    def __iter__(self) -> Iterator[Sequence[str]]:
        return self

    def __next__(self) -> Sequence[str]:
        row = next(self.rows)
        self.count += 1
        return row
