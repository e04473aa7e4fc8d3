"""Slack's deliveries handled once, however often Slack sends them and to whichever process."""

from __future__ import annotations

from baton.services.unit_of_work import UnitOfWork
from baton.store.requests import first_time


def first_delivery(*, uow: UnitOfWork, event_id: str) -> bool:
    """Record an Events API event as handled; False when it had been recorded before."""
    with uow.writing() as session:
        return first_time(session, f"event:{event_id}")
