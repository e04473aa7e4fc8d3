"""The organisation fit reads what BDRs type: aliases, any case, accents or spacing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from baton.domain.definition import Definition
from baton.domain.fit import FitField, FitOption, canonical, fit_options, fit_results
from baton.domain.framework import Status
from baton.domain.lead import Answer, Lead
from baton.domain.scoring import judge
from baton.domain.verdict import Verdict
from tests.conftest import PROMPTS_DIR
from tests.domain.builders import FRAMEWORKS, definition

SHIPPED = Definition.model_validate(
    yaml.safe_load((PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")))
FIT = SHIPPED.organisation_fit
TODAY = dt.date(2026, 10, 14)


@pytest.mark.parametrize(
    ("field", "typed", "agreed"),
    [
        (FitField.INDUSTRY, "software", "software"),
        (FitField.INDUSTRY, "  saas ", "software"),
        (FitField.INDUSTRY, "SaaS", "software"),
        (FitField.INDUSTRY, "Software &  Internet", "software"),
        (FitField.INDUSTRY, "FINANCIAL SERVICES", "financial services"),
        (FitField.INDUSTRY, "Santé", None),
        (FitField.INDUSTRY, "Software and Internet", None),
        (FitField.INDUSTRY, "Education", None),
        (FitField.INDUSTRY, "", None),
        (FitField.REGION, "NA", "NA"),
        (FitField.REGION, "na", "NA"),
        (FitField.REGION, "North America", "NA"),
        (FitField.REGION, "north  america", "NA"),
        (FitField.REGION, "US", "NA"),
        (FitField.REGION, "USA", "NA"),
        (FitField.REGION, "Canada", "NA"),
        (FitField.REGION, "UK", "EMEA"),
        (FitField.REGION, "Germany", "EMEA"),
        (FitField.REGION, "France", "EMEA"),
        (FitField.REGION, "Australia", "APAC"),
        (FitField.REGION, "Singapore", "APAC"),
        (FitField.REGION, "Japan", "APAC"),
        (FitField.REGION, "LATAM", None),
        (FitField.REGION, "   ", None),
    ],
)
def test_a_typed_value_is_read_as_the_agreed_one(
    field: FitField, typed: str, agreed: str | None
) -> None:
    assert canonical(FIT, field, typed) == agreed


def test_accents_do_not_matter_in_values_or_aliases() -> None:
    fit = definition(organisation_fit={
        "regions": ["EMEA"], "aliases": {"regions": {"EMEA": ["Île-de-France", "Zürich"]}},
    }).organisation_fit
    assert canonical(fit, FitField.REGION, "ile-de-france") == "EMEA"
    assert canonical(fit, FitField.REGION, "ÎLE-DE-FRANCE") == "EMEA"
    assert canonical(fit, FitField.REGION, "Zurich") == "EMEA"


def test_the_pick_lists_offer_the_agreed_values_with_labels() -> None:
    assert fit_options(FIT, FitField.REGION) == (
        FitOption("NA", "NA"), FitOption("EMEA", "EMEA"), FitOption("APAC", "APAC"))
    assert fit_options(FIT, FitField.INDUSTRY)[:2] == (
        FitOption("software", "Software"), FitOption("financial services", "Financial services"))


def _reasons(lead: Lead) -> list[str]:
    return [result.reason for result in fit_results(FIT, lead)]


@pytest.mark.parametrize(
    ("lead", "reasons"),
    [
        (Lead(company="A", industry="SaaS", region="North America", employees=500), [
            "Industry: SaaS counts as software, within the agreed fit (software, financial "
            "services, healthcare, retail, manufacturing)",
            "Region: North America counts as NA, within the agreed fit (NA, EMEA, APAC)",
            "Company size: 500 employees is within the agreed fit (50 to 20,000 employees)"]),
        (Lead(company="A", industry=" Software ", region="emea", employees=50), [
            "Industry: Software is within the agreed fit (software, financial services, "
            "healthcare, retail, manufacturing)",
            "Region: emea is within the agreed fit (NA, EMEA, APAC)",
            "Company size: 50 employees is within the agreed fit (50 to 20,000 employees)"]),
        (Lead(company="A", industry="Crypto Mining", region="Mars"), [
            "Industry: Crypto Mining is outside the agreed fit (software, financial services, "
            "healthcare, retail, manufacturing)",
            "Region: Mars is outside the agreed fit (NA, EMEA, APAC)",
            "Company size: not known"]),
    ],
)
def test_the_reason_names_the_value_as_typed(lead: Lead, reasons: list[str]) -> None:
    assert _reasons(lead) == reasons


def _verdict(lead: Lead) -> Verdict:
    """Strong answers to every BANT question, judged by the shipped definition."""
    answers = [Answer(criterion=c.key, choice="strong") for c in FRAMEWORKS["bant"].criteria]
    return judge(FRAMEWORKS["bant"], SHIPPED, lead, answers, today=TODAY)


@pytest.mark.parametrize(
    ("lead", "missing"),
    [
        (Lead(company="A", industry="SaaS", region="USA", employees=500), ()),
        (Lead(company="A", region="USA", employees=500),
         ("Industry must be known to judge the fit",)),
        (Lead(company="A", industry="SaaS", employees=500),
         ("Region must be known to judge the fit",)),
        (Lead(company="A", industry="SaaS", region="USA"),
         ("Company size must be known to judge the fit",)),
        (Lead(company="A"), ("Industry must be known to judge the fit",
                             "Region must be known to judge the fit",
                             "Company size must be known to judge the fit")),
        (Lead(company="A", industry="Gaming", region="USA", employees=500),
         ("Industry: Gaming is outside the agreed fit (software, financial services, "
          "healthcare, retail, manufacturing)",)),
    ],
)
def test_under_the_shipped_definition_an_unknown_fit_field_is_not_a_pass(
    lead: Lead, missing: tuple[str, ...]
) -> None:
    found = _verdict(lead)
    assert (found.sales_ready, found.missing) == (missing == (), missing)
    unknown = [r.title for r in found.criteria if r.status is Status.UNKNOWN]
    assert [f"{title} must be known to judge the fit" for title in unknown] == [
        line for line in missing if "must be known" in line]


def test_the_shipped_definition_says_unknown_blocks() -> None:
    assert FIT.unknown_blocks is True
