"""Target dates as BDRs type them, read against a fixed day: Wednesday 14 October 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from baton.domain.parsing import ParseError
from baton.domain.timeline import parse_timeline

TODAY = dt.date(2026, 10, 14)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("2027-03-01", "2027-03-01"),
        ("2027/03/01", "2027-03-01"),
        ("13/03/2027", "2027-03-13"),
        ("03/13/2027", "2027-03-13"),
        ("03/13/27", "2027-03-13"),
        ("03/03/2027", "2027-03-03"),
        ("1 March 2027", "2027-03-01"),
        ("March 1, 2027", "2027-03-01"),
        ("1st of March", "2027-03-01"),
        ("Jan 15 2027", "2027-01-15"),
        ("20 October", "2026-10-20"),
        ("March 2027", "2027-03-31"),
        ("2027-02", "2027-02-28"),
        ("march", "2027-03-31"),
        ("end of March", "2027-03-31"),
        ("by end of November", "2026-11-30"),
        ("next quarter", "2027-03-31"),
        ("this quarter", "2026-12-31"),
        ("by end of next quarter", "2027-03-31"),
        ("EOQ", "2026-12-31"),
        ("Q3", "2027-09-30"),
        ("Q4", "2026-12-31"),
        ("Q1 2027", "2027-03-31"),
        ("Q2/2027", "2027-06-30"),
        ("2027 Q1", "2027-03-31"),
        ("H1", "2027-06-30"),
        ("H2", "2026-12-31"),
        ("second half of next year", "2027-12-31"),
        ("within 6 months", "2027-04-14"),
        ("in 2 weeks", "2026-10-28"),
        ("in three weeks", "2026-11-04"),
        ("30 days", "2026-11-13"),
        ("in the next 3 months", "2027-01-14"),
        ("within a year", "2027-10-14"),
        ("next month", "2026-11-30"),
        ("end of month", "2026-10-31"),
        ("end of year", "2026-12-31"),
        ("EOY", "2026-12-31"),
        ("by the end of the year", "2026-12-31"),
        ("next year", "2027-12-31"),
        ("2027", "2027-12-31"),
        ("ASAP", "2026-10-14"),
        ("immediately", "2026-10-14"),
        ("today", "2026-10-14"),
        ("tomorrow", "2026-10-15"),
        ("by Friday", "2026-10-16"),
        ("next Monday", "2026-10-19"),
        ("this week", "2026-10-16"),
        ("next week", "2026-10-23"),
        ("  Q1   2027. ", "2027-03-31"),
    ],
)
def test_reads_target_dates(text: str, target: str) -> None:
    assert parse_timeline(text, TODAY) == dt.date.fromisoformat(target)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("someday", "expected a target date such as 2027-03-31"),
        ("soon", "got 'soon'"),
        ("later", "got 'later'"),
        ("", "got nothing"),
        ("2027-13-45", "expected a real calendar date, got '2027-13-45'"),
        ("31/02/2027", "real calendar date"),
        ("03/01/2027", "could be day/month or month/day"),
        ("last year", "'last year' is in the past"),
        ("yesterday", "in the past"),
        ("2 months ago", "in the past"),
        ("2020-01-01", "'2020-01-01' (2020-01-01) is in the past"),
        ("Q1 2026", "(2026-03-31) is in the past"),
        ("March 2026", "in the past"),
        ("q5", "got 'q5'"),
    ],
)
def test_refuses_vague_impossible_or_past_dates(text: str, says: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_timeline(text, TODAY)
    assert says in str(caught.value)


def test_ambiguous_slashed_date_offers_both_readings() -> None:
    with pytest.raises(ParseError, match="2027-01-03 or 2027-03-01"):
        parse_timeline("03/01/2027", TODAY)


def test_a_quarter_already_over_means_next_year() -> None:
    assert parse_timeline("Q1", TODAY) == dt.date(2027, 3, 31)
    assert parse_timeline("Q1", dt.date(2026, 2, 1)) == dt.date(2026, 3, 31)


def test_months_ahead_stop_at_the_end_of_a_shorter_month() -> None:
    assert parse_timeline("in 1 month", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)


def test_next_quarter_from_the_last_quarter_of_a_year() -> None:
    assert parse_timeline("next quarter", dt.date(2026, 12, 31)) == dt.date(2027, 3, 31)
