"""Judging a qualification by the definition in force and recording the verdict."""

from __future__ import annotations

from sqlmodel import Session

from baton.domain.definition import Definition, FrameworkRule
from baton.domain.errors import QualificationError
from baton.domain.lead import Answer
from baton.domain.lifecycle import QualificationStatus
from baton.domain.scoring import judge
from baton.domain.verdict import Verdict
from baton.services.catalog import Catalog, catalog_of_version, definition_in_force
from baton.services.handoff import sla
from baton.services.handoff.request import request_handoff
from baton.services.qualification.results import Answered, Judged
from baton.services.qualification.state import Opened, current_answers
from baton.store.events import record_event
from baton.store.tables import VerdictRecord
from baton.store.types import utcnow
from baton.store.verdicts import judgement, put_in_force


def conclude(
    *, session: Session, catalog: Catalog, qualification: Opened, actor: str,
    default_channel: str, clicked: Answered | None = None,
) -> Judged:
    """Judge now, store the verdict, close the qualification and hand a sales-ready lead on."""
    definition, rule, verdict = judge_now(session=session, catalog=catalog,
                                          qualification=qualification)
    framework = qualification.framework
    verdict_id = _record(session, qualification, definition, verdict, actor)
    handoff_id = None
    if verdict.sales_ready:
        handoff_id = _hand_on(session, qualification, definition, verdict, default_channel)
    return Judged(qualification_id=qualification.id, lead=qualification.lead,
                  framework=framework, verdict=verdict, handoff_id=handoff_id,
                  min_score=rule.min_score, clicked=clicked, verdict_id=verdict_id)


def judge_now(*, session: Session, catalog: Catalog, qualification: Opened,
              version: str | None = None) -> tuple[Definition, FrameworkRule, Verdict]:
    """The verdict on the answers in force, by the definition in force (or by the stored
    `version`, with the question set `qualification` was opened with), and its rule."""
    definition = (catalog_of_version(session=session, catalog=catalog, version=version).definition
                  if version else definition_in_force(session=session, catalog=catalog))
    framework = qualification.framework
    rule = definition.rule_for(framework.key)
    if rule is None:
        raise QualificationError(
            f"The definition {definition.version} has no rule for {framework.name}, so no "
            "verdict can be given; ask sales ops to add one."
        )
    answers = [
        Answer(criterion=e.criterion_key, choice=e.choice,
               typed=e.normalised_value or e.typed_value, notes=e.notes,
               answered_on=e.answered_at.date())
        for e in current_answers(session, qualification.id).values()
    ]
    verdict = judge(framework, definition, qualification.lead, answers, today=utcnow().date())
    return definition, rule, verdict


def _record(session: Session, qualification: Opened, definition: Definition, verdict: Verdict,
            actor: str) -> int:
    """Store the verdict with the version it was judged by, and close the qualification."""
    now = utcnow()
    record = VerdictRecord(
        qualification_id=qualification.id, sales_ready=verdict.sales_ready,
        definition_version=definition.version, framework=qualification.framework.key,
        **judgement(verdict), decided_at=now, decided_by=actor,
    )
    row = qualification.row
    row.status = QualificationStatus.FINISHED
    row.finished_at = now
    row.definition_version = definition.version
    put_in_force(session, row, record)
    record_event(session, actor=actor, kind="verdict.given", subject_type="qualification",
                 subject_id=qualification.id,
                 payload={"sales_ready": verdict.sales_ready, "score": verdict.score,
                          "definition_version": definition.version})
    session.flush()
    return record.id or 0


def _hand_on(session: Session, qualification: Opened, definition: Definition, verdict: Verdict,
             default_channel: str) -> int:
    """The handoff of a sales-ready lead, with its SLA deadlines set."""
    handoff = request_handoff(
        session=session, definition=definition, qualification_id=qualification.id,
        verdict=verdict, default_channel=default_channel,
    )
    if handoff.created:
        # Same transaction as the decision: its deadlines run from now, and the pending
        # handoff is what the sender's pass turns into the card, once, whatever Slack does.
        sla.schedule(session=session, handoff_id=handoff.handoff_id, definition=definition)
    return handoff.handoff_id
