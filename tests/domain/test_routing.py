"""Which channel a handoff goes to: first matching rule, else the default channel."""

from __future__ import annotations

import pytest

from baton.domain.lead import Lead
from baton.domain.routing import Route, route
from tests.domain.builders import definition

DEFAULT = "C0SALES001"


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (Lead(company="Acme", region="EMEA", employees=5000), Route("C0EMEA0001", "EMEA team")),
        (Lead(company="Acme", region="emea "), Route("C0EMEA0001", "EMEA team")),
        (Lead(company="Acme", region="NA", employees=5000),
         Route("C0ENT00001", "Enterprise desk")),
        (Lead(company="Acme", region="na", employees=500),
         Route("C0MIDNA001", "Mid-market North America")),
        (Lead(company="Acme", region="NA", employees=50), Route(DEFAULT, None)),
        (Lead(company="Acme", region="APAC", employees=500), Route(DEFAULT, None)),
        (Lead(company="Acme", region="NA"), Route(DEFAULT, None)),
        (Lead(company="Acme"), Route(DEFAULT, None)),
    ],
)
def test_first_matching_rule_wins_else_the_default(lead: Lead, expected: Route) -> None:
    assert route(definition(), lead, "bant", DEFAULT) == expected


def test_an_empty_match_takes_every_lead() -> None:
    rules = [{"name": "Everyone", "channel": "C0ALL00001"}]
    assert route(definition(routing=rules), Lead(company="Acme"), "bant", DEFAULT) == Route(
        "C0ALL00001", "Everyone"
    )


@pytest.mark.parametrize(
    ("lead", "framework", "expected"),
    [
        (Lead(company="A", industry="Healthcare", employees=300), "meddpicc", "Health deals"),
        (Lead(company="A", industry="HEALTHCARE", employees=300), "MEDDPICC", "Health deals"),
        (Lead(company="A", industry="healthcare", employees=300), "bant", None),
        (Lead(company="A", industry="healthcare", employees=30), "meddpicc", None),
        (Lead(company="A", industry="healthcare"), "meddpicc", None),
        (Lead(company="A", employees=300), "meddpicc", None),
    ],
)
def test_every_condition_must_hold_and_unknown_values_do_not_match(
    lead: Lead, framework: str, expected: str | None
) -> None:
    rules = [{"name": "Health deals", "channel": "C0HEALTH01",
              "match": {"industries": ["healthcare"], "frameworks": ["meddpicc"],
                        "employees": {"min": 100, "max": 1000}}}]
    assert route(definition(routing=rules), lead, framework, DEFAULT).rule_name == expected


ALIASED = {"industries": ["software", "healthcare"], "regions": ["NA", "EMEA"],
           "aliases": {"regions": {"NA": ["North America", "USA"], "EMEA": ["Île-de-France"]},
                       "industries": {"software": ["SaaS"]}}}


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (Lead(company="Acme", region="North America", employees=500), "Mid-market North America"),
        (Lead(company="Acme", region=" usa ", employees=500), "Mid-market North America"),
        (Lead(company="Acme", region="ile-de-france", employees=50), "EMEA team"),
        (Lead(company="Acme", region="Canada", employees=500), None),
    ],
)
def test_a_region_typed_as_an_alias_routes_like_the_agreed_value(
    lead: Lead, expected: str | None
) -> None:
    found = route(definition(organisation_fit=ALIASED), lead, "bant", DEFAULT)
    assert found.rule_name == expected


def test_an_industry_typed_as_an_alias_matches_a_rule_on_the_agreed_value() -> None:
    rules = [{"name": "Software desk", "channel": "C0SOFT0001",
              "match": {"industries": ["software"]}}]
    lead = Lead(company="Acme", industry="saas")
    found = route(definition(organisation_fit=ALIASED, routing=rules), lead, "bant", DEFAULT)
    assert found == Route("C0SOFT0001", "Software desk")
