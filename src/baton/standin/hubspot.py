"""A local, recording stand-in of HubSpot's CRM v3 API over real HTTP (point HUBSPOT_API_URL at
it): contacts, companies, deals and notes with search, associations (v4), owners and property
definitions, answered as HubSpot documents them, its errors and rate limits included."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "pat-na1-standin"
OBJECTS = ("contacts", "companies", "deals", "notes")
# HubSpot-defined association type ids (v4), by (from, to).
ASSOCIATION_TYPES = {("contacts", "companies"): 279, ("companies", "contacts"): 280,
                     ("deals", "companies"): 341, ("companies", "deals"): 342,
                     ("notes", "contacts"): 202, ("notes", "companies"): 190,
                     ("contacts", "notes"): 201, ("companies", "notes"): 189}
_SINGULAR = {"contact": "contacts", "company": "companies", "deal": "deals", "note": "notes"}
LEAD_STATUSES = ("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                 "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING")
LIFECYCLE_STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                    "opportunity", "customer", "evangelist", "other")
DEAL_STAGES = ("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
               "decisionmakerboughtin", "contractsent", "closedwon", "closedlost")
_TEXT = ("firstname", "lastname", "email", "jobtitle", "company", "hubspot_owner_id", "name",
         "domain", "industry", "numberofemployees", "country", "city", "dealname", "amount",
         "hs_note_body", "hs_timestamp", "pipeline", "closedate")
PROPERTIES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "contacts": {"hs_lead_status": LEAD_STATUSES, "lifecyclestage": LIFECYCLE_STAGES}
    | dict.fromkeys(("firstname", "lastname", "email", "jobtitle", "company",
                     "hubspot_owner_id", "country", "industry")),
    "companies": {"lifecyclestage": LIFECYCLE_STAGES}
    | dict.fromkeys(("name", "domain", "industry", "numberofemployees", "country",
                     "hubspot_owner_id", "city")),
    "deals": {"dealstage": DEAL_STAGES}
    | dict.fromkeys(("dealname", "amount", "pipeline", "closedate", "hubspot_owner_id")),
    "notes": dict.fromkeys(("hs_note_body", "hs_timestamp", "hubspot_owner_id")),
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Fault:
    """An answer given instead of the real one (or after it, when `applied`)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    applied: bool = False


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any
    status: int


