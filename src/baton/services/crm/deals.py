"""Deals read back from the CRM: a deal of a company Baton handed on becomes that handoff's
outcomes (opportunity created; won or lost, with the amount), so conversion is right even when
reps never click in Slack. Read from a cursor on the CRM's last-modified time; recording an
outcome twice keeps one."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.crm import CrmMapping
from baton.domain.lifecycle import OutcomeKind
from baton.services.crm.port import Crm, CrmError, Deal
from baton.services.crm.writes import state_of
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import CrmRecord, Handoff, Outcome

log = logging.getLogger(__name__)

_RECORD = CrmRecord.__table__  # type: ignore[attr-defined]
_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTCOME = Outcome.__table__  # type: ignore[attr-defined]


@dataclass
class Pulled:
    """What one pull read and recorded, or why it failed."""

    deals: int = 0
    recorded: list[tuple[int, str]] = field(default_factory=list)  # (handoff, outcome)
    error: str | None = None


def pull_deals(*, uow: UnitOfWork, crm: Crm, key: str, mapping: CrmMapping,
               now: dt.datetime | None = None) -> Pulled:
    """Read the deals changed since the last pull and record what they say; the cursor moves
    only past what was recorded, and a failure is kept for `baton crm status`."""
    now = now or dt.datetime.now(dt.UTC)
    with uow.writing() as session:
        since = state_of(session, key, now=now).deals_since or _first_handoff(session, key) or now
    pulled = Pulled()
    try:
        deals = crm.deals_changed(since)
    except CrmError as error:
        pulled.error = str(error)
        _remember(uow, key, now, since, pulled.error)
        log.warning("Deals could not be read from %s: %s", crm.name, error)
        return pulled
    pulled.deals = len(deals)
    newest = max((d.modified_at for d in deals if d.modified_at is not None), default=since)
    with uow.writing() as session:
        for deal in deals:
            pulled.recorded += _record(session, key, deal, mapping, now)
    _remember(uow, key, now, max(newest, since), None)
    return pulled


def _first_handoff(session: Session, key: str) -> dt.datetime | None:
    """When the first lead Baton wrote to the CRM was handed on: the first pull reads from
    there."""
    return session.execute(sa.select(sa.func.min(_HANDOFF.c.created_at)).join(
        _RECORD, _RECORD.c.lead_id == _HANDOFF.c.lead_id).where(_RECORD.c.crm == key)).scalar()


def _remember(uow: UnitOfWork, key: str, now: dt.datetime, since: dt.datetime,
              error: str | None) -> None:
    with uow.writing() as session:
        state = state_of(session, key, now=now)
        state.deals_since, state.pulled_at, state.pull_error = since, now, error
        session.add(state)


def _record(session: Session, key: str, deal: Deal, mapping: CrmMapping,
            now: dt.datetime) -> list[tuple[int, str]]:
    """The outcomes a deal means for the handoffs of its companies' leads, recorded once."""
    if not deal.company_ids:
        return []
    closing = mapping.deal_stages.outcome(deal.stage)
    kinds = [OutcomeKind.OPPORTUNITY_CREATED] + ([OutcomeKind(closing)] if closing else [])
    handoffs = session.execute(
        sa.select(sa.func.max(_HANDOFF.c.id), sa.func.max(_HANDOFF.c.created_at))
        .join(_RECORD, _RECORD.c.lead_id == _HANDOFF.c.lead_id)
        .where(_RECORD.c.crm == key, _RECORD.c.company_id.in_(deal.company_ids))
        .group_by(_HANDOFF.c.lead_id)).all()
    recorded = []
    for handoff_id, handed_at in handoffs:
        # A deal that last changed before the lead was handed on is older business.
        if deal.modified_at is not None and handed_at is not None and deal.modified_at < handed_at:
            continue
        for kind in kinds:
            reason = f"{deal.name} closed lost in the CRM" if kind == OutcomeKind.LOST else ""
            if _add(session, handoff_id, kind, key, reason, deal.amount, now):
                recorded.append((handoff_id, str(kind)))
    return recorded


def _add(session: Session, handoff_id: int, kind: OutcomeKind, key: str, reason: str,
         amount: float | None, now: dt.datetime) -> bool:
    exists = session.execute(sa.select(_OUTCOME.c.id).where(
        _OUTCOME.c.handoff_id == handoff_id, _OUTCOME.c.kind == kind)).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.execute(sa.insert(_OUTCOME).values(
                handoff_id=handoff_id, kind=str(kind), reason=reason, recorded_by=key,
                recorded_at=now, amount=amount if kind != OutcomeKind.OPPORTUNITY_CREATED
                else None))
    except sa.exc.IntegrityError:
        return False  # a rep's click recorded it meanwhile
    return True
