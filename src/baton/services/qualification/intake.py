"""The intake: its fields checked, and a lead Baton already knows found by company or email."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services.catalog import Catalog
from baton.services.qualification.results import Intake, KnownLead
from baton.services.unit_of_work import UnitOfWork
from baton.store import tables
from baton.store.tables import Qualification

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def validate_intake(intake: Intake, catalog: Catalog) -> dict[str, str]:
    """Messages for the intake fields that need fixing, by field name; empty when all is well."""
    errors = {}
    if not intake.company.strip():
        errors["company"] = "Enter the company's name."
    if not intake.contact_name.strip():
        errors["contact_name"] = "Enter the name of the person you spoke to."
    if not intake.title.strip():
        errors["title"] = "Enter their role or title, such as Head of Sales Operations."
    if intake.email.strip() and not _EMAIL.match(intake.email.strip()):
        errors["email"] = f"Expected an email address such as dana@acme.com, got {intake.email!r}."
    if intake.employees is not None and intake.employees < 0:
        errors["employees"] = "Expected a number of employees of 0 or more."
    if intake.framework and intake.framework not in catalog.frameworks:
        known = ", ".join(sorted(catalog.frameworks))
        errors["framework"] = f"Expected one of: {known}, got {intake.framework!r}."
    return errors


def find_known_lead(*, uow: UnitOfWork, company: str, email: str) -> KnownLead | None:
    """A lead already known by the same company (any case or spacing) or the same email."""
    with uow.reading() as session:
        return _known(session, company, email)


def _known(session: Session, company: str, email: str) -> KnownLead | None:
    name, address = company.strip(), email.strip().lower()
    # The database lowers both sides, so SQLite (ASCII-only lower) still matches the same text.
    matches = []
    if name:
        matches.append(sa.func.lower(tables.Lead.company) == sa.func.lower(sa.literal(name)))
    if address:
        matches.append(tables.Lead.email == address)
    if not matches:
        return None
    newest_first = tables.Lead.id.desc()  # type: ignore[union-attr]
    lead = session.exec(select(tables.Lead).where(sa.or_(*matches)).order_by(newest_first)).first()
    if lead is None:
        return None
    latest = session.exec(
        select(Qualification).where(Qualification.lead_id == lead.id)
        .order_by(Qualification.started_at.desc(), Qualification.id.desc())  # type: ignore[attr-defined,union-attr]
    ).first()
    return KnownLead(
        lead_id=lead.id or 0, company=lead.company,
        qualification_id=latest.id if latest else None,
        bdr_user_id=latest.bdr_user_id if latest else None,
        started_at=latest.started_at if latest else None,
        status=str(latest.status) if latest else None,
    )