class HubSpotError(Exception):
    def __init__(self, status: int, message: str, category: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.body = status, {"status": "error", "message": message,
                                          "correlationId": str(uuid.uuid4()),
                                          "category": category, **extra}


def rate_limited() -> Fault:
    """HubSpot's answer past its per-second limit, with its rate-limit headers."""
    return Fault(429, {"status": "error", "message": "You have reached your secondly limit.",
                       "errorType": "RATE_LIMIT", "correlationId": str(uuid.uuid4()),
                       "policyName": "SECONDLY"},
                 {"X-HubSpot-RateLimit-Interval-Milliseconds": "1000",
                  "X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Remaining": "0",
                  "Retry-After": "1"})


def server_error(status: int = 500) -> Fault:
    return Fault(status, {"status": "error", "message": "internal error",
                          "correlationId": str(uuid.uuid4()), "category": "INTERNAL_ERROR"})


class HubSpotStandin:
    """HubSpot's CRM on loopback: seed records, read what Baton wrote, make it fail."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.records: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in OBJECTS}
        self.associations: set[tuple[str, str, str, str]] = set()
        self.owners: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        # While set, every call is answered with it (an outage), until cleared.
        self.outage: Fault | None = None
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # -- running ---------------------------------------------------------------------------
    def start(self) -> HubSpotStandin:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> HubSpotStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stand-in first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- seeding and reading -----------------------------------------------------------------
    def add(self, kind: str, **properties: Any) -> str:
        """A record of `kind` (contacts, companies, deals, notes) as if made in HubSpot."""
        with self._lock:
            return self._create(kind, {k: str(v) for k, v in properties.items()})

    def update(self, kind: str, record_id: str, **properties: Any) -> None:
        with self._lock:
            self._update(kind, record_id, {k: str(v) for k, v in properties.items()})

    def associate(self, kind: str, record_id: str, to_kind: str, to_id: str) -> None:
        with self._lock:
            self.associations |= {(kind, record_id, to_kind, to_id),
                                  (to_kind, to_id, kind, record_id)}

    def add_owner(self, email: str, first: str, last: str) -> str:
        owner_id = str(next(self._ids))
        self.owners[owner_id] = {"id": owner_id, "email": email, "firstName": first,
                                 "lastName": last, "userId": int(owner_id), "archived": False,
                                 "createdAt": _now(), "updatedAt": _now(), "teams": []}
        return owner_id

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every record of `kind`, its properties with its id."""
        with self._lock:
            return [{"id": rid, **row["properties"]} for rid, row in self.records[kind].items()]

    def associated(self, kind: str, record_id: str, to_kind: str) -> list[str]:
        with self._lock:
            return sorted(t for f, fid, tk, t in self.associations
                          if f == kind and fid == record_id and tk == to_kind)

    def fail_next(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def writes(self) -> list[Call]:
        return [call for call in self.calls if call.method in ("POST", "PATCH", "PUT")
                and not call.path.endswith(("/search", "/batch/read")) and call.status < 300]

    # -- the API ---------------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any,
               authorization: str) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            fault = self.outage or (self.faults.pop(0) if self.faults else None)
            if fault is not None and not fault.applied:
                return fault.status, fault.body, fault.headers
            if authorization != f"Bearer {self.token}":
                error = HubSpotError(401, "Authentication credentials not found. This API "
                                     "supports OAuth 2.0 authentication.",
                                     "INVALID_AUTHENTICATION")
                return error.status, error.body, {}
            try:
                status, answer = self._route(method, path, query, body)
            except HubSpotError as error:
                return error.status, error.body, {}
            except (KeyError, TypeError, ValueError) as error:
                failed = HubSpotError(400, f"Invalid input JSON: {error}", "VALIDATION_ERROR")
                return failed.status, failed.body, {}
            if fault is not None:
                return fault.status, fault.body, fault.headers
            return status, answer, {}

    def _route(self, method: str, path: str, query: dict[str, list[str]],
               body: Any) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        match method, parts:
            case "GET", ["crm", "v3", "owners", *rest]:
                return 200, self._owners(rest, query)
            case "GET", ["crm", "v3", "properties", kind, name]:
                return 200, self._property(kind, name)
            case "POST", ["crm", "v3", "objects", kind, "search"]:
                return 200, self._search(self._kind(kind), body or {})
            case "POST", ["crm", "v3", "objects", kind]:
                return 201, self._create_input(self._kind(kind), body or {})
            case "PATCH", ["crm", "v3", "objects", kind, record_id]:
                self._update(self._kind(kind), record_id, self._checked(kind, body))
                return 200, self._public(self._kind(kind), record_id)
            case "GET", ["crm", "v3", "objects", kind, record_id]:
                props = (query.get("properties") or [""])[0].split(",")
                return 200, self._public(self._kind(kind), record_id, props)
            case "PUT", ["crm", "v4", "objects", kind, record_id, "associations", "default",
                         to_kind, to_id]:
                return 200, self._associate_default(kind, record_id, to_kind, to_id)
            case "POST", ["crm", "v4", "associations", kind, to_kind, "batch", "read"]:
                return 200, self._read_associations(kind, to_kind, body or {})
        raise HubSpotError(404, f"No route for {method} {path}", "OBJECT_NOT_FOUND")

    def _kind(self, kind: str) -> str:
        kind = _SINGULAR.get(kind, kind)
        if kind not in OBJECTS:
            raise HubSpotError(400, f"Unable to infer object type from: {kind}",
                               "VALIDATION_ERROR")
        return kind

    def _checked(self, kind: str, body: Any) -> dict[str, str]:
        """The properties of a write, as HubSpot validates them: every one must exist, and an
        enumeration's value must be one of its options."""
        kind = self._kind(kind)
        given = (body or {}).get("properties") or {}
        problems = []
        for name, value in given.items():
            if name not in PROPERTIES[kind]:
                problems.append({"isValid": False, "message": f'Property "{name}" does not exist',
                                 "error": "PROPERTY_DOESNT_EXIST", "name": name})
                continue
            options = PROPERTIES[kind][name]
            if options is not None and value not in options and value != "":
                problems.append({"isValid": False, "message": f"{value} was not one of the "
                                 f"allowed options: {list(options)}",
                                 "error": "INVALID_OPTION", "name": name})
        if problems:
            raise HubSpotError(400, f"Property values were not valid: {json.dumps(problems)}",
                               "VALIDATION_ERROR", errors=problems)
        return {name: "" if value is None else str(value) for name, value in given.items()}

    def _create_input(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        properties = self._checked(kind, body)
        email = properties.get("email", "").lower()
        if kind == "contacts" and email:
            for rid, row in self.records[kind].items():
                if row["properties"].get("email", "").lower() == email:
                    raise HubSpotError(409, f"Contact already exists. Existing ID: {rid}",
                                       "CONFLICT")
        record_id = self._create(kind, properties)
        for association in body.get("associations") or []:
            to_id = str(association["to"]["id"])
            to_kind = next((k for (f, k), n in ASSOCIATION_TYPES.items()
                            if f == kind and n == association["types"][0]["associationTypeId"]),
                           None)
            if to_kind is None or to_id not in self.records[to_kind]:
                raise HubSpotError(400, f"Invalid association to {to_id}", "VALIDATION_ERROR")
            self.associate(kind, record_id, to_kind, to_id)
        return self._public(kind, record_id)

    def _create(self, kind: str, properties: dict[str, str]) -> str:
        record_id, now = str(next(self._ids)), _now()
        if kind == "contacts" and "lifecyclestage" not in properties:
            properties = {**properties, "lifecyclestage": "lead"}
        self.records[kind][record_id] = {
            "properties": {**properties, "hs_object_id": record_id, "createdate": now,
                           "lastmodifieddate": now, "hs_lastmodifieddate": now},
            "createdAt": now, "updatedAt": now}
        return record_id

    def _update(self, kind: str, record_id: str, properties: dict[str, str]) -> None:
        row = self.records[kind].get(record_id)
        if row is None:
            raise HubSpotError(404, f"resource not found: {record_id}", "OBJECT_NOT_FOUND")
        now = _now()
        row["properties"].update(properties, lastmodifieddate=now, hs_lastmodifieddate=now)
        row["updatedAt"] = now

    def _public(self, kind: str, record_id: str,
                wanted: list[str] | None = None) -> dict[str, Any]:
        row = self.records[kind].get(record_id)
        if row is None:
            raise HubSpotError(404, f"resource not found: {record_id}", "OBJECT_NOT_FOUND")
        shown = {"hs_object_id", "createdate", "lastmodifieddate", "hs_lastmodifieddate",
                 *(wanted or row["properties"])}
        return {"id": record_id, "archived": False, "createdAt": row["createdAt"],
                "updatedAt": row["updatedAt"],
                "properties": {k: v for k, v in row["properties"].items() if k in shown}}

    def _search(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        groups = body.get("filterGroups") or [{"filters": []}]
        found = [rid for rid in self.records[kind]
                 if any(all(self._matches(kind, rid, f) for f in g.get("filters", []))
                        for g in groups)]
        for sort in reversed(body.get("sorts") or []):
            name = sort["propertyName"] if isinstance(sort, dict) else str(sort)
            descending = isinstance(sort, dict) and sort.get("direction") == "DESCENDING"
            found.sort(key=lambda rid: self.records[kind][rid]["properties"].get(name, ""),
                       reverse=descending)
        start, limit = int(body.get("after") or 0), int(body.get("limit") or 10)
        page = found[start:start + limit]
        answer: dict[str, Any] = {"total": len(found), "results": [
            self._public(kind, rid, list(body.get("properties") or [])) for rid in page]}
        if start + limit < len(found):
            answer["paging"] = {"next": {"after": str(start + limit)}}
        return answer

    def _matches(self, kind: str, record_id: str, rule: dict[str, Any]) -> bool:
        name, operator = rule["propertyName"], rule["operator"]
        if name.startswith("associations."):
            to_kind = _SINGULAR.get(name.split(".", 1)[1], name.split(".", 1)[1])
            return str(rule.get("value")) in self.associated(kind, record_id, to_kind)
        raw = str(self.records[kind][record_id]["properties"].get(name, ""))
        have, value = raw.lower(), str(rule.get("value", "")).lower()
        if operator == "EQ":
            return have == value
        if operator == "NEQ":
            return have != value
        if operator in ("GT", "GTE", "LT", "LTE"):
            if not have:
                return False
            left, right = _comparable(raw), _comparable(str(rule.get("value", "")))
            if left is None or right is None:
                return False
            return {"GT": left > right, "GTE": left >= right, "LT": left < right,
                    "LTE": left <= right}[operator]
        if operator == "IN":
            return have in [str(v).lower() for v in rule.get("values", [])]
        if operator == "CONTAINS_TOKEN":
            return value.strip("*") in re.split(r"[^\w]+", have)
        if operator == "HAS_PROPERTY":
            return bool(have)
        raise HubSpotError(400, f"Unsupported operator {operator}", "VALIDATION_ERROR")

    def _owners(self, rest: list[str], query: dict[str, list[str]]) -> dict[str, Any]:
        if rest and rest[0]:
            owner = self.owners.get(rest[0])
            if owner is None:
                raise HubSpotError(404, f"Owner {rest[0]} not found", "OBJECT_NOT_FOUND")
            return owner
        email = (query.get("email") or [""])[0].lower()
        return {"results": [o for o in self.owners.values()
                            if not email or o["email"].lower() == email]}

    def _property(self, kind: str, name: str) -> dict[str, Any]:
        kind = self._kind(kind)
        if name not in PROPERTIES[kind]:
            raise HubSpotError(404, f"Unable to find property {name}", "OBJECT_NOT_FOUND")
        options = PROPERTIES[kind][name]
        return {"name": name, "label": name.replace("_", " ").title(), "groupName": "info",
                "type": "enumeration" if options else "string",
                "fieldType": "select" if options else "text", "description": "",
                "options": [{"label": v.replace("_", " ").title(), "value": v,
                             "displayOrder": i, "hidden": False}
                            for i, v in enumerate(options or ())],
                "createdAt": _now(), "updatedAt": _now(), "archived": False,
                "hidden": False, "formField": True, "calculated": False,
                "externalOptions": False, "hasUniqueValue": False, "displayOrder": 0,
                "modificationMetadata": {"archivable": True, "readOnlyDefinition": True,
                                         "readOnlyValue": False}}

    def _associate_default(self, kind: str, record_id: str, to_kind: str,
                           to_id: str) -> dict[str, Any]:
        kind, to_kind = self._kind(kind), self._kind(to_kind)
        for k, rid in ((kind, record_id), (to_kind, to_id)):
            if rid not in self.records[k]:
                raise HubSpotError(404, f"resource not found: {rid}", "OBJECT_NOT_FOUND")
        self.associate(kind, record_id, to_kind, to_id)
        return {"status": "COMPLETE", "results": [
            {"from": {"id": record_id}, "to": {"id": to_id},
             "associationSpec": {"associationCategory": "HUBSPOT_DEFINED",
                                 "associationTypeId": ASSOCIATION_TYPES[(kind, to_kind)]}}],
            "startedAt": _now(), "completedAt": _now()}

    def _read_associations(self, kind: str, to_kind: str, body: dict[str, Any],
                           ) -> dict[str, Any]:
        kind, to_kind = self._kind(kind), self._kind(to_kind)
        results = []
        for item in body.get("inputs") or []:
            found = self.associated(kind, str(item["id"]), to_kind)
            if found:
                results.append({"from": {"id": str(item["id"])}, "to": [
                    {"toObjectId": int(t), "associationTypes": [
                        {"category": "HUBSPOT_DEFINED",
                         "typeId": ASSOCIATION_TYPES[(kind, to_kind)], "label": None}]}
                    for t in found]})
        return {"status": "COMPLETE", "results": results, "startedAt": _now(),
                "completedAt": _now()}


def _comparable(text: str) -> float | None:
    """A number, or a date as HubSpot filters take them (ISO text or epoch milliseconds);
    None for text that is neither."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000
    except ValueError:
        return None


def _handler(standin: HubSpotStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            status, answer, headers = standin.answer(
                self.command, parts.path, parse_qs(parts.query), body,
                self.headers.get("Authorization", ""))
            standin.calls.append(Call(self.command, parts.path, body, status))
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller gave up waiting: HubSpot's answer goes nowhere

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
