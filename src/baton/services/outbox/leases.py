"""Rows leased to one sender at a time, and what became of each try, recorded under its lease."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.services.outbox.queue import (
    AFTER,
    MESSAGE_OF,
    REFERENCES,
    THREAD_OF,
    OnSent,
    SentMessage,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.tables import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Long enough for one Slack call and its record; short, so a sender that died holds little up.
LEASE = dt.timedelta(seconds=30)
FIRST_DELAY = dt.timedelta(seconds=2)
LONGEST_DELAY = dt.timedelta(minutes=15)
WAIT_FOR_PARENT = dt.timedelta(seconds=2)
# A message set aside may be retried at any time; what refers to it checks back now and then.
WAIT_FOR_SET_ASIDE = dt.timedelta(seconds=30)
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Leased:
    """A due row this sender holds: its call, and the attempt number its lease is tied to."""

    id: int
    kind: str
    dedupe_key: str
    payload: dict[str, Any]
    token: int  # a stale holder's writes match nothing once another sender took the row
    first_attempt_at: dt.datetime
    # The sender before this one took the row and never said what became of its try.
    expired: bool = False


def lease_due(*, uow: UnitOfWork, now: dt.datetime, limit: int,
              kinds: Collection[str]) -> list[Leased]:
    """Lease up to `limit` due rows of `kinds` to this sender, in one short transaction."""
    due = (sa.select(_OUTBOX).where(_OUTBOX.c.status == OutboxStatus.PENDING,
                                    _OUTBOX.c.next_attempt_at <= now,
                                    _OUTBOX.c.kind.in_(sorted(kinds)))
           .order_by(_OUTBOX.c.id).limit(limit))
    if uow.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    leased: list[Leased] = []
    with uow.writing() as session:
        for row in session.execute(due).mappings().all():
            first = row["first_attempt_at"] or now
            lease = (sa.update(_OUTBOX)
                     .where(_OUTBOX.c.id == row["id"], _OUTBOX.c.status == OutboxStatus.PENDING,
                            _OUTBOX.c.attempts == row["attempts"],
                            _OUTBOX.c.next_attempt_at <= now)
                     .values(attempts=row["attempts"] + 1, next_attempt_at=now + LEASE,
                             leased_at=now, first_attempt_at=first))
            if rows_changed(session, lease) == 1:
                leased.append(Leased(row["id"], row["kind"], row["dedupe_key"],
                                     dict(row["payload"]), row["attempts"] + 1, first,
                                     expired=row["leased_at"] is not None))
    return leased


@dataclass(frozen=True)
class Wait:
    """A row that refers to another not sent yet: how long until it looks again, and at which."""

    delay: dt.timedelta
    on: str


def waiting_on(key: str) -> str:
    """What a row waiting on `key` records as the reason it was not sent yet."""
    return f"waits for {key}"


def arguments(*, uow: UnitOfWork, row: Leased) -> dict[str, Any] | Wait:
    """The call's arguments with references filled in; a Wait while one is unsent."""
    found = {k: v for k, v in row.payload.items() if k not in REFERENCES}
    for ref, fields in ((THREAD_OF, {"thread_ts": "ts", "channel": "channel"}),
                        (MESSAGE_OF, {"channel": "channel", "ts": "ts"}), (AFTER, {})):
        if ref not in row.payload:
            continue
        with uow.reading() as session:
            parent = session.execute(sa.select(_OUTBOX.c.status, _OUTBOX.c.result).where(
                _OUTBOX.c.dedupe_key == row.payload[ref])).first()
        status = parent.status if parent is not None else None
        if status == OutboxStatus.PENDING:
            return Wait(WAIT_FOR_PARENT, row.payload[ref])
        if status == OutboxStatus.SET_ASIDE and ref != AFTER:
            # A reply or a change to a message that may yet be delivered waits for it; a
            # release of that message brings it forward.
            return Wait(WAIT_FOR_SET_ASIDE, row.payload[ref])
        # A parent never enqueued: a reply still goes out, top-level.
        answered = (parent.result or {}) if parent is not None else {}
        found.update({arg: answered[key] for arg, key in fields.items() if key in answered})
    return found


def sent(*, uow: UnitOfWork, row: Leased, arguments: dict[str, Any], result: dict[str, Any],
         now: dt.datetime, on_sent: OnSent | None = None,
         payload: dict[str, Any] | None = None) -> SentMessage | None:
    """Mark the row sent with Slack's answer (and `payload`, when Slack took other arguments
    than those queued); the message, unless another sender had it by then."""
    message = SentMessage(row.id, row.kind, row.dedupe_key, arguments, result)
    changed = {"payload": payload} if payload is not None else {}
    with uow.writing() as session:
        if not _record(session, row, status=OutboxStatus.SENT, result=result, sent_at=now,
                       **changed):
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


def wait_for_parent(*, uow: UnitOfWork, row: Leased, now: dt.datetime, wait: Wait) -> None:
    """Try again after a while, once the message this one refers to has been sent."""
    with uow.writing() as session:
        _record(session, row, next_attempt_at=now + wait.delay, last_error=waiting_on(wait.on))


def set_aside(*, uow: UnitOfWork, row: Leased, reason: str, now: dt.datetime,
              then: Callable[[Session], None] | None = None) -> bool:
    """Keep a row retrying cannot help, with its reason, until someone retries it; `then` runs
    in the same transaction. True the first time the row is set aside, to be told once."""
    with uow.writing() as session:
        before = session.execute(sa.select(_OUTBOX.c.set_aside_at).where(
            _OUTBOX.c.id == row.id)).scalar_one_or_none()
        if not _record(session, row, status=OutboxStatus.SET_ASIDE, last_error=reason,
                       set_aside_at=before or now):
            return False
        if then is not None:
            then(session)
    return before is None


def backoff(attempt: int) -> dt.timedelta:
    """How long to wait after a failed attempt: doubling from two seconds, at most 15 minutes."""
    return min(FIRST_DELAY * (1 << max(attempt - 1, 0)), LONGEST_DELAY)


def _record(session: Session, row: Leased, **values: Any) -> bool:
    """Record what became of a try, only if this sender still holds the row's lease."""
    done = rows_changed(session, sa.update(_OUTBOX).where(
        _OUTBOX.c.id == row.id, _OUTBOX.c.attempts == row.token,
        _OUTBOX.c.status == OutboxStatus.PENDING).values(leased_at=None, **values))
    return done == 1


def _follow_up(session: Session, on_sent: OnSent, message: SentMessage) -> None:
    """Run the hook after a send; a failure there must not undo the sent mark."""
    try:
        with session.begin_nested():
            on_sent(session, message)
    except Exception:
        log.exception("outbox: message %s was sent, but what follows it failed",
                      message.dedupe_key)
