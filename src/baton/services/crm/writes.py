"""What Baton writes to the CRM: a row in the outbox for each verdict, claim, rejection and
outcome recorded in Baton, sent by the CRM's own sender, retried with back-off while the CRM
is busy or away, set aside (and managers told) when it refuses for good. Every write is an
upsert or carries its own key, so a retry never doubles a record or a note."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.crm import CrmMapping, CrmStep, split_name
from baton.services import outbox
from baton.services.crm.notes import qualification_note, rejection_note
from baton.services.crm.port import Crm, CrmError, LeadRecord, Records
from baton.services.outbox import CRM_WRITE, Leased, SendReport
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import (
    CrmRecord,
    CrmState,
    EventLog,
    Handoff,
    Lead,
    OutboxMessage,
    Qualification,
)

log = logging.getLogger(__name__)

PREFIX = "crm:"
# Events of a transaction still open may appear with a smaller id than one already read:
# events are queued once this old, when every transaction that wrote them has ended.
SETTLE = dt.timedelta(seconds=2)
_STEPS = {"handoff.claimed": CrmStep.CLAIMED, "handoff.reassigned": CrmStep.CLAIMED,
          "handoff.rejected": CrmStep.REJECTED}
_EVENTS = ("verdict.given", "verdict.corrected", "verdict.overridden", "handoff.claimed",
           "handoff.reassigned", "handoff.rejected", "handoff.outcome")
_EVENT = EventLog.__table__  # type: ignore[attr-defined]
# The email of a Slack user, as Slack lists it; None when Slack has none for them.
EmailOf = Callable[[str], str | None]


def state_of(session: Session, crm: str, *, now: dt.datetime) -> CrmState:
    """How far Baton has gone with `crm`; made on first use, from the newest event, so that
    connecting a CRM does not replay history into it."""
    state = session.get(CrmState, crm)
    if state is None:
        newest = session.execute(sa.select(sa.func.max(_EVENT.c.id))).scalar() or 0
        state = CrmState(crm=crm, events_after=newest)
        session.add(state)
        session.flush()
    return state


def queue_writes(*, uow: UnitOfWork, crm: str, now: dt.datetime, limit: int = 500) -> int:
    """A CRM write queued for each event the CRM should hear of, in the order they happened;
    how many were queued."""
    with uow.writing() as session:
        state = state_of(session, crm, now=now)
        events = session.execute(
            sa.select(_EVENT).where(_EVENT.c.id > state.events_after,
                                    _EVENT.c.at <= now - SETTLE)
            .order_by(_EVENT.c.id).limit(limit)).mappings().all()
        queued = 0
        for event in events:
            payload = _payload(session, event)
            if payload is not None:
                lead = payload["lead_id"]
                outbox.enqueue(session=session, kind=CRM_WRITE, payload=payload,
                               dedupe_key=f"{PREFIX}{crm}:{lead}:{event['id']}",
                               after=_last_write(session, crm, lead))
                queued += 1
        if events:
            state.events_after = events[-1]["id"]
            session.add(state)
        return queued


def _payload(session: Session, event: Any) -> dict[str, Any] | None:
    kind, data = event["kind"], event["payload"] or {}
    if kind not in _EVENTS:
        return None
    subject = int(event["subject_id"])
    if event["subject_type"] == "qualification":
        row = session.get(Qualification, subject)
        if row is None:
            return None
        step = CrmStep.SALES_READY if data.get("sales_ready") else CrmStep.NOT_SALES_READY
        return {"event_id": event["id"], "step": str(step), "lead_id": row.lead_id,
                "qualification_id": subject}
    handoff = session.get(Handoff, subject)
    if handoff is None:
        return None
    step = _STEPS.get(kind) or CrmStep(str(data.get("kind", "")))
    return {"event_id": event["id"], "step": str(step), "lead_id": handoff.lead_id,
            "qualification_id": handoff.qualification_id, "handoff_id": subject,
            "user": data.get("to") or event["actor"]}


def _last_write(session: Session, crm: str, lead_id: int) -> str | None:
    """The lead's write queued last: the next one waits for it, so the CRM hears them in order."""
    prefix = f"{PREFIX}{crm}:{lead_id}:"
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    return session.execute(
        sa.select(table.c.dedupe_key).where(table.c.kind == CRM_WRITE,
                                           table.c.dedupe_key.startswith(prefix))
        .order_by(table.c.id.desc()).limit(1)).scalar()


