"""Where a qualification's conversation is, when Slack takes its posts late: the root message
posted from the outbox attaches the conversation, and a question that could not be posted
leaves the qualification paused at it, so `/qualify resume` offers it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.lifecycle import QualificationStatus
from baton.services.outbox import SentMessage
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Qualification

ROOT_PREFIX = "conversation:"
_QUALIFICATION = Qualification.__table__  # type: ignore[attr-defined]


def root_key(qualification_id: int) -> str:
    """The outbox key of a conversation's root message, when it has to wait for Slack."""
    return f"{ROOT_PREFIX}{qualification_id}"


def conversation_posted(session: Session, message: SentMessage) -> None:
    """Outbox `on_sent` hook: a root message posted late attaches its conversation, so notes
    typed in its thread find the qualification."""
    number = message.dedupe_key.removeprefix(ROOT_PREFIX)
    if not message.dedupe_key.startswith(ROOT_PREFIX) or not number.isdigit():
        return
    channel, ts = message.result.get("channel"), message.result.get("ts")
    session.execute(
        sa.update(_QUALIFICATION)
        .where(_QUALIFICATION.c.id == int(number), _QUALIFICATION.c.thread_ts.is_(None))
        .values(dm_channel=channel, thread_ts=ts))


def stalled(*, uow: UnitOfWork, qualification_id: int) -> None:
    """Slack could not take the next question: it goes out once Slack answers, and until then
    the qualification waits, paused at it, where `/qualify resume` finds it."""
    with uow.writing() as session:
        paused = rows_changed(
            session,
            sa.update(_QUALIFICATION)
            .where(_QUALIFICATION.c.id == qualification_id,
                   _QUALIFICATION.c.status == QualificationStatus.IN_PROGRESS)
            .values(status=QualificationStatus.PAUSED))
        if paused == 1:
            record_event(session, actor="baton", kind="qualification.paused",
                         subject_type="qualification", subject_id=qualification_id,
                         payload={"why": "Slack did not take the next question"})
