"""Reading and guarding a qualification's stored state, shared by the qualification services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session, select

from baton.domain.framework import Criterion, Framework
from baton.domain.lead import Lead
from baton.services.catalog import Catalog, render_question
from baton.services.qualifications_types import Closed, NotYours, QualificationError, Step
from baton.store import tables
from baton.store.db import SQLITE_BEGIN
from baton.store.requests import first_time
from baton.store.tables import AnswerEntry, Qualification, QualificationStatus

T = TypeVar("T")
OPEN = (QualificationStatus.IN_PROGRESS, QualificationStatus.PAUSED)
_WRITING = "baton.writing"


def run_once(session: Session, key: str, change: Callable[[], T]) -> T | None:
    """Run `change` unless `key` was already handled; None means it was (nothing changed)."""
    writing(session)
    # The outer savepoint undoes the key too when the change raises, so a corrected retry runs.
    with session.begin_nested():
        if not first_time(session, key):
            return None
        return change()


def writing(session: Session) -> None:
    """Open the unit of work as a writer, so SQLite queues it rather than failing half-way."""
    # Options count only when the connection opens, so each transaction is opened once here.
    if session.get_transaction() is not None and session.info.get(_WRITING) is (
            session.get_transaction()):
        return
    session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
    session.info[_WRITING] = session.get_transaction()


def load(session: Session, qualification_id: int, *, lock: bool = False) -> Qualification:
    """The qualification row, locked for update when asked; Closed when it does not exist."""
    query = select(Qualification).where(Qualification.id == qualification_id)
    if lock:
        writing(session)
        query = query.with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).first()
    if row is None:
        raise Closed(None)
    return row


def lead_row(session: Session, qualification: Qualification) -> tables.Lead:
    row = session.get(tables.Lead, qualification.lead_id)
    if row is None:
        raise Closed(None)
    return row


def domain_lead(row: tables.Lead) -> Lead:
    """The stored lead as the domain knows it."""
    return Lead(company=row.company, contact_name=row.contact_name, title=row.title,
                email=row.email, source=row.source, region=row.region, industry=row.industry,
                employees=row.employees)


def open_for(session: Session, qualification: Qualification, bdr_user_id: str) -> None:
    """Refuse a change by anyone but its BDR, or to a qualification already closed."""
    if qualification.status not in OPEN:
        raise Closed(lead_row(session, qualification).company, str(qualification.status))
    if qualification.bdr_user_id != bdr_user_id:
        raise NotYours(qualification.bdr_user_id)


def framework_of(catalog: Catalog, qualification: Qualification) -> Framework:
    framework = catalog.frameworks.get(qualification.framework)
    if framework is None:
        raise QualificationError(
            f"The {qualification.framework} question set is no longer installed; "
            "ask sales ops to restore it in prompts/frameworks."
        )
    return framework


def current_answers(session: Session, qualification_id: int) -> dict[str, AnswerEntry]:
    """The answers in force, by criterion key."""
    query = select(AnswerEntry).where(
        AnswerEntry.qualification_id == qualification_id,
        AnswerEntry.is_current == True,  # noqa: E712 - a SQL expression, not a Python test
    )
    return {entry.criterion_key: entry for entry in session.exec(query)}


def describe(criterion: Criterion, entry: AnswerEntry) -> str:
    """An answer in the BDR's words: the choice's label and the value typed."""
    parts = []
    chosen = criterion.choice(entry.choice) if entry.choice else None
    if chosen is not None:
        parts.append(chosen.label)
    if entry.typed_value:
        parts.append(entry.typed_value)
    return " — ".join(parts) or "No answer"


def step(session: Session, catalog: Catalog, qualification: Qualification) -> Step:
    """The question the qualification is on, with how it was answered before, if it was."""
    framework = framework_of(catalog, qualification)
    index = min(qualification.current_index, len(framework.criteria) - 1)
    criterion = framework.criteria[index]
    lead = domain_lead(lead_row(session, qualification))
    entry = current_answers(session, qualification.id or 0).get(criterion.key)
    return Step(
        qualification_id=qualification.id or 0, lead=lead, framework=framework,
        criterion=criterion, question=render_question(criterion, lead), position=index + 1,
        total=len(framework.criteria), dm_channel=qualification.dm_channel,
        thread_ts=qualification.thread_ts,
        current_answer=describe(criterion, entry) if entry is not None else None,
    )
