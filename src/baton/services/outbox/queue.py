"""Slack calls decided in a transaction, kept in the outbox until they are sent, once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.store.tables import OutboxMessage
from baton.store.types import utcnow

METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete", "reactions.add"}
)
# Payload keys naming another row by dedupe key: its sent message becomes this call's thread,
# or the message this call changes. Resolved at send time, once that row has been posted.
THREAD_OF = "$thread_of"
MESSAGE_OF = "$message_of"


def enqueue(
    *, session: Session, kind: str, payload: dict[str, Any], dedupe_key: str,
    not_before: dt.datetime | None = None,
) -> int:
    """Add a Slack call to the caller's transaction; the same dedupe key twice keeps one row."""
    if kind not in METHODS:
        raise ValueError(f"kind: expected one of {', '.join(sorted(METHODS))}, got {kind!r}")
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
# Runs after that transaction, e.g. to ask Slack more about the message just sent.
FollowUp = Callable[[SentMessage], None]


@dataclass
class SendReport:
    """What one pass of the sender did, by outbox row id."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)
