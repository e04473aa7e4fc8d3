"""What an operator watches in the database: the outbox's backlog and handoffs past their SLA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from baton.services.handoff.claims import CLAIMABLE
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff, OutboxMessage, OutboxStatus
from baton.store.types import utcnow

_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Vitals:
    """The outbox's rows by state and its oldest waiting row's age; handoffs whose claim-by time
    passed unclaimed, those still unclaimed and all of them."""

    outbox_pending: int
    outbox_set_aside: int
    oldest_pending_seconds: float
    sla_breached_unclaimed: int
    sla_breaches: int


def read_vitals(*, uow: UnitOfWork, now: dt.datetime | None = None) -> Vitals:
    """The figures as the database has them now, across every Baton process."""
    now = now or utcnow()
    by_status = (sa.select(_OUTBOX.c.status, sa.func.count(), sa.func.min(_OUTBOX.c.created_at))
                 .where(_OUTBOX.c.status.in_((OutboxStatus.PENDING, OutboxStatus.SET_ASIDE)))
                 .group_by(_OUTBOX.c.status))
    unclaimed = sa.select(sa.func.count()).where(
        _HANDOFF.c.status.in_(CLAIMABLE), _HANDOFF.c.claimed_by.is_(None),
        _HANDOFF.c.claim_by <= now)
    # A handoff is reminded once, when its claim-by time passes unclaimed: each is a breach.
    breaches = sa.select(sa.func.count()).where(_HANDOFF.c.reminded_at.is_not(None))
    with uow.reading() as session:
        rows = {str(status): (int(count), oldest)
                for status, count, oldest in session.execute(by_status).all()}
        breached_now = int(session.execute(unclaimed).scalar_one())
        breached_ever = int(session.execute(breaches).scalar_one())
    pending, oldest = rows.get(OutboxStatus.PENDING, (0, None))
    set_aside, _ = rows.get(OutboxStatus.SET_ASIDE, (0, None))
    age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return Vitals(outbox_pending=pending, outbox_set_aside=set_aside, oldest_pending_seconds=age,
                  sla_breached_unclaimed=breached_now, sla_breaches=breached_ever)
