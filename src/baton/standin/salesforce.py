"""A local, recording stand-in of Salesforce's REST API over HTTPS, shaped from Salesforce's
public REST API documentation: SOQL query (with nextRecordsUrl paging), sObject create, read,
update, delete and describe, and errors as Salesforce returns them (a JSON list of
{message, errorCode, fields}).

simple-salesforce always speaks https://, so the stand-in serves TLS on 127.0.0.1 with a
certificate from a throwaway trustme CA: point REQUESTS_CA_BUNDLE (or requests' `verify=`) at
`ca_path` to trust it.

    with SalesforceStandin() as sf:
        lead = sf.add("Lead", LastName="Reyes", Company="Acme", Email="dana@acme.example")
        Salesforce(instance_url=sf.instance_url, session_id=sf.access_token)
        sf.records("Lead"), sf.calls, sf.fail_next(503)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import trustme

API_VERSION = "59.0"  # simple_salesforce.api.DEFAULT_API_VERSION (1.12)
PAGE_SIZE = 2000  # records per query answer before nextRecordsUrl, as Salesforce's default

LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                 "Closed - Not Converted")
OPPORTUNITY_STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
                      "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
                      "Negotiation/Review", "Closed Won", "Closed Lost")
TASK_STATUSES = ("Not Started", "In Progress", "Completed", "Waiting on someone else",
                 "Deferred")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an sObject as describe tells it."""

    type: str = "string"
    updateable: bool = True
    picklist: tuple[str, ...] = ()
    restricted: bool = False  # a restricted picklist refuses values not in it
    reference_to: tuple[str, ...] = ()
    required: bool = False  # on create


def _f(**kwargs: Any) -> FieldSpec:
    return FieldSpec(**kwargs)


READ_ONLY = _f(updateable=False)
SYSTEM = {"Id": _f(type="id", updateable=False),
          "LastModifiedDate": _f(type="datetime", updateable=False),
          "SystemModstamp": _f(type="datetime", updateable=False),
          "CreatedDate": _f(type="datetime", updateable=False)}
OWNER = _f(type="reference", reference_to=("User",))

OBJECTS: dict[str, tuple[str, dict[str, FieldSpec]]] = {
    "Lead": ("00Q", {
        "FirstName": _f(), "LastName": _f(required=True), "Email": _f(type="email"),
        "Company": _f(required=True), "Title": _f(), "Industry": _f(type="picklist"),
        "NumberOfEmployees": _f(type="int"), "Country": _f(), "Website": _f(type="url"),
        "Status": _f(type="picklist", picklist=LEAD_STATUSES, restricted=True),
        "OwnerId": OWNER, "IsConverted": _f(type="boolean", updateable=False),
        "ConvertedAccountId": _f(type="reference", updateable=False,
                                 reference_to=("Account",)),
    }),
    "Contact": ("003", {
        "FirstName": _f(), "LastName": _f(required=True), "Email": _f(type="email"),
        "Title": _f(), "AccountId": _f(type="reference", reference_to=("Account",)),
        "OwnerId": OWNER,
    }),
    "Account": ("001", {
        "Name": _f(required=True), "Website": _f(type="url"), "Industry": _f(type="picklist"),
        "NumberOfEmployees": _f(type="int"), "BillingCountry": _f(), "OwnerId": OWNER,
    }),
    "Opportunity": ("006", {
        "Name": _f(required=True),
        "StageName": _f(type="picklist", picklist=OPPORTUNITY_STAGES, restricted=True,
                        required=True),
        "Amount": _f(type="currency"),
        "AccountId": _f(type="reference", reference_to=("Account",)),
        "IsClosed": _f(type="boolean", updateable=False),
        "IsWon": _f(type="boolean", updateable=False), "OwnerId": OWNER,
    }),
    "Task": ("00T", {
        "Subject": _f(type="combobox"), "Description": _f(type="textarea"),
        "WhoId": _f(type="reference", reference_to=("Lead", "Contact")),
        "WhatId": _f(type="reference", reference_to=("Account", "Opportunity")),
        "Status": _f(type="picklist", picklist=TASK_STATUSES, restricted=True),
        "ActivityDate": _f(type="date"), "OwnerId": OWNER,
    }),
    "User": ("005", {
        "Email": _f(type="email"), "Name": _f(updateable=False), "FirstName": _f(),
        "LastName": _f(required=True), "IsActive": _f(type="boolean"),
    }),
}
# Relationship names a query may follow: Owner.Email, Account.Name, ...
RELATIONSHIPS = {"Owner": "OwnerId", "Account": "AccountId", "Who": "WhoId", "What": "WhatId",
                 "ConvertedAccount": "ConvertedAccountId"}
