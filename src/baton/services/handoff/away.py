"""Reps saying they are away (until a day, or until they are back): assignment skips them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baton.domain.errors import Refusal
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import Absence


@dataclass(frozen=True)
class Away:
    """Whether a rep is away today, and until when (None: until they say they are back)."""

    away: bool
    until: dt.date | None = None


def go_away(*, uow: UnitOfWork, user: str, until: dt.date | None, today: dt.date) -> Away:
    """Mark `user` away until `until` (included), or until they are back."""
    if until is not None and until < today:
        raise Refusal(f"{until:%a %-d %b %Y} has passed; give a day from today on, or no day "
                      "to be away until you say you are back.")
    with uow.writing() as session:
        absence = session.get(Absence, user) or Absence(user_id=user)
        absence.until, absence.since = until, dt.datetime.now(dt.UTC)
        session.add(absence)
        record_event(session, actor=user, kind="rep.away", subject_type="user", subject_id=user,
                     payload={"until": until.isoformat() if until else None})
    return Away(True, until)


def come_back(*, uow: UnitOfWork, user: str) -> bool:
    """`user` is back; False when they were not away."""
    with uow.writing() as session:
        absence = session.get(Absence, user)
        if absence is None:
            return False
        session.delete(absence)
        record_event(session, actor=user, kind="rep.back", subject_type="user", subject_id=user)
        return True


def away_status(*, uow: UnitOfWork, user: str, today: dt.date) -> Away:
    """Whether `user` is away today."""
    with uow.reading() as session:
        absence = session.get(Absence, user)
    if absence is None or (absence.until is not None and absence.until < today):
        return Away(False)
    return Away(True, absence.until)
