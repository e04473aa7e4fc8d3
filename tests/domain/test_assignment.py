"""Round robin by weight, reps away or at their cap skipped, and what a rule may say."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from pydantic import ValidationError

from baton.domain.assignment import Assignment, AssignMode, next_in_turn, read_until

ANA, BEN, CAI = "U0ANA0001", "U0BEN0001", "U0CAI0001"
MONDAY = dt.date(2026, 12, 7)


def rotate(leads: int, weights: dict[str, int], away: dict[str, str] | None = None,
           members: tuple[str, ...] = (ANA, BEN, CAI)) -> tuple[list[str | None], list[str]]:
    credits: dict[str, int] = {}
    picked: list[str | None] = []
    said: list[str] = []
    for _ in range(leads):
        pick = next_in_turn(members, weights, credits, lambda user: (away or {}).get(user))
        picked.append(pick.user)
        said += [f"{skip.user}: {skip.why}" for skip in pick.skipped]
        credits = pick.credits
    return picked, said


def test_thirty_leads_weighted_two_one_one_go_fifteen_and_seven_or_eight() -> None:
    picked, _ = rotate(30, {ANA: 2})
    counts = Counter(picked)
    assert counts[ANA] == 15
    assert sorted((counts[BEN], counts[CAI])) == [7, 8]


def test_turns_are_spread_out_not_bunched() -> None:
    picked, _ = rotate(8, {ANA: 2})
    assert picked == [ANA, BEN, CAI, ANA, ANA, BEN, CAI, ANA]


def test_equal_weights_take_turns_in_the_order_listed() -> None:
    picked, _ = rotate(6, {})
    assert picked == [ANA, BEN, CAI, ANA, BEN, CAI]


def test_a_rep_away_gets_none_and_is_named_when_it_was_their_turn() -> None:
    picked, said = rotate(6, {}, away={BEN: "away until Mon 7 Dec"})
    assert BEN not in picked
    assert Counter(picked) == {ANA: 3, CAI: 3}
    assert said[0] == f"{BEN}: away until Mon 7 Dec"


def test_nobody_available_leaves_the_lead_to_the_first_claim() -> None:
    picked, said = rotate(1, {}, away={ANA: "away", BEN: "away", CAI: "at their cap"})
    assert picked == [None]
    assert said == [f"{ANA}: away", f"{BEN}: away", f"{CAI}: at their cap"]


def test_coming_back_brings_no_burst_of_catch_up_leads() -> None:
    credits: dict[str, int] = {}
    for _ in range(9):  # Ben away for nine leads
        credits = next_in_turn((ANA, BEN, CAI), {}, credits,
                               lambda user: "away" if user == BEN else None).credits
    picked = []
    for _ in range(6):
        pick = next_in_turn((ANA, BEN, CAI), {}, credits, lambda user: None)
        picked.append(pick.user)
        credits = pick.credits
    assert Counter(picked) == {ANA: 2, BEN: 2, CAI: 2}


@pytest.mark.parametrize(("fields", "message"), [
    ({"mode": "round_robin"}, "round robin needs at least one member"),
    ({"mode": "round_robin", "members": ["ana"]}, "should match pattern"),
    ({"mode": "round_robin", "members": [ANA], "weights": {ANA: 0}}, "greater than 0"),
    ({"mode": "round_robin", "members": [ANA], "weights": {BEN: 2}}, "is not one of the members"),
    ({"mode": "owner", "fallback": "owner"}, "fallback: expected claim or round_robin"),
    ({"mode": "owner", "fallback": "round_robin"}, "round robin needs at least one member"),
    ({"mode": "round_robin", "members": [ANA], "max_open": 0}, "greater than 0"),
])
def test_a_rule_that_cannot_assign_is_refused_saying_why(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Assignment.model_validate(fields)


def test_claim_is_the_default() -> None:
    assert Assignment().mode is AssignMode.CLAIM


@pytest.mark.parametrize(("said", "day"), [
    ("2026-12-14", "2026-12-14"), ("tomorrow", "2026-12-08"), ("Friday", "2026-12-11"),
    ("mon", "2026-12-14"), ("14 Dec", "2026-12-14"), ("Jan 4", "2027-01-04"),
    ("3 december", "2027-12-03"),
])
def test_the_last_day_away_reads_as_people_write_it(said: str, day: str) -> None:
    assert read_until(said, MONDAY).isoformat() == day


@pytest.mark.parametrize("said", ["soon", "31 Feb", "12/14"])
def test_a_day_that_cannot_be_read_says_what_is_expected(said: str) -> None:
    with pytest.raises(ValueError, match="expected a day such as|not a day of the calendar"):
        read_until(said, MONDAY)
