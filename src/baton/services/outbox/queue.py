"""Slack calls decided in a transaction, kept in the outbox until they are sent, once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import OutboxMessage
from baton.store.types import utcnow

METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete", "reactions.add"}
)
# A write to the team's CRM, sent by the CRM's own sender (baton.services.crm.sync).
CRM_WRITE = "crm.write"
# Payload keys naming another row by dedupe key: its sent message becomes this call's thread,
# or the message this call changes. Resolved at send time, once that row has been posted.
THREAD_OF = "$thread_of"
MESSAGE_OF = "$message_of"
# A row sent only once the one it names is no longer waiting: a conversation's posts in order.
AFTER = "$after"
REFERENCES = (THREAD_OF, MESSAGE_OF, AFTER)


def enqueue(
    *, session: Session, kind: str, payload: dict[str, Any], dedupe_key: str,
    not_before: dt.datetime | None = None, after: str | None = None,
) -> int:
    """Add a Slack call to the caller's transaction; the same dedupe key twice keeps one row."""
    if kind not in METHODS and kind != CRM_WRITE:
        known = ", ".join(sorted(METHODS | {CRM_WRITE}))
        raise ValueError(f"kind: expected one of {known}, got {kind!r}")
    if after is not None:
        payload = {**payload, AFTER: after}
    row = OutboxMessage(kind=kind, payload=payload, dedupe_key=dedupe_key,
                        next_attempt_at=not_before or utcnow())
    try:
        # dedupe_key is unique: the database, not a prior read, settles a concurrent twin.
        with session.begin_nested():
            session.add(row)
            session.flush()
        return row.id or 0
    except sa.exc.IntegrityError:
        query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        return session.exec(query).one() or 0


def keep(*, uow: UnitOfWork, kind: str, payload: dict[str, Any], dedupe_key: str,
         after: str | None = None,
         then: Callable[[Session], None] | None = None) -> int:
    """Keep a call Slack could not take just now, to be sent once it answers; `then` runs in
    the same transaction."""
    with uow.writing() as session:
        row_id = enqueue(session=session, kind=kind, payload=payload, dedupe_key=dedupe_key,
                         after=after)
        if then is not None:
            then(session)
        return row_id


@dataclass(frozen=True)
class SentMessage:
    """A row Slack has taken, with what it answered (ts, channel)."""

    id: int
    kind: str
    dedupe_key: str
    payload: dict[str, Any]
    result: dict[str, Any]


# Runs in the transaction that marks a row sent, e.g. to mark what the message was about.
OnSent = Callable[[Session, SentMessage], None]


@dataclass
class SendReport:
    """What one pass of the sender did, by outbox row id."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    set_aside: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.set_aside)
