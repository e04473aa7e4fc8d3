"""Checks that need more than one field or more than one file of prompts/."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from baton.domain.definition import Definition
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
    problems = []
    if definition.default_framework not in files:
        problems.append(Problem(shown, "default_framework", (
            f"no framework {definition.default_framework!r}; expected one of: "
            f"{_one_of(sorted(files))}")))
    for name, rule in definition.frameworks.items():
        if name not in files:
            problems.append(Problem(shown, f"frameworks.{name}", (
                f"no framework file frameworks/{name}.yaml; expected one of: "
                f"{_one_of(sorted(files))}")))
        elif name in frameworks:
            known = frameworks[name].keys
            for index, key in enumerate(rule.must_meet):
                if key not in known:
                    problems.append(Problem(shown, f"frameworks.{name}.must_meet[{index}]", (
                        f"{key!r} is not a criterion of {name}; expected one of: "
                        f"{_one_of(known)}")))
    return problems + _check_disqualifiers(definition, frameworks, files, shown) + _check_routing(
        definition, files, shown)


def _check_disqualifiers(definition: Definition, frameworks: Mapping[str, Framework],
                         files: set[str], shown: str) -> list[Problem]:
    problems = []
    all_loaded = files == set(frameworks)
    for index, rule in enumerate(definition.disqualifiers):
        if rule.criterion is None:
            continue
        found = [f.criterion(rule.criterion) for f in frameworks.values()]
        criteria = [criterion for criterion in found if criterion is not None]
        if not criteria:
            # When a framework file failed to load, the criterion may well be in it.
            if all_loaded:
                problems.append(Problem(shown, f"disqualifiers[{index}].criterion", (
                    f"{rule.criterion!r} is not a criterion of any framework")))
            continue
        values = sorted({choice.value for criterion in criteria for choice in criterion.choices})
        for position, value in enumerate(rule.choices):
            if value not in values:
                problems.append(Problem(shown, f"disqualifiers[{index}].choices[{position}]", (
                    f"{value!r} is not a choice of {rule.criterion}; expected one of: "
                    f"{_one_of(values)}")))
    return problems


def _check_routing(definition: Definition, files: set[str], shown: str) -> list[Problem]:
    problems = []
    segments = [segment.name for segment in definition.segments]
    for index, name, first in _duplicates(segments):
        problems.append(Problem(shown, f"segments[{index}].name",
                                f"duplicate segment {name!r}, also segments[{first}]"))
    for index, rule in enumerate(definition.routing):
        where = f"routing[{index}].match"
        for position, framework in enumerate(rule.match.frameworks):
            if framework not in files:
                problems.append(Problem(shown, f"{where}.frameworks[{position}]", (
                    f"no framework {framework!r}; expected one of: {_one_of(sorted(files))}")))
        for position, segment in enumerate(rule.match.segments):
            if segment not in segments:
                problems.append(Problem(shown, f"{where}.segments[{position}]", (
                    f"no segment {segment!r}; expected one of: {_one_of(segments)}")))
    return problems
