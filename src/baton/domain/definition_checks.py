"""A definition checked against the question sets it judges with, before it can judge anything.

A definition that names a criterion no framework asks, a framework that is not installed, or a
segment it does not define would make verdicts fail; so would an installed framework it gives no
rule for (judging needs its must-meet criteria and minimum score). Each is refused here, once for
`baton check`, `baton definition apply` and start-up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from baton.domain.definition import Definition, OrganisationFit
from baton.domain.disqualifiers import LeadField
from baton.domain.fit import FitField, canonical, vocabulary
from baton.domain.framework import Framework
from baton.domain.matching import fold, looks_like_domain


class DefinitionProblem(NamedTuple):
    """One thing wrong with a definition: the field at fault and what is expected there."""

    field: str
    message: str


_PLURAL = {FitField.INDUSTRY: "industries", FitField.REGION: "regions"}


def _one_of(options: Iterable[str]) -> str:
    return ", ".join(options) or "(none)"


def check_definition(
    definition: Definition, frameworks: Mapping[str, Framework],
    installed: Collection[str] | None = None,
) -> list[DefinitionProblem]:
    """Every problem that would stop this definition judging with these frameworks.

    `installed` names every framework file, including any that failed to load (its criteria
    are then not checked, since they could well be in it); by default, the frameworks given.
    """
    files = sorted(set(frameworks) if installed is None else set(installed))
    return [
        *_framework_problems(definition, frameworks, files),
        *_alias_problems(definition.organisation_fit),
        *_disqualifier_problems(definition, frameworks, loaded_all=set(files) == set(frameworks)),
        *_routing_problems(definition, files),
        *_rejection_problems(definition, frameworks, loaded_all=set(files) == set(frameworks)),
    ]


def _rejection_problems(definition: Definition, frameworks: Mapping[str, Framework], *,
                        loaded_all: bool) -> list[DefinitionProblem]:
    keys = [reason.key for reason in definition.rejection_reasons]
    problems = [
        DefinitionProblem(f"rejection_reasons[{index}].key",
                          f"duplicate reason {key!r}, also rejection_reasons[{keys.index(key)}]")
        for index, key in enumerate(keys) if keys.index(key) != index]
    asked = sorted({key for framework in frameworks.values() for key in framework.keys})
    problems += [
        DefinitionProblem(f"rejection_reasons[{index}].criterion", (
            f"{reason.criterion!r} is not a criterion of any framework; expected one of: "
            f"{_one_of(asked)}"))
        for index, reason in enumerate(definition.rejection_reasons)
        # A criterion may be in a framework that failed to load: it is checked once all load.
        if reason.criterion is not None and loaded_all and reason.criterion not in asked]
    return problems


def _framework_problems(definition: Definition, frameworks: Mapping[str, Framework],
                        files: list[str]) -> list[DefinitionProblem]:
    problems = []
    if definition.default_framework not in files:
        problems.append(DefinitionProblem("default_framework", (
            f"no framework {definition.default_framework!r}; expected one of: {_one_of(files)}")))
    for name, rule in definition.frameworks.items():
        if name not in files:
            problems.append(DefinitionProblem(f"frameworks.{name}", (
                f"no framework file frameworks/{name}.yaml; expected one of: {_one_of(files)}")))
        elif name in frameworks:
            known = frameworks[name].keys
            problems += [
                DefinitionProblem(f"frameworks.{name}.must_meet[{index}]", (
                    f"{key!r} is not a criterion of {name}; expected one of: {_one_of(known)}"))
                for index, key in enumerate(rule.must_meet) if key not in known]
    problems += [
        DefinitionProblem("frameworks", (
            f"no rule for framework {name!r}, which is installed (frameworks/{name}.yaml): add "
            f"frameworks.{name} with must_meet and min_score, or remove the file"))
        for name in files if name not in definition.frameworks]
    return problems


def _alias_problems(fit: OrganisationFit) -> list[DefinitionProblem]:
    problems = []
    for field in FitField:
        values, aliases = vocabulary(fit, field)
        agreed, plural = {fold(value) for value in values}, _PLURAL[field]
        listed_under: dict[str, str] = {}
        for value, names in aliases.items():
            where = f"organisation_fit.aliases.{plural}.{value}"
            if fold(value) not in agreed:
                problems.append(DefinitionProblem(where, (
                    f"{value!r} is not in organisation_fit.{plural}; expected one of: "
                    f"{_one_of(values)}")))
            for index, name in enumerate(names):
                other = listed_under.setdefault(fold(name), value)
                if fold(name) in agreed and fold(name) != fold(value):
                    message = f"{name!r} is itself one of the agreed {plural}"
                elif fold(other) != fold(value):
                    message = f"{name!r} is also listed under {other}; an alias names one value"
                else:
                    continue
                problems.append(DefinitionProblem(f"{where}[{index}]", message))
    return problems


def _disqualifier_problems(definition: Definition, frameworks: Mapping[str, Framework],
                           loaded_all: bool) -> list[DefinitionProblem]:
    problems = []
    for index, rule in enumerate(definition.disqualifiers):
        where = f"disqualifiers[{index}]"
        if rule.field is LeadField.EMAIL_DOMAIN:
            problems += [
                DefinitionProblem(f"{where}.contains[{position}]",
                                  f"expected a domain such as relaybase.com, got {domain!r}")
                for position, domain in enumerate(rule.contains)
                if not looks_like_domain(domain)]
        if rule.criterion is None:
            continue
        found = [f.criterion(rule.criterion) for f in frameworks.values()]
        criteria = [criterion for criterion in found if criterion is not None]
        if not criteria:
            # When a framework file failed to load, the criterion may well be in it.
            if loaded_all:
                problems.append(DefinitionProblem(f"{where}.criterion", (
                    f"{rule.criterion!r} is not a criterion of any framework")))
            continue
        values = sorted({choice.value for criterion in criteria for choice in criterion.choices})
        problems += [
            DefinitionProblem(f"{where}.choices[{position}]", (
                f"{value!r} is not a choice of {rule.criterion}; expected one of: "
                f"{_one_of(values)}"))
            for position, value in enumerate(rule.choices) if value not in values]
    return problems


def _routing_problems(definition: Definition, files: list[str]) -> list[DefinitionProblem]:
    segments = [segment.name for segment in definition.segments]
    problems = [
        DefinitionProblem(f"segments[{index}].name",
                          f"duplicate segment {name!r}, also segments[{segments.index(name)}]")
        for index, name in enumerate(segments) if segments.index(name) != index]
    fit = definition.organisation_fit
    for index, rule in enumerate(definition.routing):
        if rule.team is not None and rule.team not in definition.teams:
            problems.append(DefinitionProblem(f"routing[{index}].team", (
                f"no team {rule.team!r} in teams; expected one of: "
                f"{_one_of(definition.teams)}")))
        where, match = f"routing[{index}].match", rule.match
        named = [("frameworks", match.frameworks, files), ("segments", match.segments, segments)]
        for kind, given, known in named:
            problems += [
                DefinitionProblem(f"{where}.{kind}[{position}]", (
                    f"no {kind.removesuffix('s')} {name!r}; expected one of: {_one_of(known)}"))
                for position, name in enumerate(given) if name not in known]
        for field, given in ((FitField.REGION, match.regions),
                             (FitField.INDUSTRY, match.industries)):
            values, kind = vocabulary(fit, field)[0], _PLURAL[field]
            problems += [
                DefinitionProblem(f"{where}.{kind}[{position}]", (
                    f"{name!r} is not in organisation_fit.{kind}, so no sales-ready lead has it; "
                    f"expected one of: {_one_of(values)}"))
                for position, name in enumerate(given)
                if values and canonical(fit, field, name) not in values]
    return problems
