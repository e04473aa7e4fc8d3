"""Claim and escalation deadlines in business time, in the agreed zone, across DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baton.domain.definition import ServiceLevel
from baton.domain.sla import add_business_minutes, business_minutes_between, deadlines

NEW_YORK = ZoneInfo("America/New_York")
SLA = ServiceLevel(claim_within_minutes=15, escalate_after_minutes=60)


def et(*parts: int) -> dt.datetime:
    """A New York wall-clock time as an aware UTC datetime."""
    return dt.datetime(*parts, tzinfo=NEW_YORK).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (et(2026, 10, 13, 10, 0), 15, et(2026, 10, 13, 10, 15)),  # a Tuesday morning
        (et(2026, 10, 13, 7, 0), 15, et(2026, 10, 13, 9, 15)),  # before opening
        (et(2026, 10, 13, 17, 50), 15, et(2026, 10, 14, 9, 5)),  # across the evening
        (et(2026, 10, 13, 17, 45), 15, et(2026, 10, 13, 18, 0)),  # exactly at closing
        (et(2026, 10, 16, 17, 50), 15, et(2026, 10, 19, 9, 5)),  # Friday to Monday
        (et(2026, 10, 17, 12, 0), 15, et(2026, 10, 19, 9, 15)),  # handed off on Saturday
        (et(2026, 10, 17, 12, 0), 0, et(2026, 10, 19, 9, 0)),
        (et(2026, 10, 13, 9, 0), 540 * 2 + 30, et(2026, 10, 15, 9, 30)),  # two full days
        (et(2026, 10, 30, 17, 50), 15, et(2026, 11, 2, 9, 5)),  # clocks go back on 1 Nov
        (et(2027, 3, 12, 17, 55), 60, et(2027, 3, 15, 9, 55)),  # clocks go forward on 14 Mar
    ],
)
def test_adds_business_minutes(start: dt.datetime, minutes: int, due: dt.datetime) -> None:
    assert add_business_minutes(start, minutes, SLA) == due


def test_the_result_is_utc_and_keeps_wall_clock_across_dst() -> None:
    due = add_business_minutes(et(2026, 10, 30, 17, 50), 15, SLA)
    assert due.tzinfo is dt.UTC
    assert due == dt.datetime(2026, 11, 2, 14, 5, tzinfo=dt.UTC)  # 09:05 EST is 14:05 UTC


def test_deadlines_claim_then_escalate() -> None:
    claim_by, escalate_at = deadlines(et(2026, 10, 16, 17, 30), SLA)
    assert claim_by == et(2026, 10, 16, 17, 45)
    assert escalate_at == et(2026, 10, 19, 9, 30)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (et(2026, 10, 13, 10, 0), et(2026, 10, 13, 10, 7, 59), 7),
        (et(2026, 10, 16, 17, 50), et(2026, 10, 19, 9, 5), 15),
        (et(2026, 10, 17, 8, 0), et(2026, 10, 18, 23, 0), 0),
        (et(2026, 10, 12, 9, 0), et(2026, 10, 19, 9, 0), 5 * 540),
        (et(2026, 10, 30, 17, 0), et(2026, 11, 2, 10, 0), 120),
        (et(2026, 10, 13, 12, 0), et(2026, 10, 13, 11, 0), 0),
    ],
)
def test_counts_business_minutes_between(
    start: dt.datetime, end: dt.datetime, minutes: int
) -> None:
    assert business_minutes_between(start, end, SLA) == minutes


def test_refuses_times_without_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_minutes(dt.datetime(2026, 10, 13, 10, 0), 15, SLA)


def test_refuses_negative_minutes() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_business_minutes(et(2026, 10, 13, 10, 0), -1, SLA)


def test_other_zones_and_working_days() -> None:
    paris = ServiceLevel(claim_within_minutes=30, escalate_after_minutes=90,
                         timezone="Europe/Paris",
                         business_hours={"start": "08:30", "end": "17:00",
                                         "days": ["sun", "mon", "tue", "wed", "thu"]})
    thursday_evening = dt.datetime(2026, 10, 22, 16, 45, tzinfo=ZoneInfo("Europe/Paris"))
    due = add_business_minutes(thursday_evening, 30, paris)
    assert due == dt.datetime(2026, 10, 25, 8, 45, tzinfo=ZoneInfo("Europe/Paris"))


moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(dt.UTC),
)


@given(start=moments, minutes=st.integers(min_value=0, max_value=10_000))
def test_adding_then_counting_gives_the_same_minutes(start: dt.datetime, minutes: int) -> None:
    due = add_business_minutes(start, minutes, SLA)
    assert due >= start
    assert business_minutes_between(start, due, SLA) == minutes


@given(start=moments, first=st.integers(0, 3000), second=st.integers(1, 3000))
def test_adding_in_two_steps_is_adding_once(
    start: dt.datetime, first: int, second: int
) -> None:
    twice = add_business_minutes(add_business_minutes(start, first, SLA), second, SLA)
    assert twice == add_business_minutes(start, first + second, SLA)
