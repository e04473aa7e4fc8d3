"""A verdict stored is the one in force on its qualification: the qualification carries what it
says, for the pipeline's counts."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from baton.domain.verdict import Verdict
from baton.store.tables import Qualification, VerdictRecord


def judgement(verdict: Verdict) -> dict[str, Any]:
    """The columns of a verdict's record that hold what it judged: its score, each criterion
    (and each one's status alone), what is missing and any disqualifier."""
    return {"score": verdict.score,
            "criteria": [c.model_dump(mode="json") for c in verdict.criteria],
            "statuses": {c.key: c.status.value for c in verdict.criteria},
            "missing": list(verdict.missing), "disqualified": verdict.disqualified}


def put_in_force(session: Session, qualification: Qualification, record: VerdictRecord) -> None:
    """Store `record` as `qualification`'s verdict in force, after any it had."""
    qualification.sales_ready = record.sales_ready
    qualification.overridden = record.overridden_by is not None
    session.add(record)
    session.add(qualification)