DEFAULTS: dict[str, dict[str, Any]] = {
    "Lead": {"Status": "Open - Not Contacted", "IsConverted": False},
    "Task": {"Status": "Not Started"},
    "User": {"IsActive": True},
}


def fields_of(object_name: str) -> dict[str, FieldSpec]:
    return {**SYSTEM, **OBJECTS[object_name][1]}


def salesforce_time(at: dt.datetime | None = None) -> str:
    """A datetime as Salesforce returns it: 2026-12-05T14:03:11.000+0000."""
    at = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


def parse_time(text: str) -> dt.datetime:
    """Salesforce's datetimes and SOQL datetime literals, with Z, +0000 or +00:00."""
    text = re.sub(r"Z$", "+00:00", text.strip())
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    return dt.datetime.fromisoformat(text)


def full_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: the 15-character id and its case-checksum suffix."""
    short = f"{prefix}8d{number:010d}"
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    suffix = ""
    for chunk in (short[0:5], short[5:10], short[10:15]):
        bits = sum(1 << i for i, char in enumerate(chunk) if "A" <= char <= "Z")
        suffix += alphabet[bits]
    return short + suffix


class SalesforceApiError(Exception):
    """An answer Salesforce gives as an error: its status and the error list."""

    def __init__(self, status: int, error_code: str, message: str,
                 fields: list[str] | None = None) -> None:
        super().__init__(f"{error_code}: {message}")
        self.status = status
        self.body: list[dict[str, Any]] = [{"message": message, "errorCode": error_code}]
        if fields is not None:
            self.body[0]["fields"] = fields


def _no_column(name: str, object_name: str) -> SalesforceApiError:
    return SalesforceApiError(
        400, "INVALID_FIELD",
        f"No such column '{name}' on entity '{object_name}'. If you are attempting to use a "
        "custom field, be sure to append the '__c' after the custom field name. Please "
        "reference your WSDL or the describe call for the appropriate names.")


def _not_found() -> SalesforceApiError:
    return SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")


# ---------------------------------------------------------------------------------------------
# A tiny SOQL reader: SELECT f, ... FROM Obj [WHERE c AND c ...] [ORDER BY f [ASC|DESC]] [LIMIT n]

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<datetime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>!=|<>|>=|<=|=|<|>|\(|\)|,)
  | (?P<word>[A-Za-z_][\w.]*)
)""", re.VERBOSE)


class Condition(NamedTuple):
    field: str
    op: str  # =, !=, <, <=, >, >=, IN, LIKE
    value: Any


class Query(NamedTuple):
    fields: list[str]
    object_name: str
    where: list[Condition]
    order_by: tuple[str, bool] | None  # (field, descending)
    limit: int | None


def _tokens(soql: str) -> list[tuple[str, str]]:
    found, at = [], 0
    soql = soql.rstrip()
    while at < len(soql):
        match = _TOKEN.match(soql, at)
        if not match or match.end() == at:
            raise SalesforceApiError(400, "MALFORMED_QUERY",
                                     f"unexpected token: '{soql[at:].split()[0]}'")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


