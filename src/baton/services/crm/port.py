"""The one port every CRM connector fills: look a lead up, write what Baton decided, read deals
back. Plain data in and out; each connector turns its CRM's failures into CrmError."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from baton.domain.crm import CrmMapping


class CrmError(Exception):
    """A CRM call failed. `retry` says whether a later try may succeed (429, 5xx, network);
    `after` is how long the CRM asked to wait, when it said."""

    def __init__(self, message: str, *, retry: bool, after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.after = after
        self.status = status


@dataclass(frozen=True)
class Deal:
    """A deal (HubSpot) or opportunity (Salesforce) of a company."""

    id: str
    name: str
    stage: str
    company_ids: tuple[str, ...]
    amount: float | None = None
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class Found:
    """What the CRM knows of a lead at intake; ids are None when it has no such record."""

    contact_id: str | None = None
    company_id: str | None = None
    company_name: str = ""
    owner: str = ""  # the record's owner as people know them: "Dana Reyes <dana@acme.com>"
    status: str = ""  # lead status / lifecycle stage, as the CRM spells it
    industry: str = ""
    employees: int | None = None
    country: str = ""
    open_deals: tuple[Deal, ...] = ()

    @property
    def known(self) -> bool:
        return self.contact_id is not None or self.company_id is not None


@dataclass(frozen=True)
class LeadRecord:
    """The lead as Baton writes it: the person and their company."""

    email: str
    first_name: str
    last_name: str
    title: str
    company: str
    domain: str | None = None
    industry: str = ""
    employees: int | None = None
    country: str = ""


@dataclass(frozen=True)
class Records:
    """The CRM's ids of a lead's person and company; `person_kind` names the person's object
    where a CRM has more than one (Salesforce: "Lead" or "Contact")."""

    person_id: str
    company_id: str | None = None
    person_kind: str = "contact"


class Crm(Protocol):
    """A connected CRM. Every method may raise CrmError."""

    name: str  # "HubSpot", "Salesforce": as the team calls it

    def look_up(self, *, email: str, domain: str | None, company: str,
                timeout: float) -> Found: ...

    def upsert(self, lead: LeadRecord, *, known: Records | None) -> Records: ...

    def set_fields(self, records: Records, fields: dict[str, str]) -> None: ...

    def add_note(self, records: Records, *, key: str, title: str, body: str) -> str:
        """Add a note once: a note already carrying `key` is not added again. Its id."""
        ...

    def set_owner(self, records: Records, *, email: str) -> str | None:
        """Make the CRM user with this email the owner; their id, or None when no user has it."""
        ...

    def deals_changed(self, since: dt.datetime) -> list[Deal]:
        """Every deal changed at or after `since`, oldest change first, each with the
        companies it is associated with."""
        ...

    def problems(self, mapping: CrmMapping) -> list[str]:
        """The credentials checked, and every mapped field and value looked up: one line per
        problem, empty when all is well."""
        ...
