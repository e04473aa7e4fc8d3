"""A lead Baton already knows, found by company name, company email domain or email, with what
became of it: its last verdict, its handoff, and a qualification still open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from baton.domain.companies import company_domain, company_key
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.handoff.claims import reason_label
from baton.services.qualification.state import OPEN
from baton.services.unit_of_work import UnitOfWork
from baton.store import tables
from baton.store.tables import Handoff, Outcome, Qualification, VerdictRecord


@dataclass(frozen=True)
class LastVerdict:
    """The lead's most recent verdict."""

    sales_ready: bool
    score: int
    decided_at: dt.datetime
    bdr_user_id: str
    disqualified: str | None


@dataclass(frozen=True)
class HandoffFate:
    """What became of the lead's latest handoff: its status, its rep, and the outcome."""

    status: str
    channel: str
    rep: str | None
    reject_reason: str | None
    reject_comment: str
    outcome: str | None
    outcome_reason: str


@dataclass(frozen=True)
class OpenQualification:
    """A qualification of the lead still in progress or paused."""

    qualification_id: int
    bdr_user_id: str
    status: str
    started_at: dt.datetime
    position: int
    total: int


@dataclass(frozen=True)
class KnownLead:
    """A lead Baton already has; `draft_id` names the intake kept while the BDR chooses."""

    lead_id: int
    company: str
    verdict: LastVerdict | None
    handoff: HandoffFate | None
    open: OpenQualification | None
    draft_id: str = ""

    def continuable_by(self, user: str) -> bool:
        """Whether `user` may continue the open qualification: only the BDR who runs it."""
        return self.open is not None and self.open.bdr_user_id == user


def find_known_lead(*, uow: UnitOfWork, catalog: Catalog, company: str, email: str,
                    bdr_user_id: str = "") -> KnownLead | None:
    """A lead already known by company name, company email domain or the same email."""
    with uow.reading() as session:
        return known_lead(session, catalog, company, email, bdr_user_id)


def known_lead(session: Session, catalog: Catalog, company: str, email: str,
               bdr_user_id: str) -> KnownLead | None:
    """The newest lead matching, with its facts; `bdr_user_id`'s own open one comes first."""
    lead = _match(session, company, email)
    if lead is None or lead.id is None:
        return None
    return KnownLead(lead_id=lead.id, company=lead.company, verdict=_verdict(session, lead.id),
                     handoff=_handoff(session, lead.id),
                     open=_open(session, catalog, lead.id, bdr_user_id))


def _match(session: Session, company: str, email: str) -> tables.Lead | None:
    key, domain, address = company_key(company), company_domain(email), email.strip().lower()
    # Each condition has its own index, so the database finds a known lead without a scan.
    matches: list[sa.ColumnElement[bool]] = []
    if key:
        matches.append(col(tables.Lead.company_key) == key)
    if domain:
        matches.append(col(tables.Lead.company_domain) == domain)
    if address:
        matches.append(col(tables.Lead.email) == address)
    if not matches:
        return None
    newest_first = tables.Lead.id.desc()  # type: ignore[union-attr]
    return session.exec(select(tables.Lead).where(sa.or_(*matches))
                        .order_by(newest_first).limit(1)).first()


def _verdict(session: Session, lead_id: int) -> LastVerdict | None:
    query = (select(VerdictRecord, Qualification)
             .join(Qualification, Qualification.id == VerdictRecord.qualification_id)  # type: ignore[arg-type]
             .where(Qualification.lead_id == lead_id)
             .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())  # type: ignore[attr-defined,union-attr]
             .limit(1))
    found = session.exec(query).first()
    if found is None:
        return None
    verdict, qualification = found
    return LastVerdict(sales_ready=verdict.sales_ready, score=verdict.score,
                       decided_at=verdict.decided_at, bdr_user_id=qualification.bdr_user_id,
                       disqualified=verdict.disqualified)


def _handoff(session: Session, lead_id: int) -> HandoffFate | None:
    handoff = session.exec(select(Handoff).where(Handoff.lead_id == lead_id)
                           .order_by(Handoff.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    if handoff is None:
        return None
    outcome = session.exec(select(Outcome).where(Outcome.handoff_id == handoff.id)
                           .order_by(Outcome.recorded_at.desc(), Outcome.id.desc())  # type: ignore[attr-defined,union-attr]
                           .limit(1)).first()
    return HandoffFate(
        status=str(handoff.status), channel=handoff.channel,
        rep=handoff.claimed_by or handoff.decided_by,
        reject_reason=reason_label(handoff) or None,
        reject_comment=handoff.reject_comment or "",
        outcome=str(outcome.kind) if outcome else None,
        outcome_reason=outcome.reason if outcome else "")


def _open(session: Session, catalog: Catalog, lead_id: int,
          bdr_user_id: str) -> OpenQualification | None:
    query = (select(Qualification)
             .where(Qualification.lead_id == lead_id, Qualification.status.in_(OPEN))  # type: ignore[attr-defined]
             .order_by(Qualification.started_at.desc(), Qualification.id.desc()))  # type: ignore[attr-defined,union-attr]
    rows = list(session.exec(query))
    row = next((r for r in rows if r.bdr_user_id == bdr_user_id), rows[0] if rows else None)
    if row is None:
        return None
    framework = catalog_in_force(session=session, catalog=catalog).frameworks.get(row.framework)
    total = len(framework.criteria) if framework else row.current_index + 1
    return OpenQualification(
        qualification_id=row.id or 0, bdr_user_id=row.bdr_user_id, status=str(row.status),
        started_at=row.started_at, position=min(row.current_index + 1, total), total=total)
