"""Starting, resuming and listing qualifications, and where their conversation is."""

from __future__ import annotations

from sqlmodel import Session, select

from baton.domain.errors import Closed, FormInvalid, QualificationError
from baton.domain.lifecycle import QualificationStatus
from baton.services.catalog import Catalog, catalog_in_force, definition_in_force
from baton.services.qualification.intake import validate_intake
from baton.services.qualification.results import Intake, PausedItem, Step
from baton.services.qualification.state import OPEN, lead_row, load, open_for, opened, step_of
from baton.services.unit_of_work import UnitOfWork
from baton.store import tables
from baton.store.events import record_event
from baton.store.tables import Qualification


def _lead(session: Session, intake: Intake, lead_id: int | None) -> tables.Lead:
    lead = tables.Lead(company="") if lead_id is None else session.get(tables.Lead, lead_id)
    if lead is None:
        raise QualificationError("That lead no longer exists; fill in the form to start afresh.")
    # A newer intake knows the lead better: every field given replaces the stored one.
    given = {"company": intake.company.strip(), "contact_name": intake.contact_name.strip(),
             "title": intake.title.strip(), "email": intake.email.strip().lower(),
             "source": intake.source.strip(), "region": intake.region.strip(),
             "industry": intake.industry.strip(), "employees": intake.employees,
             "open_opportunity": intake.open_opportunity}
    for field, value in given.items():
        if value not in ("", None):
            setattr(lead, field, value)
    session.add(lead)
    session.flush()
    return lead


def start_qualification(
    *, uow: UnitOfWork, catalog: Catalog, intake: Intake, bdr_user_id: str, team_id: str,
    lead_id: int | None = None,
) -> Step:
    """Record the lead (or reuse a known one) and start asking the framework's questions."""
    errors = validate_intake(intake, catalog)
    if errors:
        raise FormInvalid(errors)
    with uow.writing() as session:
        return begin(session, catalog, intake, bdr_user_id, team_id, lead_id)


def begin(session: Session, catalog: Catalog, intake: Intake, bdr_user_id: str, team_id: str,
          lead_id: int | None) -> Step:
    """A new qualification of the lead, in the caller's transaction: its first question."""
    lead = _lead(session, intake, lead_id)
    # The default comes from the definition in force, which sales ops may have changed.
    default = definition_in_force(session=session, catalog=catalog).default_framework
    framework = intake.framework or default
    qualification = Qualification(lead_id=lead.id or 0, bdr_user_id=bdr_user_id,
                                  team_id=team_id, framework=framework)
    session.add(qualification)
    session.flush()
    record_event(session, actor=bdr_user_id, kind="qualification.started",
                 subject_type="qualification", subject_id=qualification.id or 0,
                 payload={"lead_id": lead.id, "framework": framework})
    return step_of(session, opened(session, catalog, qualification))


def resume_qualification(
    *, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str
) -> Step:
    """Carry on where the BDR stopped, from any process, after any restart."""
    with uow.writing() as session:
        return resumed(session, catalog, qualification_id, bdr_user_id)


def resumed(session: Session, catalog: Catalog, qualification_id: int,
            bdr_user_id: str) -> Step:
    """The BDR's open qualification back in progress, in the caller's transaction."""
    qualification = open_for(session, catalog, qualification_id, bdr_user_id)
    qualification.row.status = QualificationStatus.IN_PROGRESS
    session.add(qualification.row)
    record_event(session, actor=bdr_user_id, kind="qualification.resumed",
                 subject_type="qualification", subject_id=qualification_id,
                 payload={"position": qualification.row.current_index + 1})
    session.flush()
    return step_of(session, qualification)


def attach_conversation(
    *, uow: UnitOfWork, qualification_id: int, dm_channel: str, thread_ts: str | None
) -> None:
    """Remember the DM and the root message whose thread collects notes (None while the root
    message waits for Slack; it is attached once posted)."""
    with uow.writing() as session:
        qualification = load(session, qualification_id, lock=True)
        qualification.dm_channel, qualification.thread_ts = dm_channel, thread_ts
        session.add(qualification)
        record_event(session, actor=qualification.bdr_user_id, kind="conversation.attached",
                     subject_type="qualification", subject_id=qualification_id,
                     payload={"dm_channel": dm_channel, "thread_ts": thread_ts})


def current_step(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int) -> Step:
    """The question an open (in progress or paused) qualification is on."""
    with uow.reading() as session:
        qualification = load(session, qualification_id)
        if qualification.status not in OPEN:
            raise Closed(lead_row(session, qualification).company, str(qualification.status))
        return step_of(session, opened(session, catalog, qualification))


def paused_qualifications(
    *, uow: UnitOfWork, catalog: Catalog, bdr_user_id: str
) -> list[PausedItem]:
    """The BDR's own paused qualifications, newest first."""
    with uow.reading() as session:
        return paused_of(session=session, catalog=catalog, bdr_user_id=bdr_user_id)


def paused_of(*, session: Session, catalog: Catalog, bdr_user_id: str) -> list[PausedItem]:
    """The BDR's own paused qualifications, newest first, in the caller's transaction."""
    query = (
        select(Qualification, tables.Lead)
        .join(tables.Lead, tables.Lead.id == Qualification.lead_id)  # type: ignore[arg-type]
        .where(Qualification.bdr_user_id == bdr_user_id,
               Qualification.status == QualificationStatus.PAUSED)
        .order_by(Qualification.started_at.desc(), Qualification.id.desc())  # type: ignore[attr-defined,union-attr]
    )
    items = []
    frameworks = catalog_in_force(session=session, catalog=catalog).frameworks
    for qualification, lead in session.exec(query):
        framework = frameworks.get(qualification.framework)
        position = qualification.current_index + 1
        items.append(PausedItem(
            qualification_id=qualification.id or 0, company=lead.company,
            framework=framework.name if framework else qualification.framework.upper(),
            position=position, total=len(framework.criteria) if framework else position,
            started_at=qualification.started_at,
        ))
    return items
