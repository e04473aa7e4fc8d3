"""A verdict stored is the one in force on its qualification: the qualification carries what it
says, for the pipeline's counts."""

from __future__ import annotations

from sqlmodel import Session

from baton.store.tables import Qualification, VerdictRecord


def put_in_force(session: Session, qualification: Qualification, record: VerdictRecord) -> None:
    """Store `record` as `qualification`'s verdict in force, after any it had."""
    qualification.sales_ready = record.sales_ready
    qualification.overridden = record.overridden_by is not None
    session.add(record)
    session.add(qualification)
