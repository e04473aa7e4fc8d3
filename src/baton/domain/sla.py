"""Business-time arithmetic for handoff deadlines, in the agreed time zone and working hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple
from zoneinfo import ZoneInfo

from baton.domain.definition import BusinessHours, ServiceLevel

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MINUTE = dt.timedelta(minutes=1)


class SlaDeadlines(NamedTuple):
    """When a handoff must be claimed, and when its managers are told it was not."""

    claim_by: dt.datetime
    escalate_at: dt.datetime


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    # Business hours are wall-clock times, so the arithmetic runs on naive local times;
    # converting back through the zone keeps every answer right across DST changes.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware time, got {moment.isoformat()}")
    return moment.astimezone(zone).replace(tzinfo=None)


def _utc(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return local.replace(tzinfo=zone).astimezone(dt.UTC)


def _is_workday(day: dt.date, hours: BusinessHours, holidays: Collection[dt.date] = ()) -> bool:
    return _WEEKDAYS[day.weekday()] in hours.days and day not in holidays


def _next_open(local: dt.datetime, hours: BusinessHours,
               holidays: Collection[dt.date] = ()) -> dt.datetime:
    """The first business moment at or after `local`."""
    while not _is_workday(local.date(), hours, holidays) or local.time() >= hours.end:
        local = dt.datetime.combine(local.date() + dt.timedelta(days=1), hours.start)
    return max(local, dt.datetime.combine(local.date(), hours.start))


def add_business_minutes(start: dt.datetime, minutes: int, sla: ServiceLevel) -> dt.datetime:
    """The moment (UTC) when `minutes` of business time have passed since `start`."""
    if minutes < 0:
        raise ValueError(f"expected a number of minutes of 0 or more, got {minutes}")
    zone, hours, holidays = ZoneInfo(sla.timezone), sla.business_hours, frozenset(sla.holidays)
    local = _next_open(_local(start, zone), hours, holidays)
    remaining = minutes * _MINUTE
    while True:
        close = dt.datetime.combine(local.date(), hours.end)
        if remaining <= close - local:
            return _utc(local + remaining, zone)
        remaining -= close - local
        local = _next_open(close, hours, holidays)


def business_minutes_between(start: dt.datetime, end: dt.datetime, sla: ServiceLevel) -> int:
    """Whole minutes of business time from `start` to `end`; 0 when `end` is not later."""
    zone, hours, holidays = ZoneInfo(sla.timezone), sla.business_hours, frozenset(sla.holidays)
    first, last = _local(start, zone), _local(end, zone)
    total = dt.timedelta()
    day = first.date()
    while day <= last.date():
        if _is_workday(day, hours, holidays):
            opened = max(first, dt.datetime.combine(day, hours.start))
            closed = min(last, dt.datetime.combine(day, hours.end))
            total += max(closed - opened, dt.timedelta())
        day += dt.timedelta(days=1)
    return total // _MINUTE


def deadlines(handed_off_at: dt.datetime, sla: ServiceLevel) -> SlaDeadlines:
    """The claim and escalation deadlines of a handoff made at `handed_off_at`."""
    return SlaDeadlines(
        claim_by=add_business_minutes(handed_off_at, sla.claim_within_minutes, sla),
        escalate_at=add_business_minutes(handed_off_at, sla.escalate_after_minutes, sla),
    )
