"""What waits to be written to the CRM, what it refused, and how the last read of deals went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from baton.services import outbox
from baton.services.crm.writes import PREFIX
from baton.services.outbox import SetAside
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import CrmRecord, CrmState, OutboxMessage, OutboxStatus

_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_RECORD = CrmRecord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CrmStatus:
    """A CRM's link as Baton keeps it."""

    crm: str
    leads: int  # leads with records in the CRM
    waiting: int  # writes still to make (retrying included)
    retrying: list[str]  # why the writes retrying last failed, oldest first
    set_aside: list[SetAside]
    pulled_at: dt.datetime | None
    pull_error: str | None
    deals_since: dt.datetime | None


def crm_status(*, uow: UnitOfWork, key: str) -> CrmStatus:
    prefix = f"{PREFIX}{key}:"
    with uow.reading() as session:
        state = session.get(CrmState, key)
        leads = session.execute(sa.select(sa.func.count()).select_from(_RECORD).where(
            _RECORD.c.crm == key)).scalar_one()
        pending = session.execute(sa.select(_OUTBOX.c.last_error).where(
            _OUTBOX.c.status == OutboxStatus.PENDING,
            _OUTBOX.c.dedupe_key.startswith(prefix, autoescape=True))
            .order_by(_OUTBOX.c.id)).scalars().all()
    return CrmStatus(crm=key, leads=int(leads), waiting=len(pending),
                     retrying=[error for error in pending if error],
                     set_aside=outbox.set_aside_rows(uow=uow, prefix=prefix),
                     pulled_at=state.pulled_at if state else None,
                     pull_error=state.pull_error if state else None,
                     deals_since=state.deals_since if state else None)


def retry_set_aside(*, uow: UnitOfWork, key: str) -> list[int]:
    """Send every write set aside for this CRM again, from now."""
    return outbox.release(uow=uow, prefix=f"{PREFIX}{key}:")
