"""What the outbox holds back: rows set aside with their reason, and sending them again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from baton.services.outbox.leases import waiting_on
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.tables import OutboxMessage, OutboxStatus
from baton.store.types import utcnow

_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SetAside:
    """A row kept back: its call, where it was going, why, and since when."""

    id: int
    kind: str
    dedupe_key: str
    channel: str
    reason: str
    since: dt.datetime
    attempts: int


@dataclass(frozen=True)
class Backlog:
    """How many rows wait to be sent, and how many are set aside."""

    pending: int
    set_aside: int


def set_aside_rows(*, uow: UnitOfWork, prefix: str | None = None) -> list[SetAside]:
    """Every row set aside (whose dedupe key starts with `prefix`), longest waiting first."""
    query = (sa.select(_OUTBOX).where(_OUTBOX.c.status == OutboxStatus.SET_ASIDE)
             .order_by(_OUTBOX.c.set_aside_at, _OUTBOX.c.id))
    if prefix is not None:
        query = query.where(_OUTBOX.c.dedupe_key.startswith(prefix, autoescape=True))
    with uow.reading() as session:
        rows = session.execute(query).mappings().all()
    return [SetAside(row["id"], row["kind"], row["dedupe_key"],
                     str((row["payload"] or {}).get("channel", "")), row["last_error"] or "",
                     row["set_aside_at"] or row["created_at"], row["attempts"])
            for row in rows]


def release(*, uow: UnitOfWork, ids: Sequence[int] | None = None, prefix: str | None = None,
            now: dt.datetime | None = None) -> list[int]:
    """Send rows set aside again from now (those of `ids`, or whose key starts with `prefix`,
    or all); their reason and since stay until they are sent. A row set aside before it was
    ever built has nothing to send: whoever queued it builds it again. The ids released."""
    query = sa.select(_OUTBOX.c.id, _OUTBOX.c.dedupe_key, _OUTBOX.c.payload).where(
        _OUTBOX.c.status == OutboxStatus.SET_ASIDE)
    if ids is not None:
        query = query.where(_OUTBOX.c.id.in_(list(ids)))
    if prefix is not None:
        query = query.where(_OUTBOX.c.dedupe_key.startswith(prefix, autoescape=True))
    released, now = [], now or utcnow()
    with uow.writing() as session:
        for row_id, key, payload in session.execute(query.order_by(_OUTBOX.c.id)).all():
            if not payload:
                continue
            # Another process may have released it since the read: the status says so.
            done = rows_changed(
                session,
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id == row_id, _OUTBOX.c.status == OutboxStatus.SET_ASIDE)
                .values(status=OutboxStatus.PENDING, next_attempt_at=now))
            if done == 1:
                released.append(row_id)
                _bring_forward(session, key, now)
    return released


def _bring_forward(session: Session, key: str, now: dt.datetime) -> None:
    """What waits on a released row (its thread, its updates) follows it without delay."""
    session.execute(sa.update(_OUTBOX).where(
        _OUTBOX.c.status == OutboxStatus.PENDING, _OUTBOX.c.last_error == waiting_on(key),
        _OUTBOX.c.next_attempt_at > now).values(next_attempt_at=now))


def backlog(*, uow: UnitOfWork) -> Backlog:
    """How much the outbox has still to send, and how much it set aside."""
    counted = sa.select(_OUTBOX.c.status, sa.func.count()).where(
        _OUTBOX.c.status.in_((OutboxStatus.PENDING, OutboxStatus.SET_ASIDE))
    ).group_by(_OUTBOX.c.status)
    with uow.reading() as session:
        counts = {str(status): int(n) for status, n in session.execute(counted).all()}
    return Backlog(counts.get(OutboxStatus.PENDING, 0), counts.get(OutboxStatus.SET_ASIDE, 0))
