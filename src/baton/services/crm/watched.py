"""A connected CRM whose failed calls are heard of: each CrmError is told, by operation and
error, to whoever watches (the operator's metrics), then raised as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from baton.domain.crm import CrmMapping
from baton.services.crm.port import Crm, CrmError, Deal, Found, LeadRecord, Records

OnFailure = Callable[[str, str], None]  # (operation, error): ("upsert", "429")
T = TypeVar("T")


def error_label(error: CrmError) -> str:
    """What failed, in a word: the HTTP status the CRM answered, else that it was unreachable
    or refused the call without one."""
    if error.status is not None:
        return str(error.status)
    return "unreachable" if error.retry else "refused"


class Watched:
    """`crm` itself, telling `on_failure` of every call that raised CrmError."""

    def __init__(self, crm: Crm, on_failure: OnFailure) -> None:
        self.crm = crm
        self.name = crm.name
        self.on_failure = on_failure

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except CrmError as error:
            self.on_failure(operation, error_label(error))
            raise

    def look_up(self, *, email: str, domain: str | None, company: str,
                timeout: float) -> Found:
        return self._call("look_up", lambda: self.crm.look_up(
            email=email, domain=domain, company=company, timeout=timeout))

    def upsert(self, lead: LeadRecord, *, known: Records | None) -> Records:
        return self._call("upsert", lambda: self.crm.upsert(lead, known=known))

    def set_fields(self, records: Records, fields: dict[str, str]) -> None:
        self._call("set_fields", lambda: self.crm.set_fields(records, fields))

    def add_note(self, records: Records, *, key: str, title: str, body: str) -> str:
        return self._call("add_note", lambda: self.crm.add_note(records, key=key, title=title,
                                                                body=body))

    def set_owner(self, records: Records, *, email: str) -> str | None:
        return self._call("set_owner", lambda: self.crm.set_owner(records, email=email))

    def deals_changed(self, since: dt.datetime) -> list[Deal]:
        return self._call("deals_changed", lambda: self.crm.deals_changed(since))

    def problems(self, mapping: CrmMapping) -> list[str]:
        return self.crm.problems(mapping)
