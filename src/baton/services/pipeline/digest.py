"""The weekly digest to managers: last week against the week before, its top rejection reasons,
the criteria to look at, and whether the definition's review is due; once a week, however many
Baton processes tick."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from baton.domain.periods import parse_period
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.outbox import enqueue
from baton.services.pipeline.criteria import criteria_report
from baton.services.pipeline.summary import Summary, summary_of
from baton.services.unit_of_work import UnitOfWork
from baton.store.requests import first_time

# The criteria to look at are read over this many days of leads: a week has too few.
CRITERIA_DAYS = 90
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Digest:
    """What the week's digest says."""

    week: str
    summary: Summary
    to_look_at: tuple[str, ...]
    definition_version: str
    review_due: dt.date | None


class DigestPresenter(Protocol):
    def digest_message(self, digest: Digest) -> Any: ...


@dataclass(frozen=True)
class DigestSent:
    """The digest queued this week by this process, and where; the chart goes beside it."""

    digest: Digest
    targets: tuple[str, ...]


def send_digest(*, uow: UnitOfWork, catalog: Catalog, presenter: DigestPresenter,
                managers: Sequence[str], now: dt.datetime) -> DigestSent | None:
    """On the digest's day and hour, queue it for the channel or each manager, once a week;
    None when it is not due or another process (or an earlier tick) sent it."""
    with uow.reading() as session:
        definition = catalog_in_force(session=session, catalog=catalog).definition
    setting = definition.digest
    zone = definition.sla.timezone
    local = now.astimezone(ZoneInfo(zone))
    if setting is None or _DAYS[local.weekday()] != setting.day or local.hour < setting.hour:
        return None
    targets = (setting.channel,) if setting.channel else tuple(managers)
    if not targets:
        return None
    year, week, _ = local.isocalendar()
    with uow.writing() as session:
        if not first_time(session, f"digest:{year}-W{week:02d}"):
            return None
        period = parse_period("last week", now=now, tz=zone)
        since = now - dt.timedelta(days=CRITERIA_DAYS)
        looking = tuple(f"{r.framework} {r.title}" for r in criteria_report(
            uow=uow, catalog=catalog, since=since, until=now) if r.to_look_at)
        digest = Digest(week=period.label, summary=summary_of(session, period, None),
                        to_look_at=looking, definition_version=definition.version,
                        review_due=definition.review_by
                        if definition.review_overdue(local.date()) else None)
        message = presenter.digest_message(digest)
        for target in targets:
            enqueue(session=session, kind="chat.postMessage",
                    dedupe_key=f"digest:{year}-W{week:02d}:{target}",
                    payload={"channel": target, **message.as_kwargs()})
    return DigestSent(digest, targets)
