"""Judging a qualification by the definition in force and recording the verdict."""

from __future__ import annotations

from sqlmodel import Session

from baton.domain.lead import Answer
from baton.domain.scoring import judge
from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff import sla
from baton.services.handoff.request import request_handoff
from baton.services.qualifications_state import (
    current_answers,
    domain_lead,
    framework_of,
    lead_row,
)
from baton.services.qualifications_types import Finished, QualificationError
from baton.store.events import record_event
from baton.store.tables import Qualification, QualificationStatus, VerdictRecord
from baton.store.types import utcnow


def conclude(
    *, session: Session, catalog: Catalog, qualification: Qualification, actor: str,
    default_channel: str,
) -> Finished:
    """Judge now, store the verdict, close the qualification and hand a sales-ready lead on."""
    definition = definition_in_force(session=session, catalog=catalog)
    framework = framework_of(catalog, qualification)
    lead = domain_lead(lead_row(session, qualification))
    entries = current_answers(session, qualification.id or 0).values()
    answers = [
        Answer(criterion=e.criterion_key, choice=e.choice,
               typed=e.normalised_value or e.typed_value, notes=e.notes,
               answered_on=e.answered_at.date())
        for e in entries
    ]
    rule = definition.rule_for(framework.key)
    if rule is None:
        raise QualificationError(
            f"The definition {definition.version} has no rule for {framework.name}, so no "
            "verdict can be given; ask sales ops to add one."
        )
    verdict = judge(framework, definition, lead, answers, today=utcnow().date())
    now = utcnow()
    session.add(VerdictRecord(
        qualification_id=qualification.id or 0, sales_ready=verdict.sales_ready,
        score=verdict.score, definition_version=definition.version, framework=framework.key,
        criteria=[c.model_dump(mode="json") for c in verdict.criteria],
        missing=list(verdict.missing), disqualified=verdict.disqualified, decided_at=now,
    ))
    qualification.status = QualificationStatus.FINISHED
    qualification.finished_at = now
    qualification.definition_version = definition.version
    session.add(qualification)
    record_event(session, actor=actor, kind="verdict.given", subject_type="qualification",
                 subject_id=qualification.id or 0,
                 payload={"sales_ready": verdict.sales_ready, "score": verdict.score,
                          "definition_version": definition.version})
    session.flush()
    handoff_id = None
    if verdict.sales_ready:
        handoff = request_handoff(
            session=session, definition=definition, qualification_id=qualification.id or 0,
            verdict=verdict, default_channel=default_channel,
        )
        handoff_id = handoff.handoff_id
        if handoff.created:
            # Same transaction as the decision: its deadlines run from now, and the pending
            # handoff is what the sender's pass turns into the card, once, whatever Slack does.
            sla.schedule(session=session, handoff_id=handoff_id, definition=definition)
    return Finished(qualification_id=qualification.id or 0, lead=lead, verdict=verdict,
                    handoff_id=handoff_id, min_score=rule.min_score,
                    framework_name=framework.name)
