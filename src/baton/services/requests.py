"""Slack's deliveries handled once, however often Slack sends them and to whichever process."""

from __future__ import annotations

import datetime as dt

from baton.services.unit_of_work import UnitOfWork
from baton.store.requests import first_time, forget

# Slack stops retrying an event within the hour; a day later its key guards nothing.
REMEMBERED = dt.timedelta(days=1)


def first_delivery(*, uow: UnitOfWork, event_id: str) -> bool:
    """Record an Events API event as handled; False when it had been recorded before."""
    with uow.writing() as session:
        return first_time(session, f"event:{event_id}")


def forget_old_events(*, uow: UnitOfWork, now: dt.datetime) -> int:
    """Let go of events handled more than a day ago, so the record does not grow forever."""
    with uow.writing() as session:
        return forget(session, "event:", now - REMEMBERED)
