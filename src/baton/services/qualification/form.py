"""Answering every question in one form after the call, and notes typed in the thread."""

from __future__ import annotations

from sqlmodel import Session, select

from baton.domain.errors import FormInvalid, InvalidAnswer
from baton.domain.framework import Framework
from baton.domain.lifecycle import QualificationStatus
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.qualification.results import FormAnswer, Judged
from baton.services.qualification.state import open_for
from baton.services.qualification.typed import Reading, check_choice, read_typed, record_answer
from baton.services.qualification.verdict import conclude
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import Note, Qualification
from baton.store.types import utcnow

Checked = dict[str, tuple[str | None, Reading | None]]


def checked_answers(framework: Framework, answers: dict[str, FormAnswer]) -> Checked:
    """Every answer read, or FormInvalid naming each field that needs fixing."""
    errors: dict[str, str] = {}
    checked: Checked = {}
    today = utcnow().date()
    for key, given in answers.items():
        criterion = framework.criterion(key)
        if criterion is None:
            errors[key] = f"{framework.name} has no question {key!r}."
            continue
        try:
            if given.choice:
                check_choice(criterion, given.choice)
            typed = given.typed if given.typed and given.typed.strip() else None
            reading = read_typed(criterion, typed, today) if typed is not None else None
        except InvalidAnswer as exc:
            errors[key] = str(exc)
            continue
        checked[key] = (given.choice or None, reading)
    if errors:
        raise FormInvalid(errors)
    return checked


def check_form(catalog: Catalog, framework_key: str, answers: dict[str, FormAnswer]) -> None:
    """FormInvalid naming each field the framework, as the question sets loaded ask it, cannot
    read: before the database is read. submit_form checks again by the set the qualification was
    started with; a framework the sets do not hold is left to it."""
    framework = catalog.frameworks.get(framework_key)
    if framework is not None:
        checked_answers(framework, answers)


def submit_form(
    *, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
    answers: dict[str, FormAnswer], default_channel: str = "",
) -> Judged:
    """Store every answer of the form at once, then give the verdict."""
    with uow.writing() as session:
        qualification = open_for(session, catalog, qualification_id, bdr_user_id)
        framework = qualification.framework
        checked = checked_answers(framework, answers)
        for criterion in framework.criteria:
            choice, reading = checked.get(criterion.key, (None, None))
            notes = answers[criterion.key].notes if criterion.key in answers else ""
            if choice is not None or reading is not None:
                record_answer(session, qualification_id, criterion, choice=choice,
                              reading=reading, notes=notes, answered_by=bdr_user_id)
            elif notes.strip():
                _note(session, qualification.row, criterion.key, notes, bdr_user_id)
        qualification.row.current_index = len(framework.criteria)
        session.add(qualification.row)
        return conclude(session=session, catalog=catalog, qualification=qualification,
                        actor=bdr_user_id, default_channel=default_channel)


def _note(session: Session, qualification: Qualification, criterion_key: str | None,
          text: str, author: str) -> None:
    session.add(Note(qualification_id=qualification.id or 0, criterion_key=criterion_key,
                     text=text.strip(), author=author))
    record_event(session, actor=author, kind="note.added", subject_type="qualification",
                 subject_id=qualification.id or 0, payload={"criterion": criterion_key})
    session.flush()


def add_note(*, uow: UnitOfWork, dm_channel: str, thread_ts: str, author: str, text: str,
             catalog: Catalog) -> bool:
    """Keep a message typed in the conversation's thread as a note on the current question."""
    with uow.writing() as session:
        query = select(Qualification).where(Qualification.dm_channel == dm_channel,
                                            Qualification.thread_ts == thread_ts)
        qualification = session.exec(query).first()
        if qualification is None or not text.strip():
            return False
        _note(session, qualification, _current_key(session, qualification, catalog), text, author)
        return True


def _current_key(session: Session, qualification: Qualification, catalog: Catalog) -> str | None:
    # A note after the verdict is about the lead as a whole, not about one question.
    if qualification.status not in (QualificationStatus.IN_PROGRESS, QualificationStatus.PAUSED):
        return None
    framework = catalog_in_force(session=session, catalog=catalog).frameworks.get(
        qualification.framework)
    if framework is None:
        return None
    index = min(qualification.current_index, len(framework.criteria) - 1)
    return framework.criteria[index].key
