"""Target dates and timelines as BDRs say them ("Q3", "next quarter", "within 6 months").

Slashed dates are read only when they cannot be misread ("13/03/2027", "03/13/2027"); a date such
as "03/01/2027" is refused. A month, quarter, half or year without a day means its last day
("March 2027" is 31 March 2027); a week means its Friday. Past dates are refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from baton.domain.parsing import ParseError

DATE_EXAMPLE = "a target date such as 2027-03-31, 31 March 2027, Q3, next quarter or in 6 months"
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(_COUNTS) + r")"
_YEAR = r"(?P<year>\d{4}|'\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY_NAMES = [name.lower() for name in calendar.day_name]
_FILLER = re.compile(r"^(by|before|no later than|target(?:ing)?|ideally|around|about|sometime"
                     r"|in|within|the|end of|until)\s+")
_PAST = re.compile(r"yesterday|last (week|month|quarter|year)|.* ago")
_ASAP = re.compile(r"asap|a\.s\.a\.p\.?|as soon as possible|immediately|right away|right now"
                   r"|now|today|urgent(ly)?")

Handler = Callable[[re.Match[str], dt.date], dt.date]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month_index + 1, min(day.day, _last_day(year, month_index + 1).day))


def _month_after(day: dt.date, months: int) -> dt.date:
    later = _add_months(day.replace(day=1), months)
    return _last_day(later.year, later.month)


def _year(match: re.Match[str]) -> int | None:
    text = match.groupdict().get("year")
    if not text:
        return None
    return int(text) if len(text) == 4 else 2000 + int(text[-2:])


def _upcoming(candidate: Callable[[int], dt.date], today: dt.date, year: int | None) -> dt.date:
    """The period in the given year, or without a year, the next one not yet over."""
    if year is not None:
        return candidate(year)
    this_year = candidate(today.year)
    return this_year if this_year >= today else candidate(today.year + 1)


def _real_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(f"expected a real calendar date, got {text!r}") from None


def _slashed(match: re.Match[str], today: dt.date) -> dt.date:
    first, second = int(match["a"]), int(match["b"])
    year = _year(match) or today.year
    if first <= 12 and second <= 12 and first != second:
        raise ParseError(
            f"{match.string!r} could be day/month or month/day: write it as "
            f"{year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d}")
    day, month = (first, second) if first > 12 else (second, first)
    return _real_date(year, month, day, match.string)


def _day_month(match: re.Match[str], today: dt.date) -> dt.date:
    month, day = _MONTHS[match["month"]], int(match["day"])
    _real_date(_year(match) or 2000, month, day, match.string)
    return _upcoming(lambda y: _real_date(y, month, day, match.string), today, _year(match))


def _month_end(match: re.Match[str], today: dt.date) -> dt.date:
    month = _MONTHS[match["month"]]
    return _upcoming(lambda y: _last_day(y, month), today, _year(match))


def _quarter(match: re.Match[str], today: dt.date) -> dt.date:
    last_month = 3 * int(match["q"])
    return _upcoming(lambda y: _last_day(y, last_month), today, _year(match))


def _half(match: re.Match[str], today: dt.date) -> dt.date:
    last_month = 6 if match["h"] in ("1", "first") else 12
    year = today.year + 1 if match.groupdict().get("next") else _year(match)
    return _upcoming(lambda y: _last_day(y, last_month), today, year)


def _quarter_end(today: dt.date, quarters_ahead: int) -> dt.date:
    return _month_after(today, 3 * quarters_ahead + 2 - (today.month - 1) % 3)


def _friday(today: dt.date, weeks_ahead: int) -> dt.date:
    friday = today + dt.timedelta(days=4 - today.weekday() + 7 * weeks_ahead)
    return max(friday, today)


def _relative(match: re.Match[str], today: dt.date) -> dt.date:
    count = _COUNTS.get(match["count"]) or int(match["count"])
    unit = match["unit"]
    if unit in ("day", "week"):
        return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
    return _add_months(today, count * {"month": 1, "quarter": 3, "year": 12}[unit])


def _weekday(match: re.Match[str], today: dt.date) -> dt.date:
    ahead = (_WEEKDAY_NAMES.index(match["weekday"]) - today.weekday() - 1) % 7 + 1
    return today + dt.timedelta(days=ahead)


_RULES: list[tuple[str, Handler]] = [
    (_ASAP.pattern, lambda m, t: t),
    ("tomorrow", lambda m, t: t + dt.timedelta(days=1)),
    (r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",
     lambda m, t: _real_date(int(m["y"]), int(m["m"]), int(m["d"]), m.string)),
    (r"(?P<y>\d{4})-(?P<m>\d{2})",
     lambda m, t: _month_after(_real_date(int(m["y"]), int(m["m"]), 1, m.string), 0)),
    (r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})", _slashed),
    (_DAY + r" (?:of )?" + _MONTH + r",?(?: " + _YEAR + ")?", _day_month),
    (_MONTH + " " + _DAY + r",?(?: " + _YEAR + ")?", _day_month),
    (_MONTH + r",?(?: " + _YEAR + ")?", _month_end),
    (r"(?:this |current |the )?quarter|quarter end|eoq", lambda m, t: _quarter_end(t, 0)),
    (r"next quarter", lambda m, t: _quarter_end(t, 1)),
    (r"q(?P<q>[1-4])(?:[ /]" + _YEAR + ")?", _quarter),
    (_YEAR + r" q(?P<q>[1-4])", _quarter),
    (r"h(?P<h>[12])(?: " + _YEAR + ")?", _half),
    (r"(?P<h>first|second) half(?: of (?:(?P<next>next year)|this year|" + _YEAR + "))?", _half),
    (r"(?:this |current |the )?year|eoy|year end|year-end",
     lambda m, t: dt.date(t.year, 12, 31)),
    (r"next year", lambda m, t: dt.date(t.year + 1, 12, 31)),
    (r"(?P<y>20\d{2})", lambda m, t: dt.date(int(m["y"]), 12, 31)),
    (r"(?:this |current |the )?month|eom|month end", lambda m, t: _month_after(t, 0)),
    (r"next month", lambda m, t: _month_after(t, 1)),
    (r"(?:this |the )?week|eow|week end", lambda m, t: _friday(t, 0)),
    (r"next week", lambda m, t: _friday(t, 1)),
    (r"(?:the )?(?:next )?" + _COUNT + r" (?P<unit>day|week|month|quarter|year)s?"
     r"(?: from (?:now|today)| time| or so)?", _relative),
    (r"(?:next |this )?(?P<weekday>" + "|".join(_WEEKDAY_NAMES) + ")", _weekday),
]
_COMPILED = [(re.compile(pattern), handler) for pattern, handler in _RULES]


def _normalise_date_text(text: str) -> str:
    cleaned = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower().rstrip(".!")
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _FILLER.sub("", cleaned)
    return cleaned


def parse_timeline(text: str, today: dt.date) -> dt.date:
    """Read when the lead wants something in place, relative to `today`; never a past date."""
    cleaned = _normalise_date_text(text)
    if not cleaned:
        raise ParseError(f"expected {DATE_EXAMPLE}, got nothing")
    if _PAST.fullmatch(cleaned):
        raise ParseError(f"{text!r} is in the past: give the date they want it in place")
    for pattern, handler in _COMPILED:
        match = pattern.fullmatch(cleaned)
        if match is not None:
            target = handler(match, today)
            if target < today:
                raise ParseError(f"{text!r} ({target.isoformat()}) is in the past: give the "
                                 f"date they want it in place, today is {today.isoformat()}")
            return target
    raise ParseError(f"expected {DATE_EXAMPLE}, got {text!r}")
