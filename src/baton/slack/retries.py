"""Slack's retries of an event are answered once: every event's id is recorded before it is handled.

Slack sends an event again (X-Slack-Retry-Num over HTTP, retry_attempt over Socket Mode) when its
first delivery was not acknowledged in time, though it may well be under way. One global middleware
covers every event listener; the record is in the database, so it holds across Baton processes.
An event needs nothing in its ack, so it is acknowledged before the database is asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from slack_bolt import Ack, App, BoltResponse

from baton.services.requests import first_delivery
from baton.services.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)
Middleware = Callable[..., BoltResponse | None]
Next = Callable[[], BoltResponse | None]


def register(app: App, uow: UnitOfWork) -> None:
    """Make every event listener of `app` run once per event_id."""
    app.middleware(once_per_event(uow))


def once_per_event(uow: UnitOfWork) -> Middleware:
    """A middleware that acknowledges an event seen before and hands it to no listener."""

    def middleware(body: dict[str, Any], ack: Ack, next_: Next) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return next_()
        ack()
        try:
            first = first_delivery(uow=uow, event_id=event_id)
        except sa.exc.SQLAlchemyError as error:
            # Answering is worth more than deduplicating: the listener may still manage.
            logger.warning("Could not record event %s (%s); handling it anyway",
                           event_id, type(error).__name__)
            return next_()
        if first:
            return next_()
        logger.info("Event %s was handled before; Slack's retry is acknowledged only", event_id)
        return BoltResponse(status=200, body="")

    return middleware
