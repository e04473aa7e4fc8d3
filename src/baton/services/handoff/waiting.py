"""Cards Slack has not taken: listed for managers with why and since when, and sent again on a
retry (from App Home, `baton tick` or `baton outbox retry`), built afresh if they never were."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from baton.services import outbox
from baton.services.catalog import Catalog
from baton.services.handoff.card import CARD_PREFIX, CardPresenter, card_key, handoff_of
from baton.services.handoff.queue import enqueue_card
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff, Lead, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_LEAD = Lead.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class WaitingCard:
    """A card Slack has not taken: its lead, the channel it is routed to, why, since when."""

    handoff_id: int
    company: str
    channel: str
    reason: str
    since: dt.datetime


def waiting_cards(session: Session) -> list[WaitingCard]:
    """Every card set aside, longest waiting first."""
    key = sa.literal(CARD_PREFIX) + sa.cast(_HANDOFF.c.id, sa.String)
    query = (sa.select(_HANDOFF.c.id, _LEAD.c.company, _HANDOFF.c.channel, _OUTBOX.c.last_error,
                       _OUTBOX.c.set_aside_at, _OUTBOX.c.created_at)
             .join(_OUTBOX, _OUTBOX.c.dedupe_key == key)
             .join(_LEAD, _LEAD.c.id == _HANDOFF.c.lead_id)
             .where(_OUTBOX.c.status == OutboxStatus.SET_ASIDE)
             .order_by(_OUTBOX.c.set_aside_at, _HANDOFF.c.id))
    return [WaitingCard(row.id, row.company, row.channel, row.last_error or "",
                        row.set_aside_at or row.created_at)
            for row in session.execute(query)]


def set_aside_besides_cards(session: Session) -> int:
    """How many other Slack messages are set aside (`baton outbox status` lists them)."""
    query = sa.select(sa.func.count()).where(
        _OUTBOX.c.status == OutboxStatus.SET_ASIDE,
        ~_OUTBOX.c.dedupe_key.startswith(CARD_PREFIX, autoescape=True))
    return int(session.execute(query).scalar_one())



def retry_cards(*, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter,
                now: dt.datetime | None = None, ids: Sequence[int] | None = None) -> int:
    """Send every card still waiting (or those of these outbox rows) again, to its routed
    channel; one that could not be built is built again first. How many are on their way."""
    built, rebuilt = [], 0
    for row in outbox.set_aside_rows(uow=uow, prefix=CARD_PREFIX):
        handoff_id = handoff_of(row.dedupe_key)
        if ids is not None and row.id not in ids:
            continue
        if row.channel:
            built.append(row.id)
        elif handoff_id is not None:
            rebuilt += _build_again(uow, handoff_id, catalog, presenter)
    return len(outbox.release(uow=uow, ids=built, now=now)) + rebuilt


def _build_again(uow: UnitOfWork, handoff_id: int, catalog: Catalog,
                 presenter: CardPresenter) -> bool:
    """Build a card that could not be built before; it stays set aside if it still cannot."""
    with uow.writing() as session:
        try:
            with session.begin_nested():
                session.execute(sa.delete(_OUTBOX).where(
                    _OUTBOX.c.dedupe_key == card_key(handoff_id),
                    _OUTBOX.c.status == OutboxStatus.SET_ASIDE))
                enqueue_card(session=session, handoff_id=handoff_id, catalog=catalog,
                             presenter=presenter)
        except sa.exc.SQLAlchemyError:
            raise
        except Exception as error:
            log.info("handoff %s: its card still cannot be rendered (%s)", handoff_id, error)
            return False
    return True
