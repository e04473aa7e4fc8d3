"""Leads for the CRM: one row per lead with its latest verdict, answers, handoff and outcome."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

import sqlalchemy as sa
from sqlmodel import Session

from baton.services.catalog import Catalog
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, Handoff, Lead, Outcome, Qualification, VerdictRecord

BATCH = 1000
LEAD_COLUMNS = ("lead_id", "company", "contact_name", "title", "email", "source", "region",
                "industry", "employees", "open_opportunity")
VERDICT_COLUMNS = ("bdr_user_id", "framework", "qualified_at", "sales_ready", "score",
                   "definition_version", "disqualified", "missing")
HANDOFF_COLUMNS = ("handoff_status", "handoff_channel", "handed_off_at", "claimed_by",
                   "claimed_at", "decided_at", "reject_reason", "reject_comment", "card_link")
OUTCOME_COLUMNS = ("outcome", "outcome_at", "outcome_reason")
NEXT_STEP_COLUMNS = ("overridden_by", "override_reason", "overridden_at", "nurture_reason",
                     "recheck_on")
Row = dict[str, str]
_L, _Q, _V, _H, _A, _O = (model.__table__ for model in (  # type: ignore[union-attr]
    Lead, Qualification, VerdictRecord, Handoff, AnswerEntry, Outcome))
# The columns read as they are, each written by _text, in the export's order but for `missing`,
# the outcome and the criteria.
_READ = {
    "lead_id": _L.c.id, **{name: _L.c[name] for name in LEAD_COLUMNS[1:]},
    "bdr_user_id": _Q.c.bdr_user_id, "framework": _V.c.framework,
    "qualified_at": _V.c.decided_at, "sales_ready": _V.c.sales_ready, "score": _V.c.score,
    "definition_version": _V.c.definition_version, "disqualified": _V.c.disqualified,
    "handoff_status": _H.c.status, "handoff_channel": _H.c.channel,
    "handed_off_at": _H.c.created_at, "claimed_by": _H.c.claimed_by,
    "claimed_at": _H.c.claimed_at, "decided_at": _H.c.decided_at,
    "reject_reason": _H.c.reject_reason, "reject_comment": _H.c.reject_comment,
    "card_link": _H.c.permalink,
    "overridden_by": _V.c.overridden_by, "override_reason": _V.c.override_reason,
    "overridden_at": _V.c.overridden_at, "nurture_reason": _Q.c.nurture_reason,
    "recheck_on": _Q.c.recheck_on,
}
_NO_OUTCOME = dict.fromkeys(OUTCOME_COLUMNS, "")


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
    query = _in_force(since, until)
    with uow.reading() as session:
        # Streamed from the database (a server-side cursor on PostgreSQL), a batch at a time,
        # so memory stays flat however many leads there are.
        found = session.execute(query.execution_options(yield_per=BATCH))
        for batch in found.partitions():
            yield from _rows(session, batch, keys)


def export_count(*, uow: UnitOfWork, since: dt.date, until: dt.date | None) -> int:
    """How many rows export_rows gives for the same days."""
    query = sa.select(sa.func.count()).select_from(_in_force(since, until).subquery())
    with uow.reading() as session:
        return int(session.execute(query).scalar_one())


def _in_force(since: dt.date, until: dt.date | None) -> sa.Select[Any]:
    """The latest verdict of each lead given in the days, its qualification, lead and handoff,
    in the order they were given."""
    if until is not None and until < since:
        raise ValueError(f"--until {until} is before --since {since}")
    latest = (sa.select(sa.func.max(_V.c.id))
              .select_from(_V.join(_Q, _Q.c.id == _V.c.qualification_id))
              .group_by(_Q.c.lead_id))
    query = (sa.select(*_READ.values(), _V.c.missing, _V.c.criteria, _Q.c.id, _H.c.id)
             .select_from(_V.join(_Q, _Q.c.id == _V.c.qualification_id)
                          .join(_L, _L.c.id == _Q.c.lead_id)
                          .outerjoin(_H, _H.c.qualification_id == _Q.c.id))
             .where(_V.c.id.in_(latest), _V.c.decided_at >= _midnight(since))
             .order_by(_V.c.decided_at, _V.c.id))
    if until is not None:
        query = query.where(_V.c.decided_at < _midnight(until + dt.timedelta(days=1)))
    return query


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _rows(session: Session, batch: Sequence[sa.Row[Any]], keys: Sequence[str]) -> Iterator[Row]:
    """A batch of leads as export rows, with their current answers and latest outcomes."""
    read = len(_READ)
    answers = _answers(session, [row[read + 2] for row in batch])
    outcomes = _latest_outcomes(session, [row[read + 3] for row in batch if row[read + 3]])
    for row in batch:
        missing, criteria, qualification_id, handoff_id = row[read:]
        exported = dict(zip(_READ, map(_text, row[:read]), strict=True))
        exported["missing"] = "; ".join(missing)
        exported |= outcomes.get(handoff_id, _NO_OUTCOME)
        given = answers.get(qualification_id, {})
        statuses = {c.get("key"): str(c.get("status", "")) for c in criteria}
        for key in keys:
            exported[f"{key}_answer"] = given.get(key, "")
            exported[f"{key}_status"] = statuses.get(key, "")
        yield exported


def _answers(session: Session, qualification_ids: list[int]) -> dict[int, dict[str, str]]:
    """The current answers of each qualification, as shown: typed, else the choice."""
    found: dict[int, dict[str, str]] = {}
    query = (sa.select(_A.c.qualification_id, _A.c.criterion_key, _A.c.typed_value, _A.c.choice)
             .where(_A.c.qualification_id.in_(qualification_ids), _A.c.is_current))
    for qualification_id, key, typed, choice in session.execute(query):
        found.setdefault(qualification_id, {})[key] = typed or choice or ""
    return found


def _latest_outcomes(session: Session, handoff_ids: list[int]) -> dict[int, Row]:
    """The outcome each handoff last recorded, as exported."""
    found: dict[int, Row] = {}
    query = (sa.select(_O.c.handoff_id, _O.c.kind, _O.c.recorded_at, _O.c.reason)
             .where(_O.c.handoff_id.in_(handoff_ids)).order_by(_O.c.recorded_at, _O.c.id))
    for handoff_id, kind, recorded_at, reason in session.execute(query):
        found[handoff_id] = {"outcome": _text(kind), "outcome_at": _text(recorded_at),
                             "outcome_reason": reason}
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: Iterable[Row], header: Sequence[str], out: TextIO) -> int:
    """Write a header and the rows as CSV; how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=list(header), extrasaction="ignore")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written


def write_jsonl(rows: Iterable[Row], header: Sequence[str], out: TextIO) -> int:
    """Write one JSON object per line, keys in column order; how many rows were written."""
    written = 0
    for row in rows:
        out.write(json.dumps({c: row.get(c, "") for c in header}, ensure_ascii=False) + "\n")
        written += 1
    return written
