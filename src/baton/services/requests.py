"""Slack's deliveries handled once, however often Slack sends them and to whichever process."""

from __future__ import annotations

import sqlalchemy as sa

from baton.store.db import session_scope
from baton.store.requests import first_time


def first_delivery(*, engine: sa.Engine, event_id: str) -> bool:
    """Record an Events API event as handled; False when it had been recorded before."""
    with session_scope(engine) as session:
        return first_time(session, f"event:{event_id}")
