"""Disqualifiers match what they mean: whole words in titles, exact domains in emails."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import ValidationError

from baton.domain.definition import Definition
from baton.domain.disqualifiers import Disqualifier, disqualification
from baton.domain.lead import Answer, Lead
from tests.conftest import PROMPTS_DIR

SHIPPED = Definition.model_validate(
    yaml.safe_load((PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")))
STUDENT, COMPETITOR = "Student or academic, not a buyer", "Works for a competitor"


def ruled_out(lead: Lead, answers: dict[str, Answer] | None = None) -> str | None:
    return disqualification(SHIPPED.disqualifiers, lead, answers or {})


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Intern", STUDENT),
        ("Marketing Intern", STUDENT),
        ("Student", STUDENT),
        ("PhD Candidate", STUDENT),
        ("Graduate Student", STUDENT),
        ("VP International Sales", None),
        ("Director of Internal Audit", None),
        ("Internal Comms Lead", None),
        ("Student Success Manager", None),
        ("Head of Student Recruitment", None),
    ],
)
def test_shipped_titles_disqualify_only_students(title: str, reason: str | None) -> None:
    assert ruled_out(Lead(company="Acme", title=title)) == reason


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("jo@relaybase.com", COMPETITOR),
        ("jo@eu.relaybase.com", COMPETITOR),
        ("jo@notrelaybase.com", None),
        ("jo@relaybase.com.example.org", None),
    ],
)
def test_shipped_competitor_domains_match_the_domain_and_its_subdomains(
    email: str, reason: str | None
) -> None:
    assert ruled_out(Lead(company="Acme", email=email)) == reason


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("  marketing   INTERN ", STUDENT),
        ("Étudiant intern", STUDENT),
        ("Intern-Marketing", STUDENT),
        ("Phd  candidate (2027)", STUDENT),
        ("Student Intern, Student Success", None),
        ("Internship Coordinator", None),
        ("", None),
    ],
)
def test_titles_match_whole_words_whatever_the_case_spaces_and_punctuation(
    title: str, reason: str | None
) -> None:
    assert ruled_out(Lead(company="Acme", title=title)) == reason


@pytest.mark.parametrize(
    ("open_opportunity", "source", "reason"),
    [
        (True, "", "Already has an open opportunity with sales"),
        (False, "open opportunity in Salesforce", None),
        (None, "existing opportunity", None),
    ],
)
def test_open_opportunity_is_the_yes_no_picked_not_words_in_the_source(
    open_opportunity: bool | None, source: str, reason: str | None
) -> None:
    lead = Lead(company="Acme", source=source, open_opportunity=open_opportunity)
    assert ruled_out(lead) == reason


def test_an_answer_disqualifies_by_its_choice() -> None:
    lead = Lead(company="Acme")
    assert ruled_out(lead, {"plans": Answer(criterion="plans", choice="excludes_us")}) == (
        "Their plan rules out a tool like ours")
    assert ruled_out(lead, {"plans": Answer(criterion="plans", choice="fits_us")}) is None


def test_the_first_rule_that_applies_gives_the_reason() -> None:
    lead = Lead(company="Acme", title="Intern", email="jo@relaybase.com")
    assert ruled_out(lead) == COMPETITOR


def test_the_2026_q4_1_rules_written_with_contains_still_load_and_mean_whole_words() -> None:
    old = Disqualifier.model_validate({"key": "open_opportunity", "reason": "Open opportunity",
                                       "field": "source", "contains": ["open opportunity"]})
    assert disqualification([old], Lead(company="A", source="Open Opportunity: Q4"), {}) == (
        "Open opportunity")
    assert disqualification([old], Lead(company="A", source="reopen opportunity"), {}) is None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"field": "title"}, "give the words to look for in title as contains"),
        ({"field": "open_opportunity", "contains": ["yes"]}, "give equals: true"),
        ({"field": "title", "equals": True}, "give the words to look for in title"),
        ({"field": "email_domain", "contains": ["rival.com"], "unless": ["eu.rival.com"]},
         "unless takes phrases of a text field"),
        ({"field": "title", "contains": ["intern"], "criterion": "plans", "choices": ["no"]},
         "give field + contains"),
        ({"criterion": "plans"}, "give field + contains"),
        ({"field": "title", "contains": [False]}, "expected text in quotes, got False"),
        ({"field": "title", "contains": ["  "]}, "expected words, got an empty text"),
    ],
)
def test_a_rule_with_a_mixed_or_missing_condition_is_refused(
    rule: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Disqualifier.model_validate({"key": "x", "reason": "X"} | rule)
