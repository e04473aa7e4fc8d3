"""The BDR's clicks on a question: answer, skip, back, pause and finish, each applied once."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from baton.domain.framework import Criterion, Framework
from baton.services.catalog import Catalog, render_question
from baton.services.qualifications_state import (
    domain_lead,
    framework_of,
    lead_row,
    load,
    open_for,
    run_once,
    step,
)
from baton.services.qualifications_typed import (
    answer_text,
    check_choice,
    read_typed,
    record_answer,
)
from baton.services.qualifications_types import Answered, InvalidAnswer, Progress
from baton.services.qualifications_verdict import conclude
from baton.store.events import record_event
from baton.store.tables import Note, Qualification, QualificationStatus
from baton.store.types import utcnow

Change = Callable[[Qualification], Progress]


def _once(session: Session, qualification_id: int, bdr_user_id: str, ask_key: str,
          change: Change) -> Progress:
    """Apply `change` to the locked, open qualification unless this message was acted on."""
    def locked() -> Progress:
        qualification = load(session, qualification_id, lock=True)
        open_for(session, qualification, bdr_user_id)
        return change(qualification)

    done = run_once(session, f"ask:{qualification_id}:{ask_key}", locked)
    return done if done is not None else Progress(duplicate=True)


def _move(session: Session, catalog: Catalog, qualification: Qualification, by: int,
          actor: str, default_channel: str, answered: Answered | None = None) -> Progress:
    """Go forward or back; past the last question the verdict is given."""
    total = len(framework_of(catalog, qualification).criteria)
    qualification.current_index = max(0, qualification.current_index + by)
    qualification.status = QualificationStatus.IN_PROGRESS
    session.add(qualification)
    session.flush()
    if qualification.current_index >= total:
        finished = conclude(session=session, catalog=catalog, qualification=qualification,
                            actor=actor, default_channel=default_channel)
        return Progress(duplicate=False, answered=answered, finished=finished)
    return Progress(duplicate=False, answered=answered,
                    next=step(session, catalog, qualification))


def _criterion(framework: Framework, key: str) -> Criterion:
    criterion = framework.criterion(key)
    if criterion is None:
        raise InvalidAnswer(key, f"{framework.name} has no question {key!r}.")
    return criterion


def answer(
    *, session: Session, catalog: Catalog, qualification_id: int, bdr_user_id: str,
    criterion_key: str, ask_key: str, choice: str | None = None, typed: str | None = None,
    notes: str = "", default_channel: str = "",
) -> Progress:
    """Store the BDR's answer to a question and move on to the next one (or the verdict)."""
    def change(qualification: Qualification) -> Progress:
        framework = framework_of(catalog, qualification)
        criterion = _criterion(framework, criterion_key)
        if choice is None and typed is None:
            return _note_only(session, catalog, qualification, criterion, notes, bdr_user_id)
        answered = _record(session, qualification, criterion, choice, typed, notes, bdr_user_id)
        current = framework.criteria[min(qualification.current_index, len(framework.keys) - 1)]
        # An answer to an earlier question (after Back) does not skip the one the BDR is on.
        forward = 1 if current.key == criterion.key else 0
        return _move(session, catalog, qualification, forward, bdr_user_id, default_channel,
                     answered)

    return _once(session, qualification_id, bdr_user_id, ask_key, change)


def _record(session: Session, qualification: Qualification, criterion: Criterion,
            choice: str | None, typed: str | None, notes: str, bdr_user_id: str) -> Answered:
    if choice is not None:
        check_choice(criterion, choice)
    # With a button picked, an empty typed box adds nothing; on its own it is a missing answer.
    given = typed if typed is not None and (typed.strip() or choice is None) else None
    reading = read_typed(criterion, given, utcnow().date()) if given is not None else None
    record_answer(session, qualification.id or 0, criterion, choice=choice, reading=reading,
                  notes=notes, answered_by=bdr_user_id)
    lead = domain_lead(lead_row(session, qualification))
    return Answered(criterion.title, render_question(criterion, lead),
                    answer_text(criterion, choice, reading), bdr_user_id)


def _note_only(session: Session, catalog: Catalog, qualification: Qualification,
               criterion: Criterion, notes: str, author: str) -> Progress:
    # "Add a note" on a button-only question: the note is kept and the question stays open.
    if not notes.strip():
        raise InvalidAnswer(criterion.key, f"Pick an answer for {criterion.title}, "
                                           "or type one.")
    session.add(Note(qualification_id=qualification.id or 0, criterion_key=criterion.key,
                     text=notes.strip(), author=author))
    record_event(session, actor=author, kind="note.added", subject_type="qualification",
                 subject_id=qualification.id or 0, payload={"criterion": criterion.key})
    session.flush()
    return Progress(duplicate=False, next=step(session, catalog, qualification))


def skip(*, session: Session, catalog: Catalog, qualification_id: int, bdr_user_id: str,
         ask_key: str, default_channel: str = "") -> Progress:
    """Leave the current question unanswered (an earlier answer stays) and move on."""
    def change(qualification: Qualification) -> Progress:
        current = step(session, catalog, qualification)
        record_event(session, actor=bdr_user_id, kind="question.skipped",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"criterion": current.criterion.key})
        skipped = Answered(current.criterion.title, current.question,
                           current.current_answer or "Skipped", bdr_user_id)
        return _move(session, catalog, qualification, 1, bdr_user_id, default_channel, skipped)

    return _once(session, qualification_id, bdr_user_id, ask_key, change)


def back(*, session: Session, catalog: Catalog, qualification_id: int, bdr_user_id: str,
         ask_key: str) -> Progress:
    """Ask the previous question again, showing how it was answered; every answer stays."""
    def change(qualification: Qualification) -> Progress:
        record_event(session, actor=bdr_user_id, kind="question.back",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"from": qualification.current_index})
        return _move(session, catalog, qualification, -1, bdr_user_id, "")

    return _once(session, qualification_id, bdr_user_id, ask_key, change)


def pause(*, session: Session, qualification_id: int, bdr_user_id: str,
          ask_key: str) -> Progress:
    """Stop for now; every answer stays and `/qualify resume` picks up at this question."""
    def change(qualification: Qualification) -> Progress:
        qualification.status = QualificationStatus.PAUSED
        session.add(qualification)
        record_event(session, actor=bdr_user_id, kind="qualification.paused",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"position": qualification.current_index + 1})
        session.flush()
        return Progress(duplicate=False)

    return _once(session, qualification_id, bdr_user_id, ask_key, change)


def finish(*, session: Session, catalog: Catalog, qualification_id: int, bdr_user_id: str,
           ask_key: str, default_channel: str = "") -> Progress:
    """Give the verdict now, on the answers given so far."""
    def change(qualification: Qualification) -> Progress:
        finished = conclude(session=session, catalog=catalog, qualification=qualification,
                            actor=bdr_user_id, default_channel=default_channel)
        return Progress(duplicate=False, finished=finished)

    return _once(session, qualification_id, bdr_user_id, ask_key, change)
