"""The intake's fit and open opportunity, judged end to end over signed HTTP."""

from __future__ import annotations

import pytest

from tests.slack.test_conversation_harness import (
    Baton,
    Bdr,
    count_rows,
    shown,
)
from tests.slack.test_handoff_harness import STRONG_BANT, company


def verdict_of(baton: Baton, name: str, **intake: str) -> str:
    """What the BDR reads in the verdict after a strong BANT conversation."""
    bdr = Bdr(baton)
    message = bdr.start(name, **intake)
    for label in STRONG_BANT:
        message = bdr.answer(message, label)
    return shown(message)


def test_aliases_typed_under_other_are_judged_as_the_agreed_values(baton: Baton) -> None:
    name = company("Acme")

    said = verdict_of(baton, name, other_industry="  saas ", other_region="North America",
                      employees="500")

    assert "✅ Sales-ready" in said
    assert "saas counts as software, within the agreed fit" in said
    assert "North America counts as NA" in said
    assert count_rows(baton.engine, "SELECT count(*) FROM lead WHERE company = :name AND "
                      "industry = 'saas' AND region = 'North America'", name=name) == 1


def test_a_value_outside_the_fit_typed_under_other_is_named_in_the_verdict(
    baton: Baton,
) -> None:
    said = verdict_of(baton, company("Globex"), other_industry="Crypto mining", region="EMEA",
                      employees="500")

    assert "❌ Not sales-ready" in said
    assert "Crypto mining is outside the agreed fit" in said


@pytest.mark.parametrize(("unknown", "named"), [("region", "Region"), ("industry", "Industry")])
def test_dont_know_is_not_a_pass(baton: Baton, unknown: str, named: str) -> None:
    fit = {"industry": "software", "region": "EMEA", "employees": "500"}
    del fit[unknown]  # left as "Don't know"

    said = verdict_of(baton, company("Initech"), **fit)

    assert "❌ Not sales-ready" in said
    assert f"{named} must be known to judge the fit" in said


def test_an_open_opportunity_disqualifies_and_a_no_does_not(baton: Baton) -> None:
    fit = {"industry": "software", "region": "EMEA", "employees": "500"}

    assert "Already has an open opportunity with sales" in verdict_of(
        baton, company("Hooli"), open_opportunity="yes", **fit)
    assert "✅ Sales-ready" in verdict_of(baton, company("Umbrella"), open_opportunity="no",
                                         **fit)
