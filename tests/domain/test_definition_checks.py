"""A definition that would break verdicts is refused, every problem with its field."""

from __future__ import annotations

from typing import Any

import pytest

from baton.domain.definition_checks import DefinitionProblem, check_definition
from tests.domain.builders import FRAMEWORKS, MUST_MEET, definition

RULES = {key: {"must_meet": keys, "min_score": 60} for key, keys in MUST_MEET.items()}
FIT = {"industries": ["software", "healthcare"], "regions": ["NA", "EMEA"]}


def problems(**changes: Any) -> list[tuple[str, str]]:
    return [tuple(problem) for problem in check_definition(definition(**changes), FRAMEWORKS)]


def test_a_definition_that_fits_its_frameworks_has_no_problem() -> None:
    assert problems() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"frameworks": RULES | {"bant": {"must_meet": ["telepathy"], "min_score": 60}}},
         ("frameworks.bant.must_meet[0]", "'telepathy' is not a criterion of bant; expected one "
          "of: budget, authority, need, timeline")),
        ({"default_framework": "spin"},
         ("default_framework", "no framework 'spin'; expected one of: anum, bant, champ, gpct, "
          "meddpicc")),
        ({"frameworks": RULES | {"spin": {"min_score": 60}}},
         ("frameworks.spin", "no framework file frameworks/spin.yaml; expected one of: anum, "
          "bant, champ, gpct, meddpicc")),
        ({"frameworks": {k: v for k, v in RULES.items() if k != "anum"}},
         ("frameworks", "no rule for framework 'anum', which is installed "
          "(frameworks/anum.yaml): add frameworks.anum with must_meet and min_score, or remove "
          "the file")),
        ({"disqualifiers": [{"key": "x", "reason": "X", "criterion": "vibes", "choices": ["bad"]}]},
         ("disqualifiers[0].criterion", "'vibes' is not a criterion of any framework")),
        ({"disqualifiers": [{"key": "x", "reason": "X", "criterion": "plans",
                             "choices": ["excludes_us"]}]},
         ("disqualifiers[0].choices[0]", "'excludes_us' is not a choice of plans; expected one "
          "of: no, partly, strong, unknown")),
        ({"disqualifiers": [{"key": "x", "reason": "X", "field": "email_domain",
                             "contains": ["rival.com", "rival"]}]},
         ("disqualifiers[0].contains[1]", "expected a domain such as relaybase.com, got 'rival'")),
        ({"routing": [{"name": "R", "channel": "C0R0000001", "match": {"segments": ["huge"]}}]},
         ("routing[0].match.segments[0]", "no segment 'huge'; expected one of: smb, mid_market, "
          "enterprise")),
        ({"routing": [{"name": "R", "channel": "C0R0000001", "match": {"frameworks": ["spin"]}}]},
         ("routing[0].match.frameworks[0]", "no framework 'spin'; expected one of: anum, bant, "
          "champ, gpct, meddpicc")),
        ({"routing": [{"name": "R", "channel": "C0R0000001", "match": {"regions": ["LATAM"]}}]},
         ("routing[0].match.regions[0]", "'LATAM' is not in organisation_fit.regions, so no "
          "sales-ready lead has it; expected one of: NA, EMEA")),
        ({"segments": [{"name": "smb", "employees": {"max": 10}},
                       {"name": "smb", "employees": {"min": 11}}], "routing": []},
         ("segments[1].name", "duplicate segment 'smb', also segments[0]")),
    ],
)
def test_each_problem_names_its_field(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    assert problems(**changes) == [expected]


@pytest.mark.parametrize(
    ("aliases", "expected"),
    [
        ({"regions": {"NA": ["North America"], "EMEA": ["UK"]}}, []),
        ({"regions": {"LATAM": ["Brazil"]}},
         [("organisation_fit.aliases.regions.LATAM", "'LATAM' is not in "
           "organisation_fit.regions; expected one of: NA, EMEA")]),
        ({"regions": {"NA": ["US", "Canada"], "EMEA": ["UK", "canada "]}},
         [("organisation_fit.aliases.regions.EMEA[1]", "'canada ' is also listed under NA; an "
           "alias names one value")]),
        ({"industries": {"software": ["SaaS", "Healthcare"]}},
         [("organisation_fit.aliases.industries.software[1]", "'Healthcare' is itself one of "
           "the agreed industries")]),
        ({"regions": {"na": ["North America"], "EMEA": ["North america"]}},
         [("organisation_fit.aliases.regions.EMEA[0]", "'North america' is also listed under "
           "na; an alias names one value")]),
    ],
)
def test_an_alias_names_one_agreed_value(
    aliases: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert problems(organisation_fit=FIT | {"aliases": aliases}, routing=[]) == expected


def test_a_routing_rule_may_name_a_region_by_its_alias() -> None:
    fit = FIT | {"aliases": {"regions": {"NA": ["North America"]}}}
    routing = [{"name": "R", "channel": "C0R0000001", "match": {"regions": ["North America"]}}]
    assert problems(organisation_fit=fit, routing=routing) == []


def test_criteria_of_a_framework_that_failed_to_load_are_not_blamed_on_the_definition() -> None:
    loaded = {key: f for key, f in FRAMEWORKS.items() if key != "gpct"}
    found = check_definition(definition(), loaded, installed=set(FRAMEWORKS))
    assert found == []
    assert check_definition(definition(), loaded) == [
        DefinitionProblem("frameworks.gpct", "no framework file frameworks/gpct.yaml; expected "
                          "one of: anum, bant, champ, meddpicc"),
        DefinitionProblem("disqualifiers[2].criterion",
                          "'plans' is not a criterion of any framework"),
    ]
