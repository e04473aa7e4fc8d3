"""HubSpot behind the CRM port, through HubSpot's official client (hubspot-api-client) with a
private app's access token. The person is a contact, the company a company (associated), the
qualification a note on both; deals are read with the companies they are associated with."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

from hubspot import HubSpot
from urllib3.exceptions import HTTPError
from urllib3.util.retry import Retry

from baton.domain.companies import company_key
from baton.domain.crm import CrmMapping, employees_of
from baton.services.crm.port import CrmError, Deal, Found, LeadRecord, Records

API_URL = "https://api.hubapi.com"
CONTACT_FIELDS = ["email", "firstname", "lastname", "jobtitle", "hubspot_owner_id",
                  "hs_lead_status", "lifecyclestage"]
DEAL_FIELDS = ["dealname", "dealstage", "amount", "hs_lastmodifieddate"]
# HubSpot-defined association types of a note (v4): to its contact, to its company.
NOTE_TO_CONTACT, NOTE_TO_COMPANY = 202, 190
PAGE = 100
_PATHS = {"contacts": "contacts", "companies": "companies", "deals": "deals",
          "notes": "objects.notes"}
T = TypeVar("T")


class HubSpotCrm:
    """A HubSpot portal, reached at `api_url` with a private app's token."""

    name = "HubSpot"

    def __init__(self, mapping: CrmMapping, *, access_token: str, api_url: str = API_URL,
                 timeout: float = 10.0) -> None:
        self.mapping = mapping
        self.timeout = timeout
        self.api_url = api_url.rstrip("/")
        # The outbox decides when to try again: the client must not retry by itself.
        self._endpoints: dict[str, Any] = {}
        self._client = HubSpot(access_token=access_token, host=api_url.rstrip("/"),
                               retry=Retry(total=0, connect=0, read=0, redirect=0, status=0))

    # -- the port -----------------------------------------------------------------------------
    def look_up(self, *, email: str, domain: str | None, company: str,
                timeout: float) -> Found:
        contact = self._one("contacts", "email", email, CONTACT_FIELDS, timeout) if email else None
        company_row = self._company(domain, company, timeout)
        fields = self.mapping.company_fields
        props = company_row["properties"] if company_row else {}
        owner_id = (contact or {}).get("properties", {}).get("hubspot_owner_id") or props.get(
            "hubspot_owner_id")
        deals = self._open_deals(company_row["id"], timeout) if company_row else ()
        status = (contact or {}).get("properties", {}).get(self.mapping.status.field) or ""
        return Found(
            contact_id=contact["id"] if contact else None,
            company_id=company_row["id"] if company_row else None,
            company_name=props.get("name") or "", owner=self._owner(owner_id, timeout),
            status=status, industry=props.get(fields.industry) or "" if fields.industry else "",
            employees=employees_of(props.get(fields.employees)) if fields.employees else None,
            country=props.get(fields.country) or "" if fields.country else "",
            open_deals=deals)

    def upsert(self, lead: LeadRecord, *, known: Records | None) -> Records:
        company_id = known.company_id if known else None
        if company_id is None and (lead.domain or lead.company):
            found = self._company(lead.domain, lead.company, self.timeout)
            company_id = found["id"] if found else self._create("companies", _company_of(lead))
        person = {"email": lead.email, "firstname": lead.first_name,
                  "lastname": lead.last_name, "jobtitle": lead.title, "company": lead.company}
        person = {k: v for k, v in person.items() if v}
        contact_id = known.person_id if known else None
        if contact_id is None and lead.email:
            found = self._one("contacts", "email", lead.email, ["email"], self.timeout)
            contact_id = found["id"] if found else None
        if contact_id is None:
            contact_id = self._create_contact(person)
        else:
            self._update("contacts", contact_id, person)
        if company_id is not None:
            self._call(lambda: self._endpoint("associations.v4.basic_api").create_default(
                "contacts", contact_id, "companies", company_id,
                _request_timeout=self.timeout))
        return Records(person_id=contact_id, company_id=company_id)

    def set_fields(self, records: Records, fields: dict[str, str]) -> None:
        if fields:
            self._update("contacts", records.person_id, fields)

    def add_note(self, records: Records, *, key: str, title: str, body: str) -> str:
        marker = f"[{key}]"
        existing = self._search("notes", [{"propertyName": "associations.contact",
                                           "operator": "EQ", "value": records.person_id}],
                                ["hs_note_body"], self.timeout, limit=PAGE)
        for note in existing:
            if marker in (note["properties"].get("hs_note_body") or ""):
                return str(note["id"])
        associations = [{"to": {"id": records.person_id}, "types": [
            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": NOTE_TO_CONTACT}]}]
        if records.company_id:
            associations.append({"to": {"id": records.company_id}, "types": [
                {"associationCategory": "HUBSPOT_DEFINED",
                 "associationTypeId": NOTE_TO_COMPANY}]})
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        html = "<br>".join(escape(line) for line in body.splitlines())
        created = self._call(lambda: self._endpoint("objects.notes.basic_api").create(
            {"properties": {"hs_timestamp": stamp, "hs_note_body":
                            f"<p><strong>{escape(title)}</strong> {marker}</p><p>{html}</p>"},
             "associations": associations}, _request_timeout=self.timeout))
        return str(created.id)

    def set_owner(self, records: Records, *, email: str) -> str | None:
        owners = self._call(lambda: self._endpoint("owners.owners_api").get_page(
            email=email, _request_timeout=self.timeout))
        found = [owner for owner in owners.results or []
                 if (owner.email or "").lower() == email.lower()]
        if not found:
            return None
        owner_id = str(found[0].id)
        self._update("contacts", records.person_id, {"hubspot_owner_id": owner_id})
        return owner_id

    def deals_changed(self, since: dt.datetime) -> list[Deal]:
        stamp = str(int(since.timestamp() * 1000))
        rows = self._search("deals", [{"propertyName": "hs_lastmodifieddate", "operator": "GTE",
                                       "value": stamp}], DEAL_FIELDS, self.timeout,
                            sorts=[{"propertyName": "hs_lastmodifieddate",
                                    "direction": "ASCENDING"}], every_page=True)
        companies = self._companies_of([row["id"] for row in rows])
        return [_deal(row, companies.get(row["id"], ())) for row in rows]

    def problems(self, mapping: CrmMapping) -> list[str]:
        found: list[str] = []
        wanted: list[tuple[str, str, tuple[str, ...]]] = [
            ("contacts", mapped.field, tuple(mapped.values.values()))
            for mapped in (mapping.status, mapping.lifecycle) if mapped is not None]
        wanted += [("companies", name, ()) for name in mapping.company_fields.model_dump().values()
                   if name]
        wanted.append(("deals", "dealstage",
                       (*mapping.deal_stages.won, *mapping.deal_stages.lost)))
        for kind, name, values in wanted:
            try:
                prop = self._call(functools.partial(
                    self._endpoint("properties.core_api").get_by_name, kind, name,
                    _request_timeout=self.timeout))
            except CrmError as error:
                if error.status == 401:
                    return [f"HubSpot refused the access token ({error})"]
                if error.status == 404:
                    found.append(f"HubSpot has no {kind[:-1]} property {name!r}")
                    continue
                return [*found, f"HubSpot could not be asked about {kind} {name!r} ({error})"]
            options = [option.value for option in prop.options or []]
            found += [f"HubSpot {kind[:-1]} property {name!r} has no value {value!r} "
                      f"(values: {', '.join(options)})" for value in values if value not in options]
        return found

    # -- HubSpot calls --------------------------------------------------------------------------
    def _call(self, call: Callable[[], T]) -> T:
        """One call; HubSpot's failures as CrmError, with its rate-limit wait when it said."""
        try:
            return call()
        except HTTPError as error:
            said = str(getattr(error, "reason", None) or error)
            said = said[said.index("[Errno"):].rstrip("')") if "[Errno" in said else said
            raise CrmError(f"HubSpot could not be reached at {self.api_url} ({said})",
                           retry=True) from None
        except OSError as error:
            raise CrmError(f"HubSpot could not be reached ({error})", retry=True) from None
        except Exception as error:
            status = getattr(error, "status", None)
            if not isinstance(status, int):
                raise
            raise _failure(status, getattr(error, "body", None),
                           dict(getattr(error, "headers", None) or {})) from None

    def _endpoint(self, path: str) -> Any:
        """One of the client's APIs ("contacts.basic_api"), built once: the client builds a
        new connection pool each time one is asked for."""
        found = self._endpoints.get(path)
        if found is None:
            found = functools.reduce(getattr, path.split("."), self._client.crm)
            self._endpoints[path] = found
        return found

    def _search(self, kind: str, filters: list[dict[str, Any]], properties: list[str],
                timeout: float, *, limit: int = 1, sorts: list[dict[str, str]] | None = None,
                every_page: bool = False) -> list[dict[str, Any]]:
        request: dict[str, Any] = {"filterGroups": [{"filters": filters}],
                                   "properties": properties, "limit": limit}
        if sorts:
            request["sorts"] = sorts
        rows: list[dict[str, Any]] = []
        while True:
            page = self._call(functools.partial(
                self._endpoint(f"{_PATHS[kind]}.search_api").do_search, dict(request),
                _request_timeout=timeout))
            rows += [{"id": str(item.id), "properties": item.properties or {}}
                     for item in page.results or []]
            after = page.paging.next.after if page.paging and page.paging.next else None
            if not every_page or after is None:
                return rows
            request["after"], request["limit"] = after, PAGE

    def _one(self, kind: str, prop: str, value: str, properties: list[str],
             timeout: float) -> dict[str, Any] | None:
        rows = self._search(kind, [{"propertyName": prop, "operator": "EQ", "value": value}],
                            properties, timeout)
        return rows[0] if rows else None

    def _company(self, domain: str | None, name: str, timeout: float) -> dict[str, Any] | None:
        """The company by its email domain, then by name as Baton compares names."""
        fields = ["name", "domain", "hubspot_owner_id",
                  *[f for f in self.mapping.company_fields.model_dump().values() if f]]
        if domain:
            found = self._one("companies", "domain", domain, fields, timeout)
            if found:
                return found
        wanted = company_key(name)
        if not wanted:
            return None
        token = max(wanted.split(), key=len)
        candidates = self._search("companies", [{"propertyName": "name",
                                                 "operator": "CONTAINS_TOKEN", "value": token}],
                                  fields, timeout, limit=PAGE)
        return next((row for row in candidates
                     if company_key(row["properties"].get("name") or "") == wanted), None)

    def _open_deals(self, company_id: str, timeout: float) -> tuple[Deal, ...]:
        rows = self._search("deals", [{"propertyName": "associations.company", "operator": "EQ",
                                       "value": company_id}], DEAL_FIELDS, timeout, limit=PAGE)
        deals = (_deal(row, (company_id,)) for row in rows)
        return tuple(d for d in deals if self.mapping.deal_stages.outcome(d.stage) is None)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - owners change rarely; one client per run
    def _owner_named(self, owner_id: str, timeout: float) -> str:
        owner = self._call(lambda: self._endpoint("owners.owners_api").get_by_id(
            int(owner_id), _request_timeout=timeout))
        name = " ".join(part for part in (owner.first_name, owner.last_name) if part)
        return f"{name} <{owner.email}>" if name else str(owner.email or owner_id)

    def _owner(self, owner_id: str | None, timeout: float) -> str:
        if not owner_id:
            return ""
        try:
            return self._owner_named(owner_id, timeout)
        except CrmError:
            return f"HubSpot owner {owner_id}"

    def _create(self, kind: str, properties: dict[str, str]) -> str:
        created = self._call(lambda: self._endpoint(f"{_PATHS[kind]}.basic_api").create(
            {"properties": properties}, _request_timeout=self.timeout))
        return str(created.id)

    def _create_contact(self, properties: dict[str, str]) -> str:
        try:
            return self._create("contacts", properties)
        except CrmError as error:
            # A contact made with this email since it was looked for (another try, a person):
            # HubSpot names it, and it is updated instead of doubled.
            existing = str(error).rpartition("Existing ID: ")[2].strip(" ).\"'")
            if error.status != 409 or not existing.isdigit():
                raise
            self._update("contacts", existing, properties)
            return existing

    def _update(self, kind: str, record_id: str, properties: dict[str, str]) -> None:
        self._call(lambda: self._endpoint(f"{_PATHS[kind]}.basic_api").update(
            record_id, {"properties": properties}, _request_timeout=self.timeout))

    def _companies_of(self, deal_ids: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for start in range(0, len(deal_ids), PAGE):
            inputs = [{"id": deal_id} for deal_id in deal_ids[start:start + PAGE]]
            answer = self._call(functools.partial(
                self._endpoint("associations.v4.batch_api").get_page, "deals", "companies",
                {"inputs": inputs}, _request_timeout=self.timeout))
            for result in answer.results or []:
                found[str(result._from.id)] = tuple(str(to.to_object_id)
                                                    for to in result.to or [])
        return found


def _company_of(lead: LeadRecord) -> dict[str, str]:
    properties = {"name": lead.company, "domain": lead.domain or "", "industry": lead.industry,
                  "numberofemployees": "" if lead.employees is None else str(lead.employees),
                  "country": lead.country}
    return {k: v for k, v in properties.items() if v}


def _deal(row: dict[str, Any], companies: tuple[str, ...]) -> Deal:
    props = row["properties"]
    try:
        amount = float(props["amount"]) if props.get("amount") else None
    except ValueError:
        amount = None
    modified = props.get("hs_lastmodifieddate") or ""
    try:
        when = dt.datetime.fromisoformat(modified.replace("Z", "+00:00")) if modified else None
    except ValueError:
        when = None
    return Deal(id=row["id"], name=props.get("dealname") or "", stage=props.get("dealstage") or "",
                company_ids=companies, amount=amount, modified_at=when)


def _failure(status: int, body: Any, headers: dict[str, str]) -> CrmError:
    """HubSpot's error answer as a CrmError: 429 and 5xx are worth another try, honouring its
    Retry-After (or its rate-limit window); 4xx are final."""
    try:
        answer = json.loads(body) if isinstance(body, str | bytes) and body else {}
    except ValueError:
        answer = {}
    message = str(answer.get("message") or "no message")[:300] if isinstance(answer, dict) else ""
    category = answer.get("category") or answer.get("errorType") or "" if answer else ""
    retry = status == 429 or status >= 500
    after = None
    if status == 429:
        lower = {k.lower(): v for k, v in headers.items()}
        seconds = lower.get("retry-after") or ""
        window = lower.get("x-hubspot-ratelimit-interval-milliseconds") or ""
        if seconds.isdigit():
            after = float(seconds)
        elif window.isdigit():
            after = int(window) / 1000
    said = f"{category}: {message}" if category else message
    return CrmError(f"HubSpot answered HTTP {status} ({said})", retry=retry, after=after,
                    status=status)
