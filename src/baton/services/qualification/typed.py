"""Reading a typed answer by its criterion's kind, and storing answers with their history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from baton.domain.errors import InvalidAnswer
from baton.domain.framework import AnswerKind, Criterion
from baton.domain.parsing import ParseError, parse_money, parse_number
from baton.domain.timeline import parse_timeline
from baton.services.catalog import Catalog
from baton.services.qualification.state import current_answers
from baton.store.events import record_event
from baton.store.tables import AnswerEntry
from baton.store.types import utcnow


@dataclass(frozen=True)
class Reading:
    """A typed answer as given, its normalised form for storage, and how to show it."""

    raw: str
    normalised: str
    shown: str


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def read_typed(criterion: Criterion, typed: str, today: dt.date) -> Reading:
    """Parse `typed` by the criterion's kind, or raise InvalidAnswer with the parser's message."""
    raw = typed.strip()
    if not raw:
        raise InvalidAnswer(criterion.key, f"Type an answer for {criterion.title}, "
                                           "or pick one of the buttons.")
    try:
        if criterion.kind == AnswerKind.MONEY:
            money = parse_money(raw)
            return Reading(raw, f"{_plain(money.amount)} {money.currency}", str(money))
        if criterion.kind == AnswerKind.DATE:
            day = parse_timeline(raw, today)
            return Reading(raw, day.isoformat(), f"{day.day} {day:%b %Y}")
        if criterion.kind == AnswerKind.NUMBER:
            number = _plain(parse_number(raw))
            return Reading(raw, number, number)
    except ParseError as exc:
        raise InvalidAnswer(criterion.key, f"{criterion.title}: {exc}") from None
    if criterion.kind in (AnswerKind.CHOICE, AnswerKind.YES_NO):
        raise InvalidAnswer(criterion.key, f"{criterion.title} is answered with one of the "
                                           "buttons; add what you typed as a note instead.")
    return Reading(raw, raw, raw)


def check_typed(catalog: Catalog, criterion_key: str, typed: str | None, notes: str) -> None:
    """Refuse what a typed-answer modal gives for `criterion_key` when it cannot be stored (an
    unreadable value, or nothing typed and no note), before the database is read: by the question
    sets loaded, where they ask that criterion one way. answer() judges again by the set the
    qualification was started with."""
    asked = [c for f in catalog.frameworks.values() for c in f.criteria if c.key == criterion_key]
    if not asked or any(c.kind != asked[0].kind for c in asked):
        return
    if typed is not None:
        read_typed(asked[0], typed, utcnow().date())
    elif not notes.strip():
        raise nothing_given(asked[0])


def nothing_given(criterion: Criterion) -> InvalidAnswer:
    return InvalidAnswer(criterion.key, f"Pick an answer for {criterion.title}, or type one.")


def check_choice(criterion: Criterion, choice: str) -> None:
    if criterion.choice(choice) is None:
        allowed = ", ".join(c.label for c in criterion.choices) or "none"
        raise InvalidAnswer(criterion.key, f"{criterion.title} has no answer {choice!r}; "
                                           f"pick one of: {allowed}.")


def record_answer(
    session: Session, qualification_id: int, criterion: Criterion, *, choice: str | None,
    reading: Reading | None, notes: str, answered_by: str,
) -> AnswerEntry:
    """Store an answer; the one it corrects stays, marked superseded."""
    now = utcnow()
    previous = current_answers(session, qualification_id).get(criterion.key)
    if previous is not None:
        previous.is_current = False
        previous.superseded_at = now
        session.add(previous)
        # The old row must stop being current before the unique index sees the new one.
        session.flush()
    entry = AnswerEntry(
        qualification_id=qualification_id, criterion_key=criterion.key, choice=choice,
        typed_value=reading.raw if reading else None,
        normalised_value=reading.normalised if reading else None,
        notes=notes.strip(), answered_by=answered_by, answered_at=now,
    )
    session.add(entry)
    session.flush()
    record_event(session, actor=answered_by, kind="answer.recorded",
                 subject_type="qualification", subject_id=qualification_id,
                 payload={"criterion": criterion.key, "choice": choice,
                          "normalised": entry.normalised_value, "answer_id": entry.id,
                          "supersedes": previous.id if previous else None})
    return entry


def answer_text(criterion: Criterion, choice: str | None, reading: Reading | None) -> str:
    """How an answer reads back to the BDR: the choice's label, the value typed, or both."""
    parts = []
    chosen = criterion.choice(choice) if choice else None
    if chosen is not None:
        parts.append(chosen.label)
    if reading is not None:
        parts.append(reading.shown)
    return " — ".join(parts)
