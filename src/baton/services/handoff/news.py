"""The BDR hears how their lead went: who took it, accepted it, met them, opened an opportunity,
won or lost it, each as a reply in that qualification's DM thread, until they mute the lead."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from baton.domain.errors import NotTheBdr
from baton.services.handoff.card import CardPresenter, rows_of
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import Lead, Qualification
from baton.store.types import utcnow


def tell_bdr(*, session: Session, handoff_id: int, presenter: CardPresenter, what: str,
             who: str | None = None, how: str | None = None) -> None:
    """Reply in the qualification's DM thread what happened to its handoff (`what`: claimed,
    assigned, reassigned, accepted, released, or an outcome kind; `who` did it or got it;
    `how` it was assigned), unless the BDR muted this lead or the conversation has no thread."""
    _, qualification, lead = rows_of(session, handoff_id)
    if (qualification.news_muted_at is not None or not qualification.dm_channel
            or not qualification.thread_ts):
        return
    message = presenter.bdr_news(company=lead.company, what=what, who=who, how=how,
                                 qualification_id=qualification.id or 0)
    enqueue(session=session, kind="chat.postMessage",
            dedupe_key=f"news:{handoff_id}:{uuid.uuid4().hex}",
            payload={"channel": qualification.dm_channel, "thread_ts": qualification.thread_ts,
                     **message.as_kwargs()})


def mute_news(*, uow: UnitOfWork, qualification_id: int, bdr_user_id: str) -> str:
    """The BDR hears no more of this lead's handoff; the company, for the reply."""
    with uow.writing() as session:
        row = session.get(Qualification, qualification_id)
        if row is None or row.bdr_user_id != bdr_user_id:
            raise NotTheBdr(row.bdr_user_id if row else "", "mute its news")
        if row.news_muted_at is None:
            row.news_muted_at = utcnow()
            session.add(row)
            record_event(session, actor=bdr_user_id, kind="qualification.news_muted",
                         subject_type="qualification", subject_id=qualification_id)
        lead = session.get(Lead, row.lead_id)
        return lead.company if lead else ""