class Writer:
    """One pass of the CRM's sender: each due write made, its fate recorded under its lease."""

    def __init__(self, *, uow: UnitOfWork, crm: Crm, key: str, mapping: CrmMapping,
                 email_of: EmailOf, managers: Sequence[str] = (),
                 now: dt.datetime | None = None) -> None:
        self.uow, self.crm, self.key, self.mapping = uow, crm, key, mapping
        self.email_of, self.managers = email_of, list(managers)
        self.now = now or dt.datetime.now(dt.UTC)
        self.report = SendReport()

    def send_due(self, limit: int = 20) -> SendReport:
        for _ in range(limit):
            leased = outbox.lease_due(uow=self.uow, now=self.now, limit=1, kinds={CRM_WRITE})
            if not leased:
                break
            self.handle(leased[0])
        return self.report

    def handle(self, row: Leased) -> None:
        arguments = outbox.arguments(uow=self.uow, row=row)
        if isinstance(arguments, outbox.Wait):
            outbox.wait_for_parent(uow=self.uow, row=row, now=self.now, wait=arguments)
            self.report.retrying.append(row.id)
            return
        try:
            result = self._write(arguments)
        except CrmError as error:
            if error.retry:
                after = dt.timedelta(seconds=error.after) if error.after else None
                outbox.retry(uow=self.uow, row=row, now=self.now, error=str(error), after=after)
                self.report.retrying.append(row.id)
                return
            self._set_aside(row, str(error))
            return
        except Exception as error:  # a bug, a row no write can take: kept aside, looked at once
            log.exception("CRM write %s failed", row.dedupe_key)
            self._set_aside(row, f"could not be written: {error!r}")
            return
        outbox.sent(uow=self.uow, row=row, arguments=arguments, result=result, now=self.now)
        self.report.sent.append(row.id)

    def _set_aside(self, row: Leased, reason: str) -> None:
        self.report.set_aside.append(row.id)

        def tell(session: Session) -> None:
            digest = hashlib.sha1(reason.encode()).hexdigest()[:12]
            text = (f":warning: Baton could not write a lead to {self.crm.name}: {reason}. "
                    f"Other leads keep flowing. Fix it, then run `baton crm retry`; "
                    f"`baton crm status` lists what waits.")
            for manager in self.managers:
                outbox.enqueue(session=session, kind="chat.postMessage",
                               payload={"channel": manager, "text": text},
                               dedupe_key=f"crm-aside:{manager}:{digest}:{self.now.date()}")

        if outbox.set_aside(uow=self.uow, row=row, reason=reason, now=self.now, then=tell):
            log.warning("CRM write %s set aside: %s", row.dedupe_key, reason)

    # -- the writes -------------------------------------------------------------------------
    def _write(self, payload: dict[str, Any]) -> dict[str, Any]:
        step = CrmStep(payload["step"])
        lead_id = int(payload["lead_id"])
        records = self._records(lead_id, upsert=step in (CrmStep.SALES_READY,
                                                         CrmStep.NOT_SALES_READY))
        result: dict[str, Any] = {"person_id": records.person_id,
                                  "company_id": records.company_id}
        if step is CrmStep.CLAIMED and payload.get("user"):
            email = self.email_of(str(payload["user"]))
            if email:
                result["owner_id"] = self.crm.set_owner(records, email=email)
        self.crm.set_fields(records, self.mapping.fields_at(step))
        note = self._note(step, payload)
        if note is not None:
            title, body = note
            result["note_id"] = self.crm.add_note(
                records, key=f"baton-{self.key}-{payload['event_id']}", title=title, body=body)
        return result

    def _records(self, lead_id: int, *, upsert: bool) -> Records:
        """The lead's records in the CRM: written now (a verdict), or as stored (created when
        none are)."""
        with self.uow.reading() as session:
            lead = session.get(Lead, lead_id)
            stored = session.exec(select(CrmRecord).where(
                CrmRecord.crm == self.key, CrmRecord.lead_id == lead_id)).first()
        if lead is None:
            raise CrmError(f"lead {lead_id} no longer exists", retry=False)
        known = (Records(stored.person_id, stored.company_id, stored.person_kind)
                 if stored is not None and stored.person_id else None)
        if known is not None and not upsert:
            return known
        records = self.crm.upsert(_record_of(lead), known=known)
        self._keep(lead_id, records)
        return records

    def _keep(self, lead_id: int, records: Records) -> None:
        with self.uow.writing() as session:
            stored = session.exec(select(CrmRecord).where(
                CrmRecord.crm == self.key, CrmRecord.lead_id == lead_id)).first()
            stored = stored or CrmRecord(crm=self.key, lead_id=lead_id)
            stored.person_id, stored.person_kind = records.person_id, records.person_kind
            stored.company_id, stored.updated_at = records.company_id, self.now
            session.add(stored)

    def _note(self, step: CrmStep, payload: dict[str, Any]) -> tuple[str, str] | None:
        with self.uow.reading() as session:
            if step in (CrmStep.SALES_READY, CrmStep.NOT_SALES_READY):
                return qualification_note(session, int(payload["qualification_id"]))
            if step is CrmStep.REJECTED:
                return rejection_note(session, int(payload["handoff_id"]))
        return None


def _record_of(lead: Lead) -> LeadRecord:
    first, last = split_name(lead.contact_name)
    return LeadRecord(email=lead.email, first_name=first, last_name=last or lead.company,
                      title=lead.title, company=lead.company, domain=lead.company_domain,
                      industry=lead.industry, employees=lead.employees)
