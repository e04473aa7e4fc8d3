"""A BDR correcting the answers of a judged qualification: the changed answers supersede the
old ones, a new verdict supersedes the old one, and the handoff follows."""

from __future__ import annotations

from sqlmodel import Session

from baton.domain.errors import QualificationError
from baton.domain.framework import AnswerKind, Criterion
from baton.domain.lead import Answer
from baton.domain.lifecycle import VerdictCause
from baton.services.catalog import Catalog, render_question
from baton.services.handoff import CardPresenter, as_verdict, follow_verdict
from baton.services.qualification.form import Checked, checked_answers
from baton.services.qualification.results import FormAnswer, Judged
from baton.services.qualification.state import Opened, current_answers
from baton.services.qualification.typed import record_answer
from baton.services.qualification.verdict import judge_now
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts.record import judged_for, override_of, supersede
from baton.services.verdicts.results import Corrected, CorrectionForm
from baton.store.events import record_event
from baton.store.tables import AnswerEntry, Note
from baton.store.types import utcnow

NOTHING_CHANGED = ("No answer changed, so the verdict stands: change an answer, or cancel. "
                   "Notes go in the conversation's thread.")


def correction_form(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int,
                    bdr_user_id: str) -> CorrectionForm:
    """The answer-all form of the BDR's judged qualification, prefilled with its answers."""
    with uow.reading() as session:
        qualification, _ = judged_for(session, catalog, qualification_id, bdr_user_id)
        framework = qualification.framework
        answers = current_answers(session, qualification_id)
        return CorrectionForm(
            qualification_id=qualification_id, lead=qualification.lead, framework=framework,
            questions={c.key: render_question(c, qualification.lead) for c in framework.criteria},
            answers={key: _prefill(framework.criterion(key), entry)
                     for key, entry in answers.items() if framework.criterion(key)})


def _prefill(criterion: Criterion | None, entry: AnswerEntry) -> Answer:
    # A date or a number comes back as it was read, so an untouched field reads the same again.
    exact = criterion is not None and criterion.kind in (AnswerKind.DATE, AnswerKind.NUMBER)
    typed = entry.normalised_value if exact else entry.typed_value
    return Answer(criterion=entry.criterion_key, choice=entry.choice, typed=typed)


def correct_answers(
    *, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter, qualification_id: int,
    bdr_user_id: str, answers: dict[str, FormAnswer], notes: str = "", default_channel: str = "",
) -> Corrected:
    """Record the answers the BDR changed and the verdict they give; the handoff follows."""
    with uow.writing() as session:
        qualification, previous = judged_for(session, catalog, qualification_id, bdr_user_id)
        checked = checked_answers(qualification.framework, answers)
        changed = _apply(session, qualification, checked, bdr_user_id)
        if not changed:
            raise QualificationError(NOTHING_CHANGED)
        if notes.strip():
            session.add(Note(qualification_id=qualification_id, text=notes.strip(),
                             author=bdr_user_id))
        # Judged again as it was judged: by its definition version and that version's
        # question set, whatever has been applied since.
        definition, rule, verdict = judge_now(session=session, catalog=catalog,
                                              qualification=qualification,
                                              version=previous.definition_version)
        record = supersede(session, previous=previous, verdict=verdict,
                           cause=VerdictCause.CORRECTED, actor=bdr_user_id)
        followed = follow_verdict(session=session, catalog=catalog, presenter=presenter,
                                  definition=definition, record=record, actor=bdr_user_id,
                                  default_channel=default_channel)
        judged = Judged(
            qualification_id=qualification_id, lead=qualification.lead,
            framework=qualification.framework, verdict=as_verdict(record),
            handoff_id=None, min_score=rule.min_score, verdict_id=record.id,
            override=override_of(record))
        return Corrected(judged=judged, changed=tuple(changed), followed=followed,
                         was_sales_ready=previous.sales_ready)


def _apply(session: Session, qualification: Opened, checked: Checked, by: str) -> list[str]:
    """Supersede each answer that differs from the one in force; the titles changed."""
    changed = []
    in_force = current_answers(session, qualification.id)
    for criterion in qualification.framework.criteria:
        choice, reading = checked.get(criterion.key, (None, None))
        entry = in_force.get(criterion.key)
        normalised = reading.normalised if reading else None
        if entry is not None and (entry.choice, entry.normalised_value) == (choice, normalised):
            continue
        if choice is None and reading is None:
            if entry is None:
                continue
            _clear(session, entry, by)
        else:
            # Notes given with the answer stay with the corrected one.
            record_answer(session, qualification.id, criterion, choice=choice, reading=reading,
                          notes=entry.notes if entry else "", answered_by=by)
        changed.append(criterion.title)
    return changed


def _clear(session: Session, entry: AnswerEntry, by: str) -> None:
    """An answer emptied in the form: kept, superseded by no answer, so it counts as unknown."""
    entry.is_current = False
    entry.superseded_at = utcnow()
    session.add(entry)
    session.flush()
    record_event(session, actor=by, kind="answer.cleared", subject_type="qualification",
                 subject_id=entry.qualification_id,
                 payload={"criterion": entry.criterion_key, "answer_id": entry.id})
