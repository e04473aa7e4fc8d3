"""A card on its way to the sales channel: once posted, its handoff marked and its BDR's link
notice queued with the mark; when Slack refuses it, the people who can fix it told once; while
it waits, listed for managers and sent again on a retry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.lifecycle import HandoffStatus
from baton.services.handoff.card import (
    CardPresenter,
    archive_link,
    handoff_of,
    rows_of,
)
from baton.services.outbox import OnSent, SentMessage, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import rows_changed
from baton.store.tables import Handoff

LINK_PREFIX = "card-link:"
_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]


def link_of(dedupe_key: str) -> int | None:
    """The handoff whose link notice an outbox key names; None for any other message."""
    number = dedupe_key.removeprefix(LINK_PREFIX)
    return int(number) if dedupe_key.startswith(LINK_PREFIX) and number.isdigit() else None


def on_card_posted(presenter: CardPresenter) -> OnSent:
    """Outbox `on_sent` hook: a handoff whose card Slack took is posted, at that message, and
    its BDR's link notice is queued in the same transaction, so it is never lost."""

    def card_posted(session: Session, message: SentMessage) -> None:
        handoff_id = handoff_of(message.dedupe_key)
        if handoff_id is None:
            return
        channel, ts = message.result.get("channel", ""), message.result.get("ts", "")
        # The channel it landed in: the routed one, or the fallback when that one refused it.
        marked = rows_changed(
            session,
            sa.update(_HANDOFF)
            .where(_HANDOFF.c.id == handoff_id, _HANDOFF.c.message_ts.is_(None))
            .values(message_ts=ts, channel=channel or _HANDOFF.c.channel,
                    status=sa.case((_HANDOFF.c.status == HandoffStatus.PENDING,
                                    HandoffStatus.POSTED), else_=_HANDOFF.c.status)))
        if marked == 1:
            _queue_link(session, presenter, handoff_id, channel, archive_link(channel, ts))

    return card_posted


@dataclass(frozen=True)
class PostedCard:
    """Where a handoff's card is on Slack, and Slack's own link to it once known."""

    channel: str
    ts: str
    permalink: str | None


def posted_card(*, uow: UnitOfWork, handoff_id: int) -> PostedCard | None:
    """Where the handoff's card was posted; None before it is."""
    with uow.reading() as session:
        handoff = rows_of(session, handoff_id)[0]
        if handoff.message_ts is None:
            return None
        return PostedCard(handoff.channel, handoff.message_ts, handoff.permalink)


def link_card(*, uow: UnitOfWork, presenter: CardPresenter, handoff_id: int, channel: str,
              ts: str, permalink: str | None) -> dict[str, Any]:
    """Keep Slack's permalink to a posted card (if it gave one); the BDR's link notice with it,
    as Slack's arguments."""
    with uow.writing() as session:
        if permalink is not None:
            session.execute(sa.update(_HANDOFF).where(_HANDOFF.c.id == handoff_id)
                            .values(permalink=permalink))
        # A link built by hand still opens the card; only Slack's own is kept for App Home.
        return _link_notice(session, presenter, handoff_id, channel,
                            permalink or archive_link(channel, ts))


def _queue_link(session: Session, presenter: CardPresenter, handoff_id: int, channel: str,
                link: str) -> None:
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"{LINK_PREFIX}{handoff_id}",
            payload=_link_notice(session, presenter, handoff_id, channel, link))


def _link_notice(session: Session, presenter: CardPresenter, handoff_id: int, channel: str,
                 link: str) -> dict[str, Any]:
    _, qualification, lead = rows_of(session, handoff_id)
    message = presenter.link_notice(company=lead.company, channel=channel, permalink=link)
    return {"channel": qualification.bdr_user_id, **message.as_kwargs()}


@dataclass(frozen=True)
class Undelivered:
    """Why a card did not reach its routed channel: the channel, Slack's error code, and the
    channel it was posted in instead (None: it waits)."""

    channel: str
    error: str
    posted_in: str | None = None


def tell_undelivered(*, session: Session, presenter: CardPresenter, handoff_id: int,
                     undelivered: Undelivered, managers: Sequence[str]) -> None:
    """Tell the BDR and the managers, once per handoff, where the card is and how to fix it."""
    handoff, qualification, lead = rows_of(session, handoff_id)
    bdr = qualification.bdr_user_id
    people = [(bdr, False)] + [(m, True) for m in dict.fromkeys(managers) if m != bdr]
    for person, manager in people:
        message = presenter.undelivered_notice(
            company=lead.company, channel=undelivered.channel, error=undelivered.error,
            rule=handoff.routing_rule, posted_in=undelivered.posted_in, manager=manager)
        enqueue(session=session, kind="chat.postMessage",
                dedupe_key=f"card-undelivered:{handoff_id}:{person}",
                payload={"channel": person, **message.as_kwargs()})
