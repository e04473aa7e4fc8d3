"""Every shipped framework, judged by the shipped definition: strong, weak, mixed and unknown."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
import yaml

from baton.domain.definition import Definition
from baton.domain.framework import AnswerKind, Choice, Criterion, Framework, Status
from baton.domain.lead import Answer, Lead
from baton.domain.scoring import judge
from baton.domain.verdict import Verdict
from tests.conftest import PROMPTS_DIR

TODAY = dt.date(2026, 10, 14)
LEAD = Lead(company="Acme", title="VP Operations", email="ana@acme.com", region="NA",
            industry="software", employees=800)


def load() -> tuple[Definition, dict[str, Framework]]:
    """The shipped prompts, through the catalog loader once it exists."""
    try:
        from baton.services.catalog import load_catalog
    except ImportError:
        definition = Definition.model_validate(
            yaml.safe_load((PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")))
        files = sorted((PROMPTS_DIR / "frameworks").glob("*.yaml"))
        found = [Framework.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
                 for p in files]
        return definition, {f.key: f for f in found}
    catalog = load_catalog(Path(PROMPTS_DIR))
    frameworks = catalog.frameworks
    listed = frameworks.values() if isinstance(frameworks, dict) else frameworks
    return catalog.definition, {f.key: f for f in listed}


DEFINITION, FRAMEWORKS = load()
KEYS = sorted(FRAMEWORKS)


def disqualifying(criterion: Criterion) -> set[str]:
    return {value for d in DEFINITION.disqualifiers if d.criterion == criterion.key
            for value in d.choices}


def best(criterion: Criterion, meets: Status) -> Choice:
    fitting = [c for c in criterion.choices
               if c.meets is meets and c.value not in disqualifying(criterion)]
    return max(fitting, key=lambda c: c.points)


def weakest(criterion: Criterion) -> Choice:
    """The poorest answer that does not disqualify (a GPCT plan's only "no" does)."""
    for meets in (Status.NOT_MET, Status.UNKNOWN):
        fitting = [c for c in criterion.choices
                   if c.meets is meets and c.value not in disqualifying(criterion)]
        if fitting:
            return min(fitting, key=lambda c: c.points)
    raise AssertionError(f"{criterion.key} has no answer that falls short")


def answers(framework: Framework, **instead: Choice) -> list[Answer]:
    return [Answer(criterion=c.key, choice=instead.get(c.key, best(c, Status.MET)).value)
            for c in framework.criteria]


def verdict_of(key: str, given: list[Answer]) -> Verdict:
    return judge(FRAMEWORKS[key], DEFINITION, LEAD, given, today=TODAY)


def test_every_framework_in_the_definition_is_shipped() -> None:
    assert set(KEYS) == set(DEFINITION.frameworks) == {"bant", "meddpicc", "champ", "gpct",
                                                       "anum"}


@pytest.mark.parametrize("key", KEYS)
def test_a_strong_lead_is_sales_ready(key: str) -> None:
    found = verdict_of(key, answers(FRAMEWORKS[key]))
    assert (found.sales_ready, found.score, found.missing) == (True, 100, ())


@pytest.mark.parametrize("key", KEYS)
def test_a_weak_lead_is_not_sales_ready(key: str) -> None:
    framework = FRAMEWORKS[key]
    weak = {c.key: weakest(c) for c in framework.criteria}
    found = verdict_of(key, answers(framework, **weak))
    assert not found.sales_ready
    assert found.disqualified is None
    assert found.score < DEFINITION.frameworks[key].min_score
    assert all(r.status is not Status.MET for r in found.criteria if not r.key.startswith("fit_"))


@pytest.mark.parametrize("key", KEYS)
def test_a_mixed_lead_names_exactly_what_is_missing(key: str) -> None:
    framework, rule = FRAMEWORKS[key], DEFINITION.frameworks[key]
    failing = framework.criterion(rule.must_meet[0])
    assert failing is not None
    weak = best(failing, Status.NOT_MET)
    found = verdict_of(key, answers(framework, **{failing.key: weak}))
    total = sum(c.max_points for c in framework.criteria)
    expected_score = math.floor(100 * (total - failing.max_points + weak.points) / total + 0.5)
    expected = [f"{failing.title} must be met ({weak.label})"]
    if expected_score < rule.min_score:
        expected.append(f"score {expected_score} is below the minimum of {rule.min_score}")
    assert not found.sales_ready
    assert found.score == expected_score
    assert list(found.missing) == expected


@pytest.mark.parametrize(("key", "must"), [(k, m) for k in KEYS
                                            for m in DEFINITION.frameworks[k].must_meet])
def test_an_unknown_must_meet_criterion_is_never_sales_ready(key: str, must: str) -> None:
    framework = FRAMEWORKS[key]
    criterion = framework.criterion(must)
    assert criterion is not None
    unasked = [a for a in answers(framework) if a.criterion != must]
    dont_know = [*unasked, Answer(criterion=must, choice=best(criterion, Status.UNKNOWN).value)]
    for given in (unasked, dont_know):
        found = verdict_of(key, given)
        assert not found.sales_ready
        assert f"{criterion.title} must be met" in found.missing[0]


TYPED_STRONG = {AnswerKind.MONEY: "$1M", AnswerKind.DATE: "tomorrow",
                AnswerKind.TEXT: "Cut handoff time by half", AnswerKind.PERSON: "Jo Park, CFO"}


@pytest.mark.parametrize(("key", "criterion"), [
    (k, c.key) for k in KEYS for c in FRAMEWORKS[k].criteria if c.rule is not None])
def test_strong_typed_answers_meet_every_rule(key: str, criterion: str) -> None:
    rule_criterion = FRAMEWORKS[key].criterion(criterion)
    assert rule_criterion is not None
    assert rule_criterion.rule is not None
    typed = TYPED_STRONG.get(rule_criterion.kind) or str(rule_criterion.rule.min_number)
    found = verdict_of(key, [Answer(criterion=criterion, typed=typed)])
    result = next(r for r in found.criteria if r.key == criterion)
    assert (result.status, result.points) == (Status.MET, rule_criterion.rule.points)
