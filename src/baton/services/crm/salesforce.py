"""Baton's CRM port over Salesforce's REST API, with simple-salesforce.

The data model, as Salesforce teams keep it:
- The person is a Contact when one has the lead's email (its Account is the company); else a
  Lead, found by Email (unconverted) and created when there is none. Baton never creates
  Contacts or Accounts: converting a Lead is the team's step, in Salesforce.
- The company is the Contact's Account; for a Lead, the Account whose Website carries the
  lead's domain, else the one whose Name is the company's (SOQL compares case-insensitively),
  if any.
- The mapped status (and lifecycle) fields are Lead fields. A Contact gets only those of them
  a Contact has too (describe tells): a standard Contact has no Status, so Baton writes
  nothing there rather than fail.
- Notes are completed Tasks on the person (WhoId), on the Account too (WhatId) for a Contact;
  a Lead's Task can have no WhatId. The note's key goes in the Subject, "Title [key]", which is
  how a note already added is found again.
- Deals are Opportunities; their Account is their one company.

A person's kind travels in Records.person_kind ("Lead" or "Contact"); Found has no place for
it, so when Records come without it the id's key prefix tells (00Q Lead, 003 Contact).

Every call carries a timeout and none is retried here: failures become CrmError, retryable
for 5xx, 429, 403 REQUEST_LIMIT_EXCEEDED and the network, permanent otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceError

from baton.domain.crm import CrmMapping, FieldValues, employees_of
from baton.services.crm.port import CrmError, Deal, Found, LeadRecord, Records

T = TypeVar("T")
LEAD, CONTACT = "Lead", "Contact"
KIND_OF_PREFIX = {"00Q": LEAD, "003": CONTACT}
NOT_PROVIDED = "[not provided]"  # what Web-to-Lead writes for a required field left blank
SUBJECT_LIMIT = 255
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def soql_text(value: str) -> str:
    """A string literal for SOQL: quoted, with backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def soql_datetime(at: dt.datetime) -> str:
    """A SOQL datetime literal, in UTC, to the second: 2026-12-05T14:03:11Z."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_salesforce_time(text: str | None) -> dt.datetime | None:
    """Salesforce's 2026-12-05T14:03:11.000+0000 as an aware datetime."""
    if not text:
        return None
    text = re.sub(r"Z$", "+00:00", text)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def salesforce_error(content: Any) -> tuple[str, str]:
    """(errorCode, message) of Salesforce's error answer: a list of {message, errorCode}."""
    if isinstance(content, list) and content and isinstance(content[0], dict):
        first = content[0]
        return str(first.get("errorCode") or "UNKNOWN"), str(first.get("message") or "")
    if isinstance(content, dict):
        return (str(content.get("errorCode") or content.get("error") or "UNKNOWN"),
                str(content.get("message") or content.get("error_description") or ""))
    if isinstance(content, bytes):
        content = content.decode(errors="replace")
    return "UNKNOWN", str(content or "")


def crm_error(error: Exception, *, timeout: float) -> CrmError:
    """A simple-salesforce or requests failure as the port's CrmError, on one line."""
    if isinstance(error, SalesforceAuthenticationFailed):
        return CrmError(_one_line(f"Salesforce refused the credentials ({error.code}: "
                                  f"{error.auth_message})"), retry=False, status=401)
    if isinstance(error, SalesforceError):
        status = int(error.status)
        code, message = salesforce_error(error.content)
        retry = status >= 500 or status == 429 or (
            status == 403 and code == "REQUEST_LIMIT_EXCEEDED")
        if status == 401:
            text = f"Salesforce refused the credentials ({code}: {message})"
        else:
            text = f"Salesforce answered {status} {code}: {message}"
        return CrmError(_one_line(text), retry=retry, status=status)
    if isinstance(error, requests.Timeout):
        return CrmError(f"Salesforce did not answer within {timeout:g}s", retry=True)
    if isinstance(error, requests.ConnectionError):
        return CrmError(_one_line(f"Salesforce could not be reached: {error}"), retry=True)
    if isinstance(error, requests.RequestException):
        return CrmError(_one_line(f"Salesforce call failed: {error}"), retry=True)
    raise error


def _field_name(name: str) -> str:
    """A mapped field name, checked before it goes into SOQL."""
    if not _IDENTIFIER.fullmatch(name):
        raise CrmError(f"'{name}' is not a Salesforce field name", retry=False)
    return name


def _domain_of(website: str | None) -> str:
    if not website:
        return ""
    host = urlsplit(website if "//" in website else f"//{website}").hostname or ""
    return host.lower().removeprefix("www.")


