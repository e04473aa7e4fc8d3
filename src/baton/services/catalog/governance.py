"""Governing the agreed definition over time: its history, putting an older version back in
force, and telling managers when its review is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import select

from baton.services.catalog.definitions import DefinitionError
from baton.services.catalog.in_force import IN_FORCE, catalog_in_force, in_force_row, version_row
from baton.services.catalog.loading import Catalog
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import DefinitionPeriod, DefinitionVersion, VerdictRecord

_VERDICT = VerdictRecord.__table__  # type: ignore[attr-defined]
# Managers hear of a review due on a working morning, not in the night the date turns.
REVIEW_NOTICE_HOUR = 9


@dataclass(frozen=True)
class Period:
    """A stretch of time a version was in force; `until` is None while it still is."""

    since: dt.datetime
    until: dt.datetime | None
    by: str
    cause: str


@dataclass(frozen=True)
class VersionHistory:
    """One applied version: who applied it and when, when it was in force, what it judged."""

    version: str
    applied_by: str
    applied_at: dt.datetime
    periods: tuple[Period, ...]
    verdicts: int

    @property
    def in_force(self) -> bool:
        return bool(self.periods) and self.periods[-1].until is None


@dataclass(frozen=True)
class PutBack:
    """The result of `baton definition use`: the version now in force, and the one before."""

    version: str
    previous: str
    already_in_force: bool


def definition_history(*, uow: UnitOfWork) -> list[VersionHistory]:
    """Every applied version, oldest first, with its periods in force and verdict count."""
    with uow.reading() as session:
        versions = session.exec(select(DefinitionVersion).order_by(
            DefinitionVersion.applied_at, DefinitionVersion.id)).all()  # type: ignore[arg-type]
        periods = session.exec(select(DefinitionPeriod).order_by(
            DefinitionPeriod.id)).all()  # type: ignore[arg-type]
        judged = _VERDICT.c.definition_version
        counts: dict[str, int] = dict(session.execute(
            sa.select(judged, sa.func.count()).group_by(judged)).all())
    ends = [later.started_at for later in periods[1:]] + [None]
    spans: dict[str, list[Period]] = {}
    for period, until in zip(periods, ends, strict=True):
        spans.setdefault(period.version, []).append(
            Period(period.started_at, until, period.started_by, period.cause))
    return [VersionHistory(row.version, row.applied_by, row.applied_at,
                           tuple(spans.get(row.version, ())), counts.get(row.version, 0))
            for row in versions]


def put_back(*, uow: UnitOfWork, version: str, by: str) -> PutBack:
    """Put a stored version back in force, recorded; the one in force already changes nothing."""
    with uow.writing() as session:
        if version_row(session, version) is None:
            stored = session.exec(select(DefinitionVersion.version)).all()
            known = ", ".join(sorted(stored)) or "none yet"
            raise DefinitionError(f"no version {version!r} was ever applied (applied: {known})")
        current = in_force_row(session)
        previous = current.version if current is not None else ""
        if previous == version:
            return PutBack(version=version, previous=previous, already_in_force=True)
        session.add(DefinitionPeriod(version=version, started_by=by, cause="put back"))
        session.info.pop(IN_FORCE, None)
        record_event(session, actor=by, kind="definition.put_back", subject_type="definition",
                     subject_id=version, payload={"version": version, "previous": previous})
        return PutBack(version=version, previous=previous, already_in_force=False)


def remind_review(*, uow: UnitOfWork, catalog: Catalog, managers: Sequence[str],
                  now: dt.datetime) -> bool:
    """From the definition's review date on, DM each manager once a week that it is due; the
    week's message is one outbox row per manager, whatever the number of processes ticking."""
    with uow.reading() as session:
        definition = catalog_in_force(session=session, catalog=catalog).definition
    local = now.astimezone(ZoneInfo(definition.sla.timezone))
    if not definition.review_overdue(local.date()) or local.hour < REVIEW_NOTICE_HOUR:
        return False
    with uow.writing() as session:
        year, week, _ = local.isocalendar()
        text = (f":calendar: The sales-ready lead definition {definition.version} was due for "
                f"review on {definition.review_by:%a %d %b %Y} by "
                f"{', '.join(definition.agreed_by)}. Propose the changes in prompts/, compare "
                "them with `baton definition diff`, and apply them with a new version label. "
                "This reminder comes every week until a version with a later review date is "
                "in force.")
        for manager in managers:
            enqueue(session=session, kind="chat.postMessage",
                    dedupe_key=f"review:{definition.version}:{year}-W{week:02d}:{manager}",
                    payload={"channel": manager, "text": text})
    return True
