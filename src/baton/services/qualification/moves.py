"""The BDR's clicks on a question: answer, skip, back, pause and finish, each applied once.

A click is one transaction: its message is recorded as handled (a repeat is a Duplicate), the
qualification is locked and checked to be open and the BDR's own, the change is made, and the
result says what to show: the next question, the verdict, or nothing new.
"""

from __future__ import annotations

from sqlmodel import Session

from baton.domain.errors import NotThisConversation
from baton.domain.framework import Criterion
from baton.domain.lifecycle import QualificationStatus
from baton.services.catalog import Catalog
from baton.services.qualification.results import (
    Answered,
    Asked,
    Duplicate,
    Judged,
    Move,
    Paused,
    StillOpen,
    WentBack,
)
from baton.services.qualification.state import Opened, open_for, step_of
from baton.services.qualification.typed import (
    answer_text,
    check_choice,
    nothing_given,
    read_typed,
    record_answer,
)
from baton.services.qualification.verdict import conclude
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.requests import first_time
from baton.store.tables import Note
from baton.store.types import utcnow


def answer(
    *, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
    criterion_key: str, ask_key: str, choice: str | None = None, typed: str | None = None,
    notes: str = "", default_channel: str = "",
) -> Move:
    """Store the BDR's answer to a question and move on to the next one (or the verdict)."""
    with uow.writing() as session:
        qualification = _acting(session, catalog, qualification_id, bdr_user_id, ask_key)
        if qualification is None:
            return Duplicate()
        criterion = qualification.criterion(criterion_key)
        if choice is None and typed is None:
            _note(session, qualification, criterion, notes, bdr_user_id)
            return _asked(session, qualification, criterion)
        # An answer to an earlier question (after Back) does not skip the one the BDR is on.
        forward = 1 if qualification.current().key == criterion.key else 0
        answered = _record(session, qualification, criterion, choice, typed, notes, bdr_user_id)
        return _advance(session, catalog, qualification, forward, bdr_user_id, default_channel,
                        criterion, answered)


def skip(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
         ask_key: str, criterion_key: str = "", default_channel: str = "") -> Move:
    """Leave the current question unanswered (an earlier answer stays) and move on."""
    with uow.writing() as session:
        qualification = _acting(session, catalog, qualification_id, bdr_user_id, ask_key)
        if qualification is None:
            return Duplicate()
        current = step_of(session, qualification)
        record_event(session, actor=bdr_user_id, kind="question.skipped",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"criterion": current.criterion.key})
        clicked = qualification.clicked(criterion_key)
        skipped = _answered(qualification, clicked, current.criterion.title, current.question,
                            current.current_answer or "Skipped", bdr_user_id)
        return _advance(session, catalog, qualification, 1, bdr_user_id, default_channel,
                        clicked, skipped)


def back(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
         ask_key: str, criterion_key: str = "") -> Move:
    """Ask the previous question again, showing how it was answered; every answer stays."""
    with uow.writing() as session:
        qualification = _acting(session, catalog, qualification_id, bdr_user_id, ask_key)
        if qualification is None:
            return Duplicate()
        record_event(session, actor=bdr_user_id, kind="question.back",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"from": qualification.row.current_index})
        return _advance(session, catalog, qualification, -1, bdr_user_id, "",
                        qualification.clicked(criterion_key))


def pause(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
          ask_key: str) -> Paused | Duplicate:
    """Stop for now; every answer stays and `/qualify resume` picks up at this question."""
    with uow.writing() as session:
        qualification = _acting(session, catalog, qualification_id, bdr_user_id, ask_key)
        if qualification is None:
            return Duplicate()
        qualification.row.status = QualificationStatus.PAUSED
        session.add(qualification.row)
        record_event(session, actor=bdr_user_id, kind="qualification.paused",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"position": qualification.row.current_index + 1})
        session.flush()
        return Paused(step_of(session, qualification))


