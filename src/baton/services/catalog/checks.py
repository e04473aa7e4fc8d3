"""Checks that need more than one field or more than one file of prompts/."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from baton.domain.definition import Definition
from baton.domain.definition_checks import check_definition as definition_problems
from baton.domain.framework import Criterion, Framework, Status
from baton.services.catalog.problems import Problem

TemplateCheck = Callable[[Criterion], str | None]


def _one_of(options: Iterable[str]) -> str:
    return ", ".join(options) or "(none)"


def _duplicates(values: Iterable[str]) -> list[tuple[int, str, int]]:
    """(index, value, index of first occurrence) for every repeated value."""
    first: dict[str, int] = {}
    repeats = []
    for index, value in enumerate(values):
        if value in first:
            repeats.append((index, value, first[value]))
        first.setdefault(value, index)
    return repeats


def check_framework(framework: Framework, stem: str, shown: str,
                    template_problem: TemplateCheck) -> list[Problem]:
    """Problems inside one framework file that pydantic cannot see field by field."""
    problems = []
    if framework.key != stem:
        problems.append(Problem(shown, "key", (
            f"{framework.key!r} does not match the file name {stem}.yaml (use key: {stem})")))
    for index, key, first in _duplicates(framework.keys):
        problems.append(Problem(shown, f"criteria[{index}].key",
                                f"duplicate criterion key {key!r}, also used by criteria[{first}]"))
    for index, criterion in enumerate(framework.criteria):
        problems += _check_criterion(criterion, f"criteria[{index}]", shown, template_problem)
    return problems


def _check_criterion(criterion: Criterion, where: str, shown: str,
                     template_problem: TemplateCheck) -> list[Problem]:
    problems = []
    values = [choice.value for choice in criterion.choices]
    for index, value, first in _duplicates(values):
        problems.append(Problem(shown, f"{where}.choices[{index}].value",
                                f"duplicate choice value {value!r}, also used by choices[{first}]"))
    met = [c for c in criterion.choices if c.meets == Status.MET]
    not_met = [c for c in criterion.choices if c.meets == Status.NOT_MET]
    if met and not_met:
        lowest = min(met, key=lambda choice: choice.points)
        highest = max(not_met, key=lambda choice: choice.points)
        if lowest.points < highest.points:
            problems.append(Problem(shown, f"{where}.choices", (
                f"met choice {lowest.value!r} has fewer points ({lowest.points}) than "
                f"not-met choice {highest.value!r} ({highest.points})")))
    reason = template_problem(criterion)
    if reason:
        problems.append(Problem(shown, f"{where}.question", reason))
    return problems


def check_definition(definition: Definition, frameworks: Mapping[str, Framework],
                     files: set[str], shown: str) -> list[Problem]:
    """Every name the definition uses must exist in the framework files or in itself."""
    return [Problem(shown, problem.field, problem.message)
            for problem in definition_problems(definition, frameworks, files)]
