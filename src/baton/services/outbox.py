"""Slack calls decided in a transaction and delivered after it, once, whatever Slack is doing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session, select

from baton.store.db import SQLITE_BEGIN, session_scope
from baton.store.tables import OutboxMessage, OutboxStatus
from baton.store.types import utcnow

log = logging.getLogger(__name__)

METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete", "reactions.add"}
)
# Payload keys naming another row by dedupe key: its sent message becomes this call's thread,
# or the message this call changes. Resolved at send time, once that row has been posted.
THREAD_OF = "$thread_of"
MESSAGE_OF = "$message_of"
# Slack errors that a later try can cure; every other error is final.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
LEASE = dt.timedelta(minutes=5)
FIRST_DELAY = dt.timedelta(seconds=2)
LONGEST_DELAY = dt.timedelta(minutes=15)
WAIT_FOR_PARENT = dt.timedelta(seconds=2)


CARD_PREFIX = "card:"


def handoff_card_key(handoff_id: int) -> str:
    """The dedupe key of a handoff's card in the sales channel."""
    return f"{CARD_PREFIX}{handoff_id}"


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


OnSent = Callable[[Session, SentMessage], None]


@dataclass
class SendReport:
    """What one pass of the sender did, by outbox row id."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


@dataclass(frozen=True)
class _Claimed:
    id: int
    kind: str
    dedupe_key: str
    payload: dict[str, Any]
    token: int  # the attempt number this process holds; a stale holder's writes match nothing


def make_client(*, token: str, base_url: str, timeout: int = 30) -> WebClient:
    """A WebClient that never retries by itself: the outbox decides when to try again."""
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])


def send_due(
    *, engine: sa.Engine, client: WebClient, now: dt.datetime | None = None, limit: int = 20,
    on_sent: OnSent | None = None,
) -> SendReport:
    """Deliver due rows claimed by this process; retry transient failures later."""
    if client.retry_handlers:
        raise ValueError("client: the outbox retries by itself; build it with retry_handlers=[]"
                         " (baton.services.outbox.make_client) so no call is sent twice")
    now = now or utcnow()
    report = SendReport()
    for row in _claim_due(engine, now, limit):
        _deliver(engine, client, row, now, report, on_sent)
    return report


def _claim_due(engine: sa.Engine, now: dt.datetime, limit: int) -> list[_Claimed]:
    """Lease up to `limit` due rows to this process, in one short transaction."""
    writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    due = (sa.select(table).where(table.c.status == OutboxStatus.PENDING,
                                  table.c.next_attempt_at <= now)
           .order_by(table.c.id).limit(limit))
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed: list[_Claimed] = []
    with writer.begin() as connection:
        for row in connection.execute(due).mappings().all():
            lease = (sa.update(table)
                     .where(table.c.id == row["id"], table.c.status == OutboxStatus.PENDING,
                            table.c.attempts == row["attempts"],
                            table.c.next_attempt_at <= now)
                     .values(attempts=row["attempts"] + 1, next_attempt_at=now + LEASE))
            if connection.execute(lease).rowcount == 1:
                claimed.append(_Claimed(row["id"], row["kind"], row["dedupe_key"],
                                        dict(row["payload"]), row["attempts"] + 1))
    return claimed


def _deliver(engine: sa.Engine, client: WebClient, row: _Claimed, now: dt.datetime,
             report: SendReport, on_sent: OnSent | None) -> None:
    arguments, waiting = _resolve(engine, row.payload)
    if waiting:
        _finish(engine, row, next_attempt_at=now + WAIT_FOR_PARENT)
        report.retrying.append(row.id)
        return
    try:
        response = client.api_call(row.kind, json=arguments)
    except SlackApiError as error:
        delay = _retry_delay(error, row.token)
        if delay is None:
            _finish(engine, row, status=OutboxStatus.FAILED, last_error=_describe(error))
            report.failed.append(row.id)
            return
        _finish(engine, row, next_attempt_at=now + delay, last_error=_describe(error))
        report.retrying.append(row.id)
        return
    except (OSError, SlackClientError) as error:
        # OSError covers URLError, refused connections and timeouts: Slack may come back.
        _finish(engine, row, next_attempt_at=now + _backoff(row.token), last_error=repr(error))
        report.retrying.append(row.id)
        return
    result = {key: response.get(key) for key in ("channel", "ts") if response.get(key)}
    sent = SentMessage(row.id, row.kind, row.dedupe_key, arguments, result)
    _finish(engine, row, status=OutboxStatus.SENT, result=result, sent_at=now, on_sent=on_sent,
            sent=sent)
    report.sent.append(row.id)


def _resolve(engine: sa.Engine, payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The call's arguments with references filled in, and whether a parent is still unsent."""
    arguments = {k: v for k, v in payload.items() if k not in (THREAD_OF, MESSAGE_OF)}
    for ref, fields in ((THREAD_OF, {"thread_ts": "ts"}),
                        (MESSAGE_OF, {"channel": "channel", "ts": "ts"})):
        if ref not in payload:
            continue
        with Session(engine) as session:
            parent = session.exec(select(OutboxMessage).where(
                OutboxMessage.dedupe_key == payload[ref])).first()
        if parent is not None and parent.status == OutboxStatus.PENDING:
            return arguments, True
        # A parent never enqueued or refused by Slack: a reply still goes out, top-level.
        found = (parent.result or {}) if parent is not None else {}
        arguments.update({arg: found[key] for arg, key in fields.items() if key in found})
    return arguments, False


def _retry_delay(error: SlackApiError, attempt: int) -> dt.timedelta | None:
    """When to try again after Slack answered with an error; None when retrying cannot help."""
    status = error.response.status_code
    if status == 429:
        retry_after = error.response.headers.get("Retry-After") or error.response.headers.get(
            "retry-after")
        seconds = int(retry_after) if str(retry_after or "").isdigit() else 0
        return dt.timedelta(seconds=seconds) if seconds else _backoff(attempt)
    if status >= 500 or _error_code(error) in TRANSIENT_ERRORS:
        return _backoff(attempt)
    return None


def _backoff(attempt: int) -> dt.timedelta:
    return min(FIRST_DELAY * 2 ** max(attempt - 1, 0), LONGEST_DELAY)


def _error_code(error: SlackApiError) -> str:
    answer = error.response.data if isinstance(error.response.data, dict) else {}
    return str(answer.get("error", "no error code"))


def _describe(error: SlackApiError) -> str:
    return f"HTTP {error.response.status_code}: {_error_code(error)}"


def _finish(engine: sa.Engine, row: _Claimed, *, on_sent: OnSent | None = None,
            sent: SentMessage | None = None, **values: Any) -> None:
    """Record what became of a try, only if this process still holds the row's lease."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        done = session.execute(
            sa.update(table).where(table.c.id == row.id, table.c.attempts == row.token,
                                   table.c.status == OutboxStatus.PENDING).values(**values))
        if done.rowcount == 1 and on_sent is not None and sent is not None:
            _follow_up(session, on_sent, sent)


def _follow_up(session: Session, on_sent: OnSent, sent: SentMessage) -> None:
    """Run the hook after a send; a failure there must not undo the sent mark."""
    try:
        with session.begin_nested():
            on_sent(session, sent)
    except Exception:
        log.exception("outbox: message %s was sent, but what follows it failed", sent.dedupe_key)
