"""The offer made for a known lead: the intake kept server-side (the modal carries only its id)
until the BDR re-qualifies the lead or continues their open qualification of it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, fields, replace

from sqlmodel import Session, col, delete, select

from baton.domain.errors import QualificationError
from baton.services.catalog import Catalog
from baton.services.qualification.known import KnownLead, known_lead
from baton.services.qualification.results import Intake, Step
from baton.services.qualification.start import begin, resumed
from baton.services.qualification.state import OPEN
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import IntakeDraft, Qualification
from baton.store.types import utcnow

LIFETIME = dt.timedelta(days=1)
_INTAKE_FIELDS = {field.name for field in fields(Intake)}


class DraftGone(QualificationError):
    """The offer's intake expired, was already used, or was never this person's."""

    def __init__(self) -> None:
        super().__init__("This offer has expired or was already used; "
                         "run `/qualify` again to start afresh.")


def known_lead_offer(*, uow: UnitOfWork, catalog: Catalog, intake: Intake,
                     bdr_user_id: str) -> KnownLead | None:
    """A lead Baton already knows, with the intake kept for a day while the BDR chooses."""
    with uow.reading() as session:
        known = known_lead(session, catalog, intake.company, intake.email, bdr_user_id)
    if known is None:
        return None
    with uow.writing() as session:
        now = utcnow()
        # Drafts nobody came back to go when the next one is kept: the index finds them.
        session.exec(delete(IntakeDraft).where(col(IntakeDraft.expires_at) <= now))
        draft = IntakeDraft(id=secrets.token_urlsafe(24), user_id=bdr_user_id,
                            lead_id=known.lead_id, intake=asdict(intake), created_at=now,
                            expires_at=now + LIFETIME)
        session.add(draft)
    return replace(known, draft_id=draft.id)


def requalify(*, uow: UnitOfWork, catalog: Catalog, draft_id: str, bdr_user_id: str,
              team_id: str) -> Step:
    """A new qualification of the known lead, with the intake the BDR just entered."""
    with uow.writing() as session:
        draft = _take(session, draft_id, bdr_user_id)
        intake = Intake(**{k: v for k, v in draft.intake.items() if k in _INTAKE_FIELDS})
        return begin(session, catalog, intake, bdr_user_id, team_id, draft.lead_id)


def continue_open(*, uow: UnitOfWork, catalog: Catalog, draft_id: str,
                  bdr_user_id: str) -> Step:
    """The BDR's own open qualification of the known lead, carried on where it stopped."""
    with uow.writing() as session:
        draft = _take(session, draft_id, bdr_user_id)
        query = (select(Qualification)
                 .where(Qualification.lead_id == draft.lead_id,
                        Qualification.bdr_user_id == bdr_user_id,
                        col(Qualification.status).in_(OPEN))
                 .order_by(col(Qualification.started_at).desc()))
        row = session.exec(query).first()
        if row is None or row.id is None:
            raise QualificationError("You have no qualification of this lead open any more; "
                                     "run `/qualify` again and choose Re-qualify.")
        return resumed(session, catalog, row.id, bdr_user_id)


def _take(session: Session, draft_id: str, user_id: str) -> IntakeDraft:
    """The draft, removed so that it is used once; DraftGone when it cannot be."""
    query = select(IntakeDraft).where(IntakeDraft.id == draft_id,
                                      IntakeDraft.user_id == user_id,
                                      col(IntakeDraft.expires_at) > utcnow())
    draft = session.exec(query.with_for_update()).first()
    if draft is None:
        raise DraftGone()
    session.delete(draft)
    session.flush()
    return draft
