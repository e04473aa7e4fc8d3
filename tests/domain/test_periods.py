"""Periods in plain words become exact UTC spans in the team's time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from baton.domain.periods import Period, PeriodError, parse_period

UTC = dt.UTC
PARIS = "Europe/Paris"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


# Wednesday 15 January 2025, 10:00 in Paris (UTC+1).
NOW = utc(2025, 1, 15, 9)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", utc(2025, 1, 14, 23), utc(2025, 1, 15, 23)),
        ("yesterday", utc(2025, 1, 13, 23), utc(2025, 1, 14, 23)),
        ("this week", utc(2025, 1, 12, 23), utc(2025, 1, 19, 23)),
        ("last week", utc(2025, 1, 5, 23), utc(2025, 1, 12, 23)),
        ("this month", utc(2024, 12, 31, 23), utc(2025, 1, 31, 23)),
        ("last month", utc(2024, 11, 30, 23), utc(2024, 12, 31, 23)),
        ("this quarter", utc(2024, 12, 31, 23), utc(2025, 3, 31, 22)),
        ("last quarter", utc(2024, 9, 30, 22), utc(2024, 12, 31, 23)),
        ("this year", utc(2024, 12, 31, 23), utc(2025, 12, 31, 23)),
        ("last 7 days", utc(2025, 1, 8, 9), NOW),
        ("last 30 days", utc(2024, 12, 16, 9), NOW),
        ("last 90 days", utc(2024, 10, 17, 9), NOW),
        ("2025-01-01 to 2025-03-31", utc(2024, 12, 31, 23), utc(2025, 3, 31, 22)),
    ],
)
def test_each_phrase_is_its_local_span_in_utc(text: str, start: dt.datetime,
                                              end: dt.datetime) -> None:
    period = parse_period(text, now=NOW, tz=PARIS)
    assert (period.start, period.end, period.label) == (start, end, text)


def test_empty_text_is_this_week_and_spacing_and_case_do_not_matter() -> None:
    assert parse_period("", now=NOW, tz=PARIS) == parse_period("this week", now=NOW, tz=PARIS)
    assert parse_period("  Last   WEEK ", now=NOW, tz=PARIS).label == "last week"


def test_week_starts_monday_in_the_team_zone_not_in_utc() -> None:
    # Sunday 23:30 UTC is already Monday in Tokyo and still Sunday in New York.
    sunday_night = utc(2025, 1, 19, 23, 30)
    tokyo = parse_period("this week", now=sunday_night, tz="Asia/Tokyo")
    new_york = parse_period("this week", now=sunday_night, tz="America/New_York")
    assert tokyo.start == utc(2025, 1, 19, 15)
    assert new_york.start == utc(2025, 1, 13, 5)


def test_month_and_quarter_boundaries_cross_the_year() -> None:
    new_year = utc(2025, 1, 1, 0, 30)  # 01:30 in Paris on 1 January
    assert parse_period("last month", now=new_year, tz=PARIS).start == utc(2024, 11, 30, 23)
    assert parse_period("last quarter", now=new_year, tz=PARIS).end == utc(2024, 12, 31, 23)
    still_december = utc(2024, 12, 31, 22, 30)  # 23:30 in Paris on 31 December
    assert parse_period("this quarter", now=still_december, tz=PARIS).start == utc(2024, 9, 30, 22)


def test_days_across_dst_changes_last_23_and_25_hours() -> None:
    spring = parse_period("today", now=utc(2025, 3, 30, 12), tz=PARIS)
    autumn = parse_period("today", now=utc(2025, 10, 26, 12), tz=PARIS)
    assert spring.end - spring.start == dt.timedelta(hours=23)
    assert autumn.end - autumn.start == dt.timedelta(hours=25)
    week = parse_period("this week", now=utc(2025, 3, 30, 12), tz=PARIS)
    assert (week.start, week.end) == (utc(2025, 3, 23, 23), utc(2025, 3, 30, 22))


def test_previous_is_the_same_length_just_before() -> None:
    week = parse_period("this week", now=NOW, tz=PARIS)
    before = week.previous()
    assert before.end == week.start
    assert before.end - before.start == week.end - week.start
    assert before.start == parse_period("last week", now=NOW, tz=PARIS).start


def test_a_moment_is_in_a_period_up_to_but_not_at_its_end() -> None:
    period = Period(label="x", start=utc(2025, 1, 1), end=utc(2025, 1, 2))
    assert utc(2025, 1, 1) in period
    assert utc(2025, 1, 2) not in period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("blah", "expected a period such as today, this week, last 30 days, this quarter or "
                 "2026-01-01 to 2026-03-31, got 'blah'"),
        ("last 0 days", "got 'last 0 days'"),
        ("2025-02-30 to 2025-03-01", "expected a real date as YYYY-MM-DD, got '2025-02-30'"),
        ("2025-03-01 to 2025-01-01", "the period ends (2025-01-01) before it starts (2025-03-01)"),
    ],
)
def test_unknown_text_is_refused_with_examples(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, now=NOW, tz=PARIS)
    assert message in str(caught.value)


def test_an_unknown_time_zone_is_named() -> None:
    with pytest.raises(PeriodError, match="expected a time zone such as Europe/Paris, got 'Mars'"):
        parse_period("today", now=NOW, tz="Mars")