class SalesforceCrm:
    """The Crm port over one Salesforce org: an access token (OAuth) with the instance URL, or
    username, password and security token (logged in on the first call)."""

    name = "Salesforce"

    def __init__(self, mapping: CrmMapping, *, instance_url: str = "", access_token: str = "",
                 username: str = "", password: str = "", security_token: str = "",
                 domain: str = "login", timeout: float = 10.0,
                 verify: bool | str = True) -> None:
        if not (instance_url and access_token) and not (username and password):
            raise ValueError("Salesforce needs an instance URL and access token, "
                             "or a username and password")
        self.mapping = mapping
        self.timeout = timeout
        self._instance_url = instance_url
        self._access_token = access_token
        self._username = username
        self._password = password
        self._security_token = security_token
        self._domain = domain
        self._verify = verify  # True, or a CA bundle's path (as requests' `verify`)
        self._client: Salesforce | None = None
        self._client_lock = threading.Lock()
        self._describes: dict[str, dict[str, Any]] = {}

    # -- calls -------------------------------------------------------------------------------

    def _salesforce(self) -> Salesforce:
        with self._client_lock:
            if self._client is None:
                if self._instance_url and self._access_token:
                    client = Salesforce(instance_url=self._instance_url,
                                        session_id=self._access_token)
                else:
                    session = requests.Session()
                    session.verify = self._verify
                    client = Salesforce(username=self._username, password=self._password,
                                        security_token=self._security_token,
                                        domain=self._domain, session=session)
                self._client = client
            return self._client

    def _call(self, do: Callable[[Salesforce, dict[str, Any]], T],
              timeout: float | None = None) -> T:
        wait = self.timeout if timeout is None else timeout
        options: dict[str, Any] = {"timeout": wait}
        if self._verify is not True:
            options["verify"] = self._verify
        try:
            return do(self._salesforce(), options)
        except (SalesforceError, requests.RequestException) as error:
            raise crm_error(error, timeout=wait) from error

    def _query(self, soql: str, timeout: float | None = None) -> list[dict[str, Any]]:
        answer = self._call(lambda sf, options: sf.query_all(soql, **options), timeout)
        return list(answer.get("records") or [])

    def _first(self, soql: str, timeout: float | None = None) -> dict[str, Any] | None:
        records = self._query(soql, timeout)
        return records[0] if records else None

    def _create(self, object_name: str, fields: dict[str, Any]) -> str:
        answer = self._call(lambda sf, options: sf.restful(
            f"sobjects/{object_name}/", method="POST", json=fields, **options))
        if not isinstance(answer, dict) or not answer.get("id"):
            raise CrmError(f"Salesforce created a {object_name} without telling its id",
                           retry=False)
        return str(answer["id"])

    def _update(self, object_name: str, record_id: str, fields: dict[str, Any]) -> None:
        if fields:
            self._call(lambda sf, options: sf.restful(
                f"sobjects/{object_name}/{record_id}", method="PATCH", json=fields, **options))

    def _describe(self, object_name: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh or object_name not in self._describes:
            answer = self._call(lambda sf, options: sf.restful(
                f"sobjects/{object_name}/describe", **options))
            self._describes[object_name] = dict(answer or {})
        return self._describes[object_name]

    def _fields(self, object_name: str, *, fresh: bool = False) -> dict[str, dict[str, Any]]:
        described = self._describe(object_name, fresh=fresh)
        return {str(field["name"]): field for field in described.get("fields") or []}

    # -- finding -----------------------------------------------------------------------------

    @staticmethod
    def kind_of(records: Records) -> str:
        if records.person_kind in (LEAD, CONTACT):
            return records.person_kind
        kind = KIND_OF_PREFIX.get(records.person_id[:3])
        if kind is None:
            raise CrmError(f"{records.person_id} is neither a Salesforce Lead nor a Contact",
                           retry=False)
        return kind

    def _contact(self, email: str, timeout: float | None = None) -> dict[str, Any] | None:
        return self._first(
            "SELECT Id, AccountId, Owner.Name, Owner.Email FROM Contact "
            f"WHERE Email = {soql_text(email)} ORDER BY LastModifiedDate DESC LIMIT 1", timeout)

    def _lead(self, email: str, timeout: float | None = None) -> dict[str, Any] | None:
        wanted = ["Id", "Company", "Owner.Name", "Owner.Email", "Industry",
                  "NumberOfEmployees", "Country", _field_name(self.mapping.status.field)]
        columns = ", ".join(dict.fromkeys(wanted))
        return self._first(
            f"SELECT {columns} FROM Lead WHERE Email = {soql_text(email)} "
            "AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1", timeout)

    def _account_columns(self) -> str:
        company = self.mapping.company_fields
        wanted = ["Id", "Name", "Owner.Name", "Owner.Email"] + [
            _field_name(name) for name in (company.industry, company.employees, company.country)
            if name]
        return ", ".join(dict.fromkeys(wanted))

    def _account(self, *, account_id: str | None = None, domain: str | None = None,
                 company: str = "", timeout: float | None = None) -> dict[str, Any] | None:
        columns = self._account_columns()
        if account_id:
            return self._first(f"SELECT {columns} FROM Account "
                               f"WHERE Id = {soql_text(account_id)}", timeout)
        domain = (domain or "").strip().lower().removeprefix("www.")
        if domain:
            found = self._query(f"SELECT {columns}, Website FROM Account "
                                f"WHERE Website LIKE {soql_text('%' + domain + '%')} "
                                "ORDER BY LastModifiedDate DESC", timeout)
            for account in found:  # LIKE '%acme.com%' also matches notacme.com
                site = _domain_of(account.get("Website"))
                if site == domain or site.endswith("." + domain):
                    return account
        if company.strip():
            return self._first(f"SELECT {columns} FROM Account "
                               f"WHERE Name = {soql_text(company.strip())} "
                               "ORDER BY LastModifiedDate DESC LIMIT 1", timeout)
        return None

    @staticmethod
    def _owner(record: dict[str, Any] | None) -> str:
        owner = (record or {}).get("Owner") or {}
        name, email = owner.get("Name") or "", owner.get("Email") or ""
        return f"{name} <{email}>" if name and email else name or email

    @staticmethod
    def _deal(record: dict[str, Any]) -> Deal:
        amount = record.get("Amount")
        return Deal(id=str(record["Id"]), name=str(record.get("Name") or ""),
                    stage=str(record.get("StageName") or ""),
                    company_ids=(str(record["AccountId"]),) if record.get("AccountId") else (),
                    amount=float(amount) if amount is not None else None,
                    modified_at=parse_salesforce_time(record.get("LastModifiedDate")))

    # -- the port ----------------------------------------------------------------------------

    def look_up(self, *, email: str, domain: str | None, company: str,
                timeout: float) -> Found:
        contact = self._contact(email, timeout)
        lead = None if contact else self._lead(email, timeout)
        if contact and contact.get("AccountId"):
            account = self._account(account_id=contact["AccountId"], timeout=timeout)
        else:
            account = self._account(domain=domain, company=company, timeout=timeout)
        person = contact or lead
        fields = self.mapping.company_fields
        if account:
            industry = account.get(fields.industry) if fields.industry else None
            employees = account.get(fields.employees) if fields.employees else None
            country = account.get(fields.country) if fields.country else None
        elif lead:
            industry, employees, country = (lead.get("Industry"), lead.get("NumberOfEmployees"),
                                            lead.get("Country"))
        else:
            industry = employees = country = None
        deals: tuple[Deal, ...] = ()
        if account:
            deals = tuple(self._deal(record) for record in self._query(
                "SELECT Id, Name, StageName, Amount, AccountId, LastModifiedDate "
                f"FROM Opportunity WHERE AccountId = {soql_text(account['Id'])} "
                "AND IsClosed = false ORDER BY LastModifiedDate DESC", timeout))
        return Found(
            contact_id=str(person["Id"]) if person else None,
            company_id=str(account["Id"]) if account else None,
            company_name=str((account or {}).get("Name") or (lead or {}).get("Company") or ""),
            owner=self._owner(person) or self._owner(account),
            status=str((lead or {}).get(self.mapping.status.field) or ""),
            industry=str(industry or ""), employees=employees_of(employees),
            country=str(country or ""), open_deals=deals)

    def _person_fields(self, lead: LeadRecord, kind: str) -> dict[str, Any]:
        """What Baton knows of the person, without blanking what Salesforce has."""
        fields: dict[str, Any] = {"Email": lead.email, "FirstName": lead.first_name,
                                  "LastName": lead.last_name, "Title": lead.title}
        if kind == LEAD:
            fields.update(Company=lead.company, Website=lead.domain or "",
                          Industry=lead.industry, NumberOfEmployees=lead.employees,
                          Country=lead.country)
        return {name: value for name, value in fields.items() if value not in (None, "")}

    def upsert(self, lead: LeadRecord, *, known: Records | None) -> Records:
        if known is not None:
            kind = self.kind_of(known)
            self._update(kind, known.person_id, self._person_fields(lead, kind))
            return Records(known.person_id, known.company_id, person_kind=kind)
        contact = self._contact(lead.email)
        if contact:
            self._update(CONTACT, contact["Id"], self._person_fields(lead, CONTACT))
            return Records(str(contact["Id"]), contact.get("AccountId"), person_kind=CONTACT)
        account = self._account(domain=lead.domain, company=lead.company)
        company_id = str(account["Id"]) if account else None
        found = self._first(f"SELECT Id FROM Lead WHERE Email = {soql_text(lead.email)} "
                            "AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1")
        if found:
            self._update(LEAD, found["Id"], self._person_fields(lead, LEAD))
            return Records(str(found["Id"]), company_id, person_kind=LEAD)
        fields = self._person_fields(lead, LEAD)
        fields.setdefault("LastName", NOT_PROVIDED)
        fields.setdefault("Company", lead.domain or NOT_PROVIDED)
        return Records(self._create(LEAD, fields), company_id, person_kind=LEAD)

    def set_fields(self, records: Records, fields: dict[str, str]) -> None:
        kind = self.kind_of(records)
        if kind == CONTACT:  # the mapping names Lead fields: keep those a Contact has too
            writable = {name for name, field in self._fields(CONTACT).items()
                        if field.get("updateable")}
            fields = {name: value for name, value in fields.items() if name in writable}
        self._update(kind, records.person_id, dict(fields))

    def add_note(self, records: Records, *, key: str, title: str, body: str) -> str:
        tag = f" [{key}]"
        subject = title[: max(0, SUBJECT_LIMIT - len(tag))] + tag
        found = self._first(f"SELECT Id FROM Task WHERE WhoId = {soql_text(records.person_id)}"
                            f" AND Subject = {soql_text(subject)} LIMIT 1")
        if found:
            return str(found["Id"])
        task: dict[str, Any] = {"Subject": subject, "Description": body,
                                "WhoId": records.person_id, "Status": "Completed",
                                "ActivityDate": dt.date.today().isoformat()}
        if self.kind_of(records) == CONTACT and records.company_id:
            task["WhatId"] = records.company_id
        return self._create("Task", task)

    def set_owner(self, records: Records, *, email: str) -> str | None:
        user = self._first(f"SELECT Id FROM User WHERE Email = {soql_text(email)} "
                           "AND IsActive = true LIMIT 1")
        if user is None:
            return None
        self._update(self.kind_of(records), records.person_id, {"OwnerId": user["Id"]})
        return str(user["Id"])

    def deals_changed(self, since: dt.datetime) -> list[Deal]:
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        # SOQL literals end at the second: ask from the second's start, keep what is not older.
        records = self._query(
            "SELECT Id, Name, StageName, Amount, AccountId, LastModifiedDate FROM Opportunity "
            f"WHERE LastModifiedDate >= {soql_datetime(since)} ORDER BY LastModifiedDate ASC")
        deals = [self._deal(record) for record in records]
        deals = [deal for deal in deals if deal.modified_at is None or deal.modified_at >= since]
        return sorted(deals, key=lambda deal: deal.modified_at or since)

    def problems(self, mapping: CrmMapping) -> list[str]:
        try:
            lead = self._fields(LEAD, fresh=True)
            account = self._fields("Account", fresh=True)
            opportunity = self._fields("Opportunity", fresh=True)
        except CrmError as error:
            if error.status == 401:
                return [str(error)]
            return [f"Salesforce could not be checked: {error}"]
        found: list[str] = []
        for mapped in (mapping.status, mapping.lifecycle):
            if mapped is not None:
                found += _value_problems(LEAD, lead, mapped)
        company = mapping.company_fields
        for name in (company.industry, company.employees, company.country):
            if name and name not in account:
                found.append(f"Account field {name} does not exist")
        stages = _picklist(opportunity.get("StageName"))
        folded = {stage.casefold() for stage in stages}
        for stage in (*mapping.deal_stages.won, *mapping.deal_stages.lost):
            if stage.casefold() not in folded:
                found.append(f"Opportunity StageName has no value '{stage}' "
                             f"(values: {', '.join(stages)})")
        return found


def _picklist(field: dict[str, Any] | None) -> list[str]:
    return [str(value["value"]) for value in (field or {}).get("picklistValues") or []
            if value.get("active", True)]


def _value_problems(object_name: str, fields: dict[str, dict[str, Any]],
                    mapped: FieldValues) -> list[str]:
    field = fields.get(mapped.field)
    if field is None:
        return [f"{object_name} field {mapped.field} does not exist"]
    found = []
    if not field.get("updateable", True):
        found.append(f"{object_name} field {mapped.field} cannot be written")
    if field.get("type") in ("picklist", "multipicklist"):
        values = _picklist(field)
        for value in dict.fromkeys(mapped.values.values()):
            if value not in values:
                found.append(f"{object_name} {mapped.field} has no value '{value}' "
                             f"(values: {', '.join(values)})")
    return found