def finish(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
           ask_key: str, default_channel: str = "") -> Judged | Duplicate:
    """Give the verdict now, on the answers given so far."""
    with uow.writing() as session:
        qualification = _acting(session, catalog, qualification_id, bdr_user_id, ask_key)
        if qualification is None:
            return Duplicate()
        return conclude(session=session, catalog=catalog, qualification=qualification,
                        actor=bdr_user_id, default_channel=default_channel)


def _acting(session: Session, catalog: Catalog, qualification_id: int, bdr_user_id: str,
            ask_key: str) -> Opened | None:
    """The qualification a click on its message changes; None when that message was acted on.

    The message (`channel:ts`) comes from the payload: it must lie in the qualification's own
    DM, or the reply would change a message elsewhere, such as the sales channel's card.
    """
    if not first_time(session, _handled(qualification_id, ask_key)):
        return None
    qualification = open_for(session, catalog, qualification_id, bdr_user_id)
    channel = ask_key.partition(":")[0]
    if not channel or channel != qualification.row.dm_channel:
        raise NotThisConversation()
    return qualification


def _handled(qualification_id: int, ask_key: str) -> str:
    """The key that marks one question message as acted on."""
    return f"ask:{qualification_id}:{ask_key}"


def _advance(session: Session, catalog: Catalog, qualification: Opened, by: int, actor: str,
             default_channel: str, clicked: Criterion, answered: Answered | None = None) -> Move:
    """Go forward or back; past the last question the verdict is given."""
    row = qualification.row
    row.current_index = max(0, row.current_index + by)
    row.status = QualificationStatus.IN_PROGRESS
    session.add(row)
    session.flush()
    if row.current_index >= qualification.total:
        return conclude(session=session, catalog=catalog, qualification=qualification,
                        actor=actor, default_channel=default_channel, clicked=answered)
    if answered is not None:
        return Asked(step_of(session, qualification), answered)
    return _asked(session, qualification, clicked)


def _asked(session: Session, qualification: Opened, clicked: Criterion) -> Asked | StillOpen:
    """The question to ask now; the clicked one, when it lies past it, reads as left behind."""
    step = step_of(session, qualification)
    position = qualification.position(clicked)
    if step.position < position:
        left = WentBack(qualification.question(clicked), position, qualification.total,
                        back_to=step.position)
        return Asked(step, left)
    return StillOpen(step)


def _record(session: Session, qualification: Opened, criterion: Criterion, choice: str | None,
            typed: str | None, notes: str, bdr_user_id: str) -> Answered:
    if choice is not None:
        check_choice(criterion, choice)
    # With a button picked, an empty typed box adds nothing; on its own it is a missing answer.
    given = typed if typed is not None and (typed.strip() or choice is None) else None
    reading = read_typed(criterion, given, utcnow().date()) if given is not None else None
    record_answer(session, qualification.id, criterion, choice=choice, reading=reading,
                  notes=notes, answered_by=bdr_user_id)
    return _answered(qualification, criterion, criterion.title,
                     qualification.question(criterion), answer_text(criterion, choice, reading),
                     bdr_user_id)


def _answered(qualification: Opened, clicked: Criterion, title: str, question: str, text: str,
              by: str) -> Answered:
    """The clicked question as it now reads, at its own place in the framework."""
    return Answered(title, question, text, by, qualification.position(clicked),
                    qualification.total, utcnow())


def _note(session: Session, qualification: Opened, criterion: Criterion, notes: str,
          author: str) -> None:
    # "Add a note" on a button-only question: the note is kept and the question stays open.
    if not notes.strip():
        raise nothing_given(criterion)
    session.add(Note(qualification_id=qualification.id, criterion_key=criterion.key,
                     text=notes.strip(), author=author))
    record_event(session, actor=author, kind="note.added", subject_type="qualification",
                 subject_id=qualification.id, payload={"criterion": criterion.key})
    session.flush()
