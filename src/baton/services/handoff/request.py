"""Handing a sales-ready lead to the sales channel its routing rules choose."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.domain.errors import Closed
from baton.domain.lead import Lead
from baton.domain.lifecycle import HandoffStatus
from baton.domain.routing import route
from baton.domain.verdict import Verdict
from baton.store import tables
from baton.store.events import record_event
from baton.store.tables import Handoff, Qualification


@dataclass(frozen=True)
class HandoffRequest:
    """The handoff of one qualification; `created` is false when it already existed."""

    handoff_id: int
    channel: str
    routing_rule: str | None
    created: bool


def request_handoff(
    *, session: Session, definition: Definition, qualification_id: int, verdict: Verdict,
    default_channel: str,
) -> HandoffRequest:
    """Create the one pending handoff of a sales-ready qualification, or return the existing one."""
    if not verdict.sales_ready:
        raise ValueError("only a sales-ready lead is handed off to sales")
    existing = _existing(session, qualification_id)
    if existing is not None:
        return _request(existing, created=False)
    qualification = session.get(Qualification, qualification_id)
    row = session.get(tables.Lead, qualification.lead_id) if qualification else None
    if qualification is None or row is None:
        raise Closed(None)
    lead = Lead.model_validate(row, from_attributes=True)
    channel, rule_name = route(definition, lead, qualification.framework, default_channel)
    handoff = Handoff(qualification_id=qualification_id, lead_id=qualification.lead_id,
                      bdr_user_id=qualification.bdr_user_id, channel=channel,
                      routing_rule=rule_name, status=HandoffStatus.PENDING)
    try:
        # Handoff.qualification_id is unique: a concurrent request for the same lead loses here.
        with session.begin_nested():
            session.add(handoff)
            session.flush()
    except sa.exc.IntegrityError:
        return _request(_existing(session, qualification_id), created=False)
    record_event(session, actor=qualification.bdr_user_id, kind="handoff.requested",
                 subject_type="handoff", subject_id=handoff.id or 0,
                 payload={"qualification_id": qualification_id, "channel": channel,
                          "routing_rule": rule_name})
    session.flush()
    return _request(handoff, created=True)


def _existing(session: Session, qualification_id: int) -> Handoff | None:
    query = select(Handoff).where(Handoff.qualification_id == qualification_id)
    return session.exec(query).first()


def _request(handoff: Handoff | None, *, created: bool) -> HandoffRequest:
    if handoff is None:
        raise LookupError("the handoff that blocked this one has disappeared")
    return HandoffRequest(handoff_id=handoff.id or 0, channel=handoff.channel,
                          routing_rule=handoff.routing_rule, created=created)
