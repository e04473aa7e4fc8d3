"""Leads for the CRM: one row per lead with its latest verdict, answers, handoff and outcome."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

import sqlalchemy as sa
from sqlmodel import Session, col, select

from baton.services.catalog import Catalog
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, Handoff, Lead, Outcome, Qualification, VerdictRecord

BATCH = 500
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
    if until is not None and until < since:
        raise ValueError(f"--until {until} is before --since {since}")
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    latest = (sa.select(sa.func.max(VerdictRecord.id))
              .join(Qualification, col(Qualification.id) == VerdictRecord.qualification_id)
              .group_by(col(Qualification.lead_id)))
    query = (select(VerdictRecord, Qualification, Lead)
             .join(Qualification, col(Qualification.id) == VerdictRecord.qualification_id)
             .join(Lead, col(Lead.id) == Qualification.lead_id)
             .where(VerdictRecord.id.in_(latest), VerdictRecord.decided_at >= start)  # type: ignore[union-attr]
             .order_by(col(VerdictRecord.decided_at), col(VerdictRecord.id)))
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        query = query.where(VerdictRecord.decided_at < end)
    with uow.reading() as session:
        found = list(session.exec(query))
        for first in range(0, len(found), BATCH):
            yield from _rows(session, found[first:first + BATCH], keys)


def _rows(session: Session, batch: list[Any], keys: Sequence[str]) -> Iterator[Row]:
    ids = [q.id for _, q, _ in batch]
    handoffs = {h.qualification_id: h for h in session.exec(
        select(Handoff).where(Handoff.qualification_id.in_(ids)))}  # type: ignore[attr-defined]
    outcomes = _latest_outcomes(session, [h.id for h in handoffs.values()])
    answers: dict[int, dict[str, str]] = {}
    for entry in session.exec(select(AnswerEntry).where(
            AnswerEntry.qualification_id.in_(ids), AnswerEntry.is_current)):  # type: ignore[attr-defined]
        shown = entry.typed_value or entry.choice or ""
        answers.setdefault(entry.qualification_id, {})[entry.criterion_key] = shown
    for verdict, qualification, lead in batch:
        handoff = handoffs.get(qualification.id or 0)
        outcome = outcomes.get(handoff.id or 0) if handoff else None
        yield (_lead(lead) | _verdict(verdict, qualification) | _handoff(handoff)
               | _outcome(outcome) | _next_step(verdict, qualification)
               | _criteria(verdict, answers.get(qualification.id, {}), keys))


def _latest_outcomes(session: Session, handoff_ids: list[int | None]) -> dict[int, Outcome]:
    found: dict[int, Outcome] = {}
    query = select(Outcome).where(Outcome.handoff_id.in_(handoff_ids))  # type: ignore[attr-defined]
    for outcome in session.exec(query.order_by(col(Outcome.recorded_at), col(Outcome.id))):
        found[outcome.handoff_id] = outcome
    return found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lead(lead: Lead) -> Row:
    return {"lead_id": _text(lead.id)} | {c: _text(getattr(lead, c)) for c in LEAD_COLUMNS[1:]}


def _verdict(verdict: VerdictRecord, qualification: Qualification) -> Row:
    return {"bdr_user_id": qualification.bdr_user_id, "framework": verdict.framework,
            "qualified_at": _text(verdict.decided_at), "sales_ready": _text(verdict.sales_ready),
            "score": _text(verdict.score), "definition_version": verdict.definition_version,
            "disqualified": _text(verdict.disqualified), "missing": "; ".join(verdict.missing)}


def _handoff(handoff: Handoff | None) -> Row:
    if handoff is None:
        return dict.fromkeys(HANDOFF_COLUMNS, "")
    return {"handoff_status": _text(handoff.status), "handoff_channel": handoff.channel,
            "handed_off_at": _text(handoff.created_at), "claimed_by": _text(handoff.claimed_by),
            "claimed_at": _text(handoff.claimed_at), "decided_at": _text(handoff.decided_at),
            "reject_reason": _text(handoff.reject_reason),
            "reject_comment": _text(handoff.reject_comment),
            "card_link": _text(handoff.permalink)}


def _outcome(outcome: Outcome | None) -> Row:
    if outcome is None:
        return dict.fromkeys(OUTCOME_COLUMNS, "")
    return {"outcome": _text(outcome.kind), "outcome_at": _text(outcome.recorded_at),
            "outcome_reason": outcome.reason}


def _next_step(verdict: VerdictRecord, qualification: Qualification) -> Row:
    """A manager's override of the verdict in force, and the nurture plan of the lead."""
    return {"overridden_by": _text(verdict.overridden_by),
            "override_reason": _text(verdict.override_reason),
            "overridden_at": _text(verdict.overridden_at),
            "nurture_reason": _text(qualification.nurture_reason),
            "recheck_on": _text(qualification.recheck_on)}


def _criteria(verdict: VerdictRecord, answers: dict[str, str], keys: Sequence[str]) -> Row:
    statuses = {c.get("key"): str(c.get("status", "")) for c in verdict.criteria}
    row: Row = {}
    for key in keys:
        row[f"{key}_answer"] = answers.get(key, "")
        row[f"{key}_status"] = statuses.get(key, "")
    return row


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
