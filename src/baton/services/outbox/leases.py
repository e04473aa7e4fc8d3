"""Rows leased to one sender at a time, and what became of each try, recorded under its lease."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services.outbox.queue import MESSAGE_OF, THREAD_OF, OnSent, SentMessage
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
FIRST_DELAY = dt.timedelta(seconds=2)
LONGEST_DELAY = dt.timedelta(minutes=15)
WAIT_FOR_PARENT = dt.timedelta(seconds=2)
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Leased:
    """A due row this sender holds: its call, and the attempt number its lease is tied to."""

    id: int
    kind: str
    dedupe_key: str
    payload: dict[str, Any]
    token: int  # a stale holder's writes match nothing once another sender took the row


def lease_due(*, uow: UnitOfWork, now: dt.datetime, limit: int) -> list[Leased]:
    """Lease up to `limit` due rows to this sender, in one short transaction."""
    due = (sa.select(_OUTBOX).where(_OUTBOX.c.status == OutboxStatus.PENDING,
                                    _OUTBOX.c.next_attempt_at <= now)
           .order_by(_OUTBOX.c.id).limit(limit))
    if uow.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    leased: list[Leased] = []
    with uow.writing() as session:
        for row in session.execute(due).mappings().all():
            lease = (sa.update(_OUTBOX)
                     .where(_OUTBOX.c.id == row["id"], _OUTBOX.c.status == OutboxStatus.PENDING,
                            _OUTBOX.c.attempts == row["attempts"],
                            _OUTBOX.c.next_attempt_at <= now)
                     .values(attempts=row["attempts"] + 1, next_attempt_at=now + LEASE))
            if session.execute(lease).rowcount == 1:  # type: ignore[attr-defined]
                leased.append(Leased(row["id"], row["kind"], row["dedupe_key"],
                                     dict(row["payload"]), row["attempts"] + 1))
    return leased


def arguments(*, uow: UnitOfWork, row: Leased) -> dict[str, Any] | None:
    """The call's arguments with references filled in; None while a parent is still unsent."""
    found = {k: v for k, v in row.payload.items() if k not in (THREAD_OF, MESSAGE_OF)}
    for ref, fields in ((THREAD_OF, {"thread_ts": "ts"}),
                        (MESSAGE_OF, {"channel": "channel", "ts": "ts"})):
        if ref not in row.payload:
            continue
        with uow.reading() as session:
            parent = session.exec(select(OutboxMessage).where(
                OutboxMessage.dedupe_key == row.payload[ref])).first()
        if parent is not None and parent.status == OutboxStatus.PENDING:
            return None
        # A parent never enqueued or refused by Slack: a reply still goes out, top-level.
        answered = (parent.result or {}) if parent is not None else {}
        found.update({arg: answered[key] for arg, key in fields.items() if key in answered})
    return found


def sent(*, uow: UnitOfWork, row: Leased, arguments: dict[str, Any], result: dict[str, Any],
         now: dt.datetime, on_sent: OnSent | None = None) -> SentMessage | None:
    """Mark the row sent with Slack's answer; the message, unless another sender had it by then."""
    message = SentMessage(row.id, row.kind, row.dedupe_key, arguments, result)
    with uow.writing() as session:
        if not _record(session, row, status=OutboxStatus.SENT, result=result, sent_at=now):
            return None
        if on_sent is not None:
            _follow_up(session, on_sent, message)
    return message


def retry(*, uow: UnitOfWork, row: Leased, now: dt.datetime, error: str | None,
          after: dt.timedelta | None = None) -> None:
    """Try again `after` (by default later each attempt); the row stays pending."""
    with uow.writing() as session:
        _record(session, row, next_attempt_at=now + (after or backoff(row.token)),
                last_error=error)


def wait_for_parent(*, uow: UnitOfWork, row: Leased, now: dt.datetime) -> None:
    """Try again shortly, once the message this one refers to has been sent."""
    with uow.writing() as session:
        _record(session, row, next_attempt_at=now + WAIT_FOR_PARENT)


def failed(*, uow: UnitOfWork, row: Leased, error: str) -> None:
    """Give up on a row that retrying cannot help."""
    with uow.writing() as session:
        _record(session, row, status=OutboxStatus.FAILED, last_error=error)


def backoff(attempt: int) -> dt.timedelta:
    """How long to wait after a failed attempt: doubling from two seconds, at most 15 minutes."""
    return min(FIRST_DELAY * (1 << max(attempt - 1, 0)), LONGEST_DELAY)


def _record(session: Session, row: Leased, **values: Any) -> bool:
    """Record what became of a try, only if this sender still holds the row's lease."""
    done = session.execute(
        sa.update(_OUTBOX).where(_OUTBOX.c.id == row.id, _OUTBOX.c.attempts == row.token,
                                 _OUTBOX.c.status == OutboxStatus.PENDING).values(**values))
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _follow_up(session: Session, on_sent: OnSent, message: SentMessage) -> None:
    """Run the hook after a send; a failure there must not undo the sent mark."""
    try:
        with session.begin_nested():
            on_sent(session, message)
    except Exception:
        log.exception("outbox: message %s was sent, but what follows it failed",
                      message.dedupe_key)
