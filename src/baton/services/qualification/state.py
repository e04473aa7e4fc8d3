"""A qualification as one move works on it: its row, its lead and its framework, read once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from baton.domain.errors import Closed, InvalidAnswer, NotYours, QualificationError
from baton.domain.framework import Criterion, Framework
from baton.domain.lead import Lead
from baton.domain.lifecycle import QualificationStatus
from baton.services.catalog import (
    Catalog,
    catalog_in_force,
    catalog_of_version,
    render_question,
)
from baton.services.qualification.results import Step
from baton.store import tables
from baton.store.tables import AnswerEntry, Qualification

OPEN = (QualificationStatus.IN_PROGRESS, QualificationStatus.PAUSED)


@dataclass(frozen=True)
class Opened:
    """A stored qualification with its lead and the framework it is asked in."""

    row: Qualification
    lead: Lead
    framework: Framework

    @property
    def id(self) -> int:
        return self.row.id or 0

    @property
    def total(self) -> int:
        return len(self.framework.criteria)

    def current(self) -> Criterion:
        """The question it is on; past the last one, the last one."""
        return self.framework.criteria[min(self.row.current_index, self.total - 1)]

    def criterion(self, key: str) -> Criterion:
        """The framework's question `key`, or InvalidAnswer naming it."""
        found = self.framework.criterion(key)
        if found is None:
            raise InvalidAnswer(key, f"{self.framework.name} has no question {key!r}.")
        return found

    def clicked(self, key: str) -> Criterion:
        """The question a clicked message was about (the first one if it named none)."""
        return self.framework.criterion(key) or self.framework.criteria[0]

    def position(self, criterion: Criterion) -> int:
        return self.framework.keys.index(criterion.key) + 1

    def question(self, criterion: Criterion) -> str:
        return render_question(criterion, self.lead)


def load(session: Session, qualification_id: int, *, lock: bool = False) -> Qualification:
    """The qualification row, locked for update when asked; Closed when it does not exist."""
    query = select(Qualification).where(Qualification.id == qualification_id)
    if lock:
        query = query.with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).first()
    if row is None:
        raise Closed(None)
    return row


def open_for(session: Session, catalog: Catalog, qualification_id: int,
             bdr_user_id: str) -> Opened:
    """The qualification locked for a change: refused when closed or not this BDR's own."""
    row = load(session, qualification_id, lock=True)
    if row.status not in OPEN:
        raise Closed(lead_row(session, row).company, str(row.status))
    if row.bdr_user_id != bdr_user_id:
        raise NotYours(row.bdr_user_id)
    return opened(session, catalog, row)


def opened(session: Session, catalog: Catalog, row: Qualification, *,
           version: str | None = None) -> Opened:
    """The qualification with its lead and the framework of the definition in force, or of the
    definition `version` that judged it."""
    source = (catalog_of_version(session=session, catalog=catalog, version=version) if version
              else catalog_in_force(session=session, catalog=catalog))
    framework = source.frameworks.get(row.framework)
    if framework is None:
        raise QualificationError(
            f"The {row.framework} question set is no longer installed; "
            "ask sales ops to restore it in prompts/frameworks."
        )
    return Opened(row, domain_lead(lead_row(session, row)), framework)


def lead_row(session: Session, qualification: Qualification) -> tables.Lead:
    row = session.get(tables.Lead, qualification.lead_id)
    if row is None:
        raise Closed(None)
    return row


def domain_lead(row: tables.Lead) -> Lead:
    """The stored lead as the domain knows it."""
    return Lead.model_validate(row, from_attributes=True)


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


def step_of(session: Session, qualification: Opened) -> Step:
    """The question the qualification is on, with how it was answered before, if it was."""
    criterion = qualification.current()
    entry = current_answers(session, qualification.id).get(criterion.key)
    row = qualification.row
    return Step(
        qualification_id=qualification.id, lead=qualification.lead,
        framework=qualification.framework, criterion=criterion,
        question=qualification.question(criterion), position=qualification.position(criterion),
        total=qualification.total, dm_channel=row.dm_channel, thread_ts=row.thread_ts,
        current_answer=describe(criterion, entry) if entry is not None else None,
    )
