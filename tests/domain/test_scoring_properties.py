"""Properties of the verdict engine over generated frameworks and answers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from baton.domain.framework import AnswerKind, Choice, Criterion, Framework, Status, TypedRule
from baton.domain.lead import Answer, Lead
from baton.domain.scoring import judge
from tests.domain.builders import definition

TODAY = dt.date(2026, 10, 14)
LEAD = Lead(company="Acme", region="NA", industry="software", employees=500)


@st.composite
def criteria(draw: st.DrawFn, key: str) -> Criterion:
    """A criterion whose met answers never earn fewer points than its not-met ones."""
    low = draw(st.integers(0, 50))
    high = draw(st.integers(low, 100))
    return Criterion(key=key, title=key.capitalize(), question="?", kind=AnswerKind.MONEY,
                     rule=TypedRule(points=high, min_amount=10000),
                     choices=(Choice(label="Yes", value="yes", points=high, meets=Status.MET),
                              Choice(label="No", value="no", points=low, meets=Status.NOT_MET),
                              Choice(label="?", value="unknown", points=0, meets=Status.UNKNOWN)))


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    size = draw(st.integers(1, 6))
    return Framework(key="bant", name="Generated",
                     criteria=tuple(draw(criteria(f"c{i}")) for i in range(size)))


def answer_for(key: str) -> st.SearchStrategy[Answer | None]:
    return st.one_of(
        st.none(),
        st.sampled_from(["yes", "no", "unknown"]).map(lambda c: Answer(criterion=key, choice=c)),
        st.sampled_from(["$5k", "$50k", "lots", "€20k"]).map(
            lambda t: Answer(criterion=key, typed=t)),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Framework, list[Answer]]:
    framework = draw(frameworks())
    answers = [draw(answer_for(key)) for key in framework.keys]
    return framework, [a for a in answers if a is not None]


def score(framework: Framework, answers: list[Answer], must_meet: list[str] | None = None) -> int:
    rules = {"bant": {"must_meet": must_meet or [], "min_score": 50}}
    return judge(framework, definition(frameworks=rules), LEAD, answers, today=TODAY).score


@given(cases())
def test_the_score_stays_between_0_and_100(case: tuple[Framework, list[Answer]]) -> None:
    assert 0 <= score(*case) <= 100


@given(cases(), st.data())
def test_turning_an_answer_from_not_met_to_met_never_lowers_the_score(
    case: tuple[Framework, list[Answer]], data: st.DataObject
) -> None:
    framework, answers = case
    key = data.draw(st.sampled_from(framework.keys))
    kept = [a for a in answers if a.criterion != key]
    assert score(framework, [*kept, Answer(criterion=key, choice="no")]) <= score(
        framework, [*kept, Answer(criterion=key, choice="yes")])
    assert score(framework, [*kept, Answer(criterion=key, typed="$5k")]) <= score(
        framework, [*kept, Answer(criterion=key, typed="$50k")])


@given(cases(), st.sets(st.sampled_from(["c0", "c1", "c2"])))
def test_the_same_inputs_give_the_same_verdict(
    case: tuple[Framework, list[Answer]], must_meet: set[str]
) -> None:
    framework, answers = case
    rules = {"bant": {"must_meet": sorted(set(framework.keys) & must_meet), "min_score": 50}}
    first = judge(framework, definition(frameworks=rules), LEAD, answers, today=TODAY)
    again = judge(framework, definition(frameworks=rules), LEAD, iter(answers), today=TODAY)
    assert first == again
    assert first.sales_ready == (not first.missing and first.disqualified is None)


@given(cases())
def test_an_unmet_must_meet_criterion_is_never_sales_ready(
    case: tuple[Framework, list[Answer]]
) -> None:
    framework, answers = case
    rules = {"bant": {"must_meet": framework.keys, "min_score": 0}}
    found = judge(framework, definition(frameworks=rules), LEAD, answers, today=TODAY)
    all_met = all(r.status is Status.MET for r in found.criteria if r.must_meet)
    assert found.sales_ready == all_met
