"""Periods in plain words, turned into exact UTC moments in the team's time zone.

Calendar periods (today, weeks, months, quarters, years) run from local midnight to local
midnight, so a day across a DST change lasts 23 or 25 hours. "last N days" is the rolling
N * 24 hours up to now. Two ISO dates include the whole of the end date. Weeks start Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from baton.domain.errors import Refusal

EXAMPLES = "today, this week, last 30 days, this quarter or 2026-01-01 to 2026-03-31"
DEFAULT_PERIOD = "this week"
_ROLLING = re.compile(r"^last (\d{1,3}) days?$")
_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:to|\.\.|–|—)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(Refusal, ValueError):
    """The text names no period Baton knows; the message gives examples."""


@dataclass(frozen=True)
class Period:
    """A stretch of time: aware UTC start, exclusive end, and the words it was asked for in."""

    label: str
    start: dt.datetime
    end: dt.datetime

    def previous(self) -> Period:
        """The period of the same length that ends where this one starts."""
        length = self.end - self.start
        return Period(label=f"before {self.label}", start=self.start - length, end=self.start)

    def __contains__(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def parse_period(text: str, *, now: dt.datetime, tz: str) -> Period:
    """Read a period such as "last week" or "2026-01-01 to 2026-03-31"; empty means this week."""
    zone = _zone(tz)
    words = " ".join(text.lower().split()) or DEFAULT_PERIOD
    local_now = now.astimezone(zone)
    today = local_now.date()
    if words in _CALENDAR:
        first, after = _CALENDAR[words](today)
        return _local_span(words, first, after, zone)
    if (match := _ROLLING.match(words)) and int(match[1]) > 0:
        end = now.astimezone(dt.UTC)
        return Period(label=words, start=end - dt.timedelta(days=int(match[1])), end=end)
    if match := _DATES.match(words):
        first, last = _iso_date(match[1]), _iso_date(match[2])
        if last < first:
            raise PeriodError(f"the period ends ({last}) before it starts ({first})")
        return _local_span(f"{first} to {last}", first, last + dt.timedelta(days=1), zone)
    raise PeriodError(f"expected a period such as {EXAMPLES}, got {text.strip()!r}")


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(f"expected a time zone such as Europe/Paris, got {tz!r}") from None


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"expected a real date as YYYY-MM-DD, got {text!r}") from None


def _local_span(label: str, first: dt.date, after: dt.date, zone: ZoneInfo) -> Period:
    """Local midnight of `first` up to local midnight of `after`, both in UTC."""
    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

    return Period(label=label, start=midnight(first), end=midnight(after))


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: dt.date, quarters_back: int = 0) -> dt.date:
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return _month_start(first, 3 * quarters_back)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


_DAY = dt.timedelta(days=1)
_WEEK = dt.timedelta(days=7)
_CALENDAR: dict[str, Callable[[dt.date], tuple[dt.date, dt.date]]] = {
    "today": lambda d: (d, d + _DAY),
    "yesterday": lambda d: (d - _DAY, d),
    "this week": lambda d: (_week_start(d), _week_start(d) + _WEEK),
    "last week": lambda d: (_week_start(d) - _WEEK, _week_start(d)),
    "this month": lambda d: (_month_start(d), _month_start(d, -1)),
    "last month": lambda d: (_month_start(d, 1), _month_start(d)),
    "this quarter": lambda d: (_quarter_start(d), _quarter_start(d, -1)),
    "last quarter": lambda d: (_quarter_start(d, 1), _quarter_start(d)),
    "this year": lambda d: (dt.date(d.year, 1, 1), dt.date(d.year + 1, 1, 1)),
}