def _literal(kind: str, text: str) -> Any:
    if kind == "string":
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    if kind == "datetime":
        return parse_time(text)
    if kind == "number":
        return float(text) if "." in text else int(text)
    if kind == "word" and text.lower() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text.lower()]
    raise SalesforceApiError(400, "MALFORMED_QUERY", f"unexpected token: '{text}'")


def parse_soql(soql: str) -> Query:
    tokens = _tokens(soql)
    position = 0

    def take(kind: str | None = None, word: str | None = None) -> str:
        nonlocal position
        if position >= len(tokens):
            raise SalesforceApiError(400, "MALFORMED_QUERY", "unexpected end of query")
        got_kind, text = tokens[position]
        if (kind and got_kind != kind) or (word and text.upper() != word):
            raise SalesforceApiError(400, "MALFORMED_QUERY", f"unexpected token: '{text}'")
        position += 1
        return text

    def at_word(word: str) -> bool:
        return position < len(tokens) and tokens[position][1].upper() == word

    take("word", "SELECT")
    fields = [take("word")]
    while at_word(","):
        take("op")
        fields.append(take("word"))
    take("word", "FROM")
    object_name = take("word")
    where: list[Condition] = []
    if at_word("WHERE"):
        take()
        while True:
            name = take("word")
            kind, op = tokens[position] if position < len(tokens) else ("", "")
            position += 1
            op = op.upper()
            if op == "IN":
                take("op")
                values = []
                while True:
                    value_kind, text = tokens[position]
                    position += 1
                    values.append(_literal(value_kind, text))
                    if take("op") == ")":
                        break
                where.append(Condition(name, "IN", values))
            elif op == "LIKE" or (kind == "op" and op not in "(),"):
                value_kind, text = tokens[position]
                position += 1
                where.append(Condition(name, {"<>": "!="}.get(op, op),
                                       _literal(value_kind, text)))
            else:
                raise SalesforceApiError(400, "MALFORMED_QUERY", f"unexpected token: '{op}'")
            if not at_word("AND"):
                break
            take()
    order_by = None
    if at_word("ORDER"):
        take()
        take("word", "BY")
        name = take("word")
        descending = False
        if at_word("ASC") or at_word("DESC"):
            descending = take().upper() == "DESC"
        order_by = (name, descending)
    limit = None
    if at_word("LIMIT"):
        take()
        limit = int(take("number"))
    if position != len(tokens):
        raise SalesforceApiError(400, "MALFORMED_QUERY",
                                 f"unexpected token: '{tokens[position][1]}'")
    return Query(fields, object_name, where, order_by, limit)


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", value):
            return parse_time(value)
        return value.casefold()  # SOQL compares text case-insensitively
    return value


def _matches(value: Any, condition: Condition) -> bool:
    wanted = condition.value
    if condition.op == "IN":
        return _comparable(value) in [_comparable(item) for item in wanted]
    if condition.op == "LIKE":
        if value is None:
            return False
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c)
                          for c in str(wanted))
        return re.fullmatch(pattern, str(value), re.IGNORECASE | re.DOTALL) is not None
    left, right = _comparable(value), _comparable(wanted)
    if condition.op == "=":
        return left == right
    if condition.op == "!=":
        return left != right
    if left is None or right is None:
        return False
    try:
        return bool({"<": left < right, "<=": left <= right, ">": left > right,
                     ">=": left >= right}[condition.op])
    except TypeError:
        return False


# ---------------------------------------------------------------------------------------------


