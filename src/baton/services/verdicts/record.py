"""A judged qualification opened for a change of its verdict, and a verdict that supersedes
the one in force."""

from __future__ import annotations

from sqlmodel import Session

from baton.domain.errors import NotTheBdr, QualificationError
from baton.domain.lifecycle import QualificationStatus, VerdictCause
from baton.domain.verdict import Verdict
from baton.services.catalog import Catalog
from baton.services.handoff import in_force
from baton.services.qualification.results import Override
from baton.services.qualification.state import Opened, lead_row, load, opened
from baton.store.events import record_event
from baton.store.tables import Qualification, VerdictRecord
from baton.store.types import utcnow
from baton.store.verdicts import judgement, put_in_force


def judged_row(session: Session, qualification_id: int) -> tuple[Qualification, VerdictRecord]:
    """The qualification, locked, and its verdict in force; refused when it has none yet."""
    row = load(session, qualification_id, lock=True)
    verdict = in_force(session, qualification_id)
    if verdict is None or row.status != QualificationStatus.FINISHED:
        company = lead_row(session, row).company
        raise QualificationError(f"The qualification of {company} has no verdict yet; "
                                 "answer its questions first.")
    return row, verdict


def judged_for(session: Session, catalog: Catalog, qualification_id: int,
               bdr_user_id: str) -> tuple[Opened, VerdictRecord]:
    """A judged qualification of this BDR's, with its verdict in force and the question set
    of the definition version that judged it."""
    row, verdict = judged_row(session, qualification_id)
    if row.bdr_user_id != bdr_user_id:
        raise NotTheBdr(row.bdr_user_id)
    return opened(session, catalog, row, version=verdict.definition_version), verdict


def override_of(record: VerdictRecord) -> Override | None:
    """The manager's override a stored verdict carries, if any."""
    if record.overridden_by is None or record.overridden_at is None:
        return None
    return Override(record.overridden_by, record.override_reason or "", record.overridden_at)


def supersede(session: Session, *, previous: VerdictRecord, verdict: Verdict,
              cause: VerdictCause, actor: str, override: Override | None = None,
              ) -> VerdictRecord:
    """Put `verdict` in force after `previous`, both kept; a manager's override stands on."""
    carried = override or override_of(previous)
    # A correction after an override re-judges the answers; the manager's call still stands.
    ready = previous.sales_ready if override is None and carried else verdict.sales_ready
    record = VerdictRecord(
        qualification_id=previous.qualification_id, sales_ready=ready,
        definition_version=verdict.definition_version, framework=previous.framework,
        **judgement(verdict), decided_at=utcnow(), decided_by=actor, cause=cause,
        supersedes_id=previous.id,
        overridden_by=carried.by if carried else None,
        override_reason=carried.reason if carried else None,
        overridden_at=carried.at if carried else None)
    # Loaded (and locked) by judged_row already: taken from the session, not read again.
    qualification = session.get(Qualification, previous.qualification_id)
    assert qualification is not None  # the verdict's foreign key
    put_in_force(session, qualification, record)
    session.flush()
    record_event(session, actor=actor, kind=f"verdict.{cause}", subject_type="qualification",
                 subject_id=previous.qualification_id,
                 payload={"verdict_id": record.id, "supersedes": previous.id,
                          "sales_ready": ready, "score": verdict.score,
                          "override_reason": override.reason if override else None})
    return record
