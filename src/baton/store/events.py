"""Appending to the event log, the one record of who did what."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from baton.store.tables import EventLog


def record_event(
    session: Session,
    *,
    actor: str,
    kind: str,
    subject_type: str,
    subject_id: str | int,
    payload: dict[str, Any] | None = None,
) -> EventLog:
    """Add one event row to the session's transaction; it is never updated afterwards."""
    event = EventLog(
        actor=actor,
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload or {},
    )
    session.add(event)
    return event