class SalesforceCall(NamedTuple):
    """One request the stand-in received: method, path, query arguments and JSON body."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class _Fault:
    status: int
    error_code: str
    message: str
    headers: dict[str, str]
    count: int = 1
    until: float | None = None  # a fault for some seconds, rather than for `count` calls
    method: str | None = None  # only calls of this HTTP method (POST, PATCH, ...) fail

    def applies(self, method: str) -> bool:
        return self.method is None or self.method == method.upper()


DEFAULT_FAULTS = {
    401: ("INVALID_SESSION_ID", "Session expired or invalid"),
    403: ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
    404: ("NOT_FOUND", "The requested resource does not exist"),
    429: ("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
    500: ("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId "
                               "if you contact support: 1234567890-12345 (-123456789)"),
    503: ("SERVER_UNAVAILABLE", "Server temporarily unavailable; please try again later."),
}


class SalesforceStandin:
    """Salesforce's REST API on https://127.0.0.1:PORT, with in-memory Leads, Contacts,
    Accounts, Opportunities, Tasks and Users."""

    def __init__(self, access_token: str = "00Dstandin!token") -> None:
        self.access_token = access_token
        self.api_version = API_VERSION
        self.page_size = PAGE_SIZE
        self.calls: list[SalesforceCall] = []
        self._objects: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in OBJECTS}
        self._numbers = 0
        self._faults: list[_Fault] = []
        self._cursors: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="salesforce-standin-")
        self._ca = trustme.CA()
        self.ca_path = str(Path(self._dir.name) / "ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_path)
        # The user the token belongs to, owner of what is created without an OwnerId.
        self.api_user_id = self.add("User", FirstName="Integration", LastName="User",
                                    Email="integration@standin.example")

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> SalesforceStandin:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        name="salesforce-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._dir.cleanup()

    def __enter__(self) -> SalesforceStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the stand-in first"
        return int(self._server.server_address[1])

    @property
    def instance_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def base_path(self) -> str:
        return f"/services/data/v{self.api_version}"

    # -- seeding and inspection --------------------------------------------------------------

    def add(self, object_name: str, **fields: Any) -> str:
        """Seed a record as an admin would (no validation); its new id."""
        with self._lock:
            spec = fields_of(object_name)
            unknown = [name for name in fields if name not in spec]
            if unknown:
                raise KeyError(f"{object_name} has no field {unknown[0]}")
            self._numbers += 1
            record_id = full_id(OBJECTS[object_name][0], self._numbers)
            now = salesforce_time()
            record: dict[str, Any] = dict.fromkeys(spec)
            record.update(DEFAULTS.get(object_name, {}))
            if "OwnerId" in spec and object_name != "User":
                record["OwnerId"] = getattr(self, "api_user_id", None)
            record.update(Id=record_id, CreatedDate=now, LastModifiedDate=now,
                          SystemModstamp=now)
            record.update(fields)
            self._derive(object_name, record)
            self._objects[object_name][record_id] = record
            return record_id

    def records(self, object_name: str) -> list[dict[str, Any]]:
        """Copies of every record of an object, oldest first."""
        with self._lock:
            return [dict(record) for record in self._objects[object_name].values()]

    def get(self, object_name: str, record_id: str) -> dict[str, Any] | None:
        with self._lock:
            record = self._objects[object_name].get(record_id)
            return dict(record) if record else None

    def update(self, object_name: str, record_id: str, **fields: Any) -> None:
        """Change a record as a user in Salesforce would: LastModifiedDate becomes now (unless
        given), an Opportunity's IsClosed/IsWon follow its StageName."""
        with self._lock:
            record = self._objects[object_name][record_id]
            now = salesforce_time()
            record.update(LastModifiedDate=now, SystemModstamp=now)
            record.update(fields)
            self._derive(object_name, record)

    def fail_next(self, status: int, count: int = 1, error_code: str | None = None,
                  message: str | None = None, headers: dict[str, str] | None = None, *,
                  method: str | None = None) -> None:
        """Answer the next `count` calls (of `method` only, when given) with this error,
        before (and instead of) handling them: nothing changes."""
        with self._lock:
            self._faults.append(self._fault(status, error_code, message, headers, count=count,
                                            method=method))

    def fail_for(self, seconds: float, status: int, error_code: str | None = None,
                 message: str | None = None, headers: dict[str, str] | None = None, *,
                 method: str | None = None) -> None:
        """Answer every call (of `method` only, when given) with this error for `seconds`."""
        with self._lock:
            self._faults.append(self._fault(status, error_code, message, headers, count=0,
                                            until=time.monotonic() + seconds, method=method))

    def heal(self) -> None:
        """Forget every fault still queued."""
        with self._lock:
            self._faults.clear()

    def calls_to(self, method: str, path_part: str = "") -> list[SalesforceCall]:
        return [call for call in self.calls if call.method == method and path_part in call.path]

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _fault(status: int, error_code: str | None, message: str | None,
               headers: dict[str, str] | None, *, count: int,
               until: float | None = None, method: str | None = None) -> _Fault:
        code, text = DEFAULT_FAULTS.get(status, ("UNKNOWN_EXCEPTION", "An error occurred"))
        return _Fault(status, error_code or code, message or text, dict(headers or {}),
                      count=count, until=until, method=method.upper() if method else None)

    def _next_fault(self, method: str) -> _Fault | None:
        with self._lock:
            now = time.monotonic()
            self._faults = [f for f in self._faults if f.until is None or now < f.until]
            for fault in self._faults:
                if not fault.applies(method):
                    continue
                if fault.until is None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
            return None

    def _derive(self, object_name: str, record: dict[str, Any]) -> None:
        if object_name == "Opportunity":
            stage = record.get("StageName") or ""
            record["IsWon"] = stage == "Closed Won"
            record["IsClosed"] = stage in ("Closed Won", "Closed Lost")
        if object_name == "User":
            record["Name"] = " ".join(
                part for part in (record.get("FirstName"), record.get("LastName")) if part)

    def _object(self, name: str) -> str:
        for known in OBJECTS:
            if known.lower() == name.lower():
                return known
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")

    def _url_of(self, object_name: str, record_id: str) -> str:
        return f"{self.base_path}/sobjects/{object_name}/{record_id}"

    def _find(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        for object_name, records in self._objects.items():
            if record_id in records:
                return object_name, records[record_id]
        return None

    def _checked_write(self, object_name: str, body: Any, *, creating: bool) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SalesforceApiError(400, "JSON_PARSER_ERROR",
                                     "The request body must be a JSON object")
        spec = fields_of(object_name)
        for name, value in body.items():
            field = spec.get(name)
            if field is None:
                raise SalesforceApiError(
                    400, "INVALID_FIELD",
                    f"No such column '{name}' on sobject of type {object_name}")
            if not field.updateable:
                raise SalesforceApiError(
                    400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    f"Unable to create/update fields: {name}. Please check the security "
                    "settings of this field and verify that it is read/write for your profile "
                    "or permission set.", [name])
            if field.restricted and value not in field.picklist and value is not None:
                raise SalesforceApiError(
                    400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{name}: bad value for restricted picklist "
                    f"field: {value}", [name])
            if field.type == "int" and value is not None and (
                    not isinstance(value, int) or isinstance(value, bool)):
                raise SalesforceApiError(
                    400, "JSON_PARSER_ERROR",
                    f"Cannot deserialize instance of int from {type(value).__name__} value "
                    f"{value!r} at [line:1] for field {name}")
            if field.reference_to and value is not None:
                found = self._find(str(value))
                if found is None or found[0] not in field.reference_to:
                    raise SalesforceApiError(
                        400, "INVALID_CROSS_REFERENCE_KEY",
                        "invalid cross reference id", [name])
                if found[0] == "User" and not found[1].get("IsActive"):
                    raise SalesforceApiError(
                        400, "INACTIVE_OWNER_OR_USER", "operation performed with inactive user",
                        [name])
        if creating:
            missing = [name for name, field in spec.items() if field.required
                       and body.get(name) in (None, "")]
            if missing:
                raise SalesforceApiError(400, "REQUIRED_FIELD_MISSING",
                                         f"Required fields are missing: [{', '.join(missing)}]",
                                         missing)
        return body

    def _column(self, object_name: str, record: dict[str, Any], name: str) -> Any:
        """A record's value of a field or a relationship field (Owner.Email)."""
        spec = fields_of(object_name)
        if "." in name:
            relationship, _, rest = name.partition(".")
            key = next((r for r in RELATIONSHIPS if r.lower() == relationship.lower()), None)
            if key is None or RELATIONSHIPS[key] not in spec:
                raise SalesforceApiError(
                    400, "INVALID_FIELD",
                    f"Didn't understand relationship '{relationship}' in field path. If you "
                    "are attempting to use a custom relationship, be sure to append the '__r' "
                    "after the custom relationship name.")
            target = self._find(str(record.get(RELATIONSHIPS[key])))
            if target is None:
                if rest not in fields_of(spec[RELATIONSHIPS[key]].reference_to[0]):
                    raise _no_column(rest, spec[RELATIONSHIPS[key]].reference_to[0])
                return None
            return self._column(target[0], target[1], rest)
        actual = next((f for f in spec if f.lower() == name.lower()), None)
        if actual is None:
            raise _no_column(name, object_name)
        return record.get(actual)

    def _selected(self, object_name: str, record: dict[str, Any],
                  fields: list[str]) -> dict[str, Any]:
        row: dict[str, Any] = {"attributes": {"type": object_name,
                                              "url": self._url_of(object_name, record["Id"])}}
        for name in fields:
            value = self._column(object_name, record, name)
            if "." not in name:
                actual = next(f for f in fields_of(object_name) if f.lower() == name.lower())
                row[actual] = value
                continue
            relationship, _, rest = name.partition(".")
            key = next(r for r in RELATIONSHIPS if r.lower() == relationship.lower())
            target = self._find(str(record.get(RELATIONSHIPS[key])))
            if target is None:
                row[key] = None
                continue
            nested = row.get(key) or {"attributes": {
                "type": target[0], "url": self._url_of(target[0], target[1]["Id"])}}
            nested[rest] = value
            row[key] = nested
        return row

    def query(self, soql: str) -> dict[str, Any]:
        """Answer a SOQL query as GET /query does."""
        try:
            parsed = parse_soql(soql)
        except (IndexError, ValueError):
            raise SalesforceApiError(400, "MALFORMED_QUERY",
                                     "unexpected end of query or bad literal") from None
        try:
            object_name = self._object(parsed.object_name)
        except SalesforceApiError:
            raise SalesforceApiError(
                400, "INVALID_TYPE",
                f"sObject type '{parsed.object_name}' is not supported. If you are attempting "
                "to use a custom object, be sure to append the '__c' after the entity name. "
                "Please reference your WSDL or the describe call for the appropriate names."
            ) from None
        with self._lock:
            records = list(self._objects[object_name].values())
            for condition in parsed.where:
                records = [r for r in records if _matches(
                    self._column(object_name, r, condition.field), condition)]
            for name in parsed.fields:  # unknown columns fail even when nothing matches
                self._column(object_name, {}, name)
            if parsed.order_by:
                name, descending = parsed.order_by
                self._column(object_name, {}, name)
                records.sort(key=lambda r: (
                    (v := _comparable(self._column(object_name, r, name))) is None, v),
                    reverse=descending)
            if parsed.limit is not None:
                records = records[:parsed.limit]
            rows = [self._selected(object_name, r, parsed.fields) for r in records]
        return self._page(rows, len(rows))

    def _page(self, rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
        answer: dict[str, Any] = {"totalSize": total, "done": True,
                                  "records": rows[:self.page_size]}
        if len(rows) > self.page_size:
            cursor = f"01g8d{len(self._cursors):013d}-{self.page_size}"
            self._cursors[cursor] = ("", rows[self.page_size:])
            answer.update(done=False, nextRecordsUrl=f"{self.base_path}/query/{cursor}")
        return answer

    def describe(self, object_name: str) -> dict[str, Any]:
        prefix, _ = OBJECTS[object_name]
        fields = []
        for name, field in fields_of(object_name).items():
            fields.append({
                "name": name, "label": re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name),
                "type": field.type, "updateable": field.updateable,
                "createable": field.updateable, "nillable": not field.required,
                "restrictedPicklist": field.restricted,
                "referenceTo": list(field.reference_to),
                "picklistValues": [
                    {"value": value, "label": value, "active": True,
                     "defaultValue": value == DEFAULTS.get(object_name, {}).get(name),
                     "validFor": None}
                    for value in field.picklist],
            })
        return {"name": object_name, "label": object_name, "keyPrefix": prefix,
                "createable": True, "updateable": True, "queryable": True,
                "urls": {"sobject": f"{self.base_path}/sobjects/{object_name}",
                         "describe": f"{self.base_path}/sobjects/{object_name}/describe"},
                "fields": fields}

    def handle(self, method: str, path: str, query: dict[str, str],
               body: Any) -> tuple[int, Any]:
        """Answer one authenticated REST call: (status, JSON body or None)."""
        prefix = re.match(r"/services/data/v\d+\.\d+/?", path)
        if prefix is None:
            raise _not_found()
        parts = [p for p in path[prefix.end():].split("/") if p]
        if parts[:1] in (["query"], ["queryAll"]) and method == "GET":
            if len(parts) == 2:
                with self._lock:
                    cursor = self._cursors.pop(parts[1], None)
                if cursor is None:
                    raise SalesforceApiError(400, "INVALID_QUERY_LOCATOR",
                                             "invalid query locator")
                rows = cursor[1]
                answer = self._page(rows, len(rows))
                return 200, answer
            if "q" not in query:
                raise SalesforceApiError(400, "MALFORMED_QUERY", "A query string is required")
            return 200, self.query(query["q"])
        if parts[:1] != ["sobjects"] or len(parts) < 2:
            raise _not_found()
        object_name = self._object(parts[1])
        if len(parts) == 3 and parts[2] == "describe" and method == "GET":
            return 200, self.describe(object_name)
        with self._lock:
            if len(parts) == 2 and method == "POST":
                fields = self._checked_write(object_name, body, creating=True)
                return 201, {"id": self.add(object_name, **fields), "success": True,
                             "errors": []}
            if len(parts) != 3:
                raise _not_found()
            record = self._objects[object_name].get(parts[2])
            if record is None:
                raise _not_found()
            if method == "GET":
                columns = query["fields"].split(",") if query.get("fields") \
                    else list(fields_of(object_name))
                return 200, self._selected(object_name, record, columns)
            if method == "PATCH":
                self.update(object_name, record["Id"],
                            **self._checked_write(object_name, body, creating=False))
                return 204, None
            if method == "DELETE":
                del self._objects[object_name][record["Id"]]
                return 204, None
        raise SalesforceApiError(405, "METHOD_NOT_ALLOWED",
                                 f"HTTP Method '{method}' not allowed. Allowed are GET,PATCH,"
                                 "DELETE")

    def __iter__(self) -> Iterator[SalesforceCall]:
        return iter(list(self.calls))


def _handler_for(standin: SalesforceStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep connections open, as requests expects

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Sforce-Limit-Info", "api-usage=1/15000")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _serve(self) -> None:
            split = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            with standin._lock:
                standin.calls.append(SalesforceCall(self.command, split.path, query, body))
            fault = standin._next_fault(self.command)
            if fault is not None:
                self._answer(fault.status, [{"message": fault.message,
                                             "errorCode": fault.error_code}], fault.headers)
                return
            if self.headers.get("Authorization") != f"Bearer {standin.access_token}":
                self._answer(401, [{"message": "Session expired or invalid",
                                    "errorCode": "INVALID_SESSION_ID"}])
                return
            if isinstance(body, str):
                self._answer(400, [{"message": "The request body is not valid JSON",
                                    "errorCode": "JSON_PARSER_ERROR"}])
                return
            try:
                status, answer = standin.handle(self.command, split.path, query, body)
            except SalesforceApiError as error:
                status, answer = error.status, error.body
            self._answer(status, answer)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    return Handler
