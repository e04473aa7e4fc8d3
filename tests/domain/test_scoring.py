"""The verdict engine on frameworks built here: criteria, fit, disqualifiers and the score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from baton.domain.framework import Status
from baton.domain.lead import Answer, Lead
from baton.domain.scoring import judge
from baton.domain.verdict import CriterionResult, Verdict
from tests.domain.builders import FRAMEWORKS, MUST_MEET, bant, definition

TODAY = dt.date(2026, 10, 14)
FIT = Lead(company="Acme", title="VP Sales", email="ana@acme.com", region="NA",
           industry="software", employees=500)


def verdict(
    answers: list[Answer], lead: Lead = FIT, framework: str = "bant", **changes: Any
) -> Verdict:
    return judge(FRAMEWORKS[framework], definition(**changes), lead, answers, today=TODAY)


def all_choices(framework: str, value: str, **others: str) -> list[Answer]:
    return [Answer(criterion=c.key, choice=others.get(c.key, value))
            for c in FRAMEWORKS[framework].criteria]


def result(found: Verdict, key: str) -> CriterionResult:
    return next(r for r in found.criteria if r.key == key)


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_strong_answers_make_a_sales_ready_lead(framework: str) -> None:
    found = verdict(all_choices(framework, "strong"), framework=framework)
    assert found.sales_ready
    assert found.score == 100
    assert found.missing == ()
    assert found.framework == framework
    assert found.definition_version == "test-1"


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_weak_answers_are_not_sales_ready(framework: str) -> None:
    # "no" to plans disqualifies a GPCT lead, which is a different test.
    found = verdict(all_choices(framework, "no", plans="unknown"), framework=framework)
    assert not found.sales_ready
    assert found.disqualified is None
    assert found.score == 0
    assert "score 0 is below the minimum of 60" in found.missing


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_mixed_answers_name_exactly_the_must_meet_criteria_missing(framework: str) -> None:
    first, second = MUST_MEET[framework]
    answers = all_choices(framework, "strong", **{first: "no", second: "unknown"})
    found = verdict(answers, framework=framework, frameworks={
        framework: {"must_meet": MUST_MEET[framework], "min_score": 40}})
    titles = [result(found, key).title for key in (first, second)]
    assert not found.sales_ready
    assert sorted(found.missing) == sorted([f"{titles[0]} must be met (No)",
                                            f"{titles[1]} must be met (Don't know)"])


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_an_unanswered_must_meet_criterion_is_never_sales_ready(framework: str) -> None:
    unasked = MUST_MEET[framework][0]
    answers = [a for a in all_choices(framework, "strong") if a.criterion != unasked]
    found = verdict(answers, framework=framework, frameworks={
        framework: {"must_meet": MUST_MEET[framework], "min_score": 0}})
    assert not found.sales_ready
    assert result(found, unasked).status is Status.UNKNOWN
    assert result(found, unasked).reason.endswith(": not asked yet")
    assert result(found, unasked).points == 0


def test_points_and_score_round_half_up() -> None:
    answers = all_choices("bant", "strong", need="partly", authority="partly", budget="no")
    found = verdict(answers)
    assert [r.points for r in found.criteria[:4]] == [0, 12, 12, 25]
    assert found.score == 49  # 49 of 100
    assert found.missing == ("score 49 is below the minimum of 60",)


def test_typed_amount_decides_over_the_choice() -> None:
    answers = all_choices("bant", "strong")
    answers[0] = Answer(criterion="budget", choice="strong", typed="$5k")
    found = verdict(answers)
    assert result(found, "budget").status is Status.NOT_MET
    assert result(found, "budget").reason == (
        "Budget: 5,000 USD is below the minimum of 10,000 USD")
    assert result(found, "budget").answer == "5,000 USD"
    assert found.score == 75


def test_a_stored_amount_is_shown_with_its_thousands() -> None:
    found = verdict([Answer(criterion="budget", typed="120000 USD")])
    assert result(found, "budget").answer == "120,000 USD"


def test_typed_amount_that_meets_the_minimum() -> None:
    found = verdict([Answer(criterion="budget", typed="$120k")])
    assert result(found, "budget").status is Status.MET
    assert result(found, "budget").reason == (
        "Budget: 120,000 USD meets the minimum of 10,000 USD")
    assert result(found, "budget").points == 25


def test_an_amount_in_another_currency_is_not_converted() -> None:
    found = verdict([Answer(criterion="budget", typed="€500k")])
    assert result(found, "budget").status is Status.UNKNOWN
    assert "give the amount in USD" in result(found, "budget").reason


def test_an_unreadable_typed_answer_is_unknown_with_the_parse_error() -> None:
    found = verdict([Answer(criterion="budget", choice="strong", typed="lots")])
    budget = result(found, "budget")
    assert budget.status is Status.UNKNOWN
    assert budget.points == 0
    assert budget.reason == ("Budget: expected an amount such as $120k, 120,000 USD or 1.2M EUR, "
                             "got 'lots'")


@pytest.mark.parametrize(
    ("typed", "answered_on", "status", "reason"),
    [
        ("this quarter", None, Status.MET, "target 31 December 2026 is within 90 days"),
        ("next quarter", None, Status.NOT_MET, "target 31 March 2027 is 168 days away"),
        ("Q3 2027", None, Status.NOT_MET, "target 30 September 2027 is 351 days away, "
                                          "beyond 90 days"),
        ("this quarter", dt.date(2026, 5, 1), Status.MET, "target 30 June 2026 is within 90 days"),
        ("someday", None, Status.UNKNOWN, "expected a target date"),
    ],
)
def test_typed_timeline_is_read_from_the_day_it_was_answered(
    typed: str, answered_on: dt.date | None, status: Status, reason: str
) -> None:
    found = verdict([Answer(criterion="timeline", typed=typed, answered_on=answered_on)])
    assert result(found, "timeline").status is status
    assert result(found, "timeline").reason.startswith(f"Timeline: {reason}")


@pytest.mark.parametrize(
    ("typed", "status", "reason"),
    [
        ("40 seats", Status.MET, "Seats: 40 is within the agreed range"),
        ("8", Status.NOT_MET, "Seats: 8 is below the minimum of 10"),
    ],
)
def test_typed_number_against_its_minimum(typed: str, status: Status, reason: str) -> None:
    found = verdict([Answer(criterion="seats", typed=typed)], framework="anum")
    assert (result(found, "seats").status, result(found, "seats").reason) == (status, reason)


def test_a_named_person_meets_a_person_criterion() -> None:
    found = verdict([Answer(criterion="champion", typed="  Jo Park, Head of RevOps ")],
                    framework="meddpicc")
    assert result(found, "champion").status is Status.MET
    assert result(found, "champion").reason == "Champion: Jo Park, Head of RevOps"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(criterion="authority"), "Authority: skipped"),
        (Answer(criterion="authority", choice="ceo"), "Authority: 'ceo' is not one of its answers"),
        (Answer(criterion="authority", typed="the CFO"),
         "Authority: 'the CFO' was typed, but only a choice counts here"),
    ],
)
def test_answers_that_say_nothing_are_unknown(answer: Answer, reason: str) -> None:
    found = verdict([answer])
    assert (result(found, "authority").status, result(found, "authority").reason) == (
        Status.UNKNOWN, reason)


def test_the_latest_answer_to_a_criterion_counts() -> None:
    answers = [Answer(criterion="need", choice="no"), Answer(criterion="need", choice="strong")]
    assert result(verdict(answers), "need").status is Status.MET


@pytest.mark.parametrize(
    ("lead", "disqualified"),
    [
        (FIT.model_copy(update={"email": "sam@Rival.com"}), "Works for a competitor"),
        (FIT.model_copy(update={"title": "PhD Student"}), "Student, not a buyer"),
    ],
)
def test_lead_facts_disqualify(lead: Lead, disqualified: str) -> None:
    found = verdict(all_choices("bant", "strong"), lead=lead)
    assert not found.sales_ready
    assert found.disqualified == disqualified
    assert found.score == 100


def test_an_answer_can_disqualify() -> None:
    found = verdict(all_choices("gpct", "strong", plans="no"), framework="gpct")
    assert (found.sales_ready, found.disqualified) == (False, "Their plan rules us out")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"industry": "Education"},
         "Industry: Education is outside the agreed fit (Software, Healthcare)"),
        ({"region": "APAC"}, "Region: APAC is outside the agreed fit (NA, EMEA)"),
        ({"employees": 12},
         "Company size: 12 employees is outside the agreed fit (50 to 20,000 employees)"),
    ],
)
def test_a_known_value_outside_the_fit_fails_the_lead(change: dict[str, Any], missing: str) -> None:
    found = verdict(all_choices("bant", "strong"), lead=FIT.model_copy(update=change))
    assert not found.sales_ready
    assert found.missing == (missing,)
    assert found.score == 100


def test_fit_matches_without_regard_to_case() -> None:
    found = verdict(all_choices("bant", "strong"),
                    lead=FIT.model_copy(update={"industry": "HEALTHCARE", "region": "emea"}))
    assert found.sales_ready


def test_an_unknown_fit_blocks_only_when_the_definition_says_so() -> None:
    lead = Lead(company="Acme")
    open_fit = verdict(all_choices("bant", "strong"), lead=lead)
    assert open_fit.sales_ready
    assert result(open_fit, "fit_industry").status is Status.UNKNOWN
    strict = {"industries": ["software"], "unknown_blocks": True}
    blocked = verdict(all_choices("bant", "strong"), lead=lead, organisation_fit=strict)
    assert blocked.missing == ("Industry must be known to judge the fit",)
    assert [r.key for r in blocked.criteria if r.key.startswith("fit_")] == ["fit_industry"]


def test_fit_results_do_not_count_in_the_score() -> None:
    found = verdict(all_choices("bant", "strong"))
    assert [r.key for r in found.criteria] == [
        "budget", "authority", "need", "timeline", "fit_industry", "fit_region", "fit_employees"]
    assert sum(r.max_points for r in found.criteria) == 100


def test_a_framework_missing_from_the_definition_is_an_error() -> None:
    rules = {"meddpicc": {"must_meet": [], "min_score": 60}}
    with pytest.raises(ValueError, match="definition test-1 has no rule for framework 'bant'"):
        judge(bant(), definition(frameworks=rules), FIT, [], today=TODAY)


def test_a_must_meet_the_framework_does_not_ask_is_an_error() -> None:
    rules = {"bant": {"must_meet": ["champion"], "min_score": 60}}
    with pytest.raises(ValueError, match=r"frameworks.bant.must_meet names champion"):
        judge(bant(), definition(frameworks=rules), FIT, [], today=TODAY)
