"""A lead already known: the same company however it is written, or the same company domain."""

from __future__ import annotations

import pytest

from baton.domain.companies import company_domain, company_key, identifies_company, same_company


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Acme, Inc.", "acme"),
        ("ACME inc", "acme"),
        ("The Acme Corp.", "acme"),
        ("  acme   ", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme LLC", "acme"),
        ("Acme GmbH", "acme"),
        ("Acme S.A.", "acme"),
        ("Acme AG", "acme"),
        ("Acme B.V.", "acme"),
        ("Acme PLC", "acme"),
        ("Acme Co.", "acme"),
        ("Acme Pty Ltd", "acme"),
        ("Acmé Corp", "acme"),
        ("Smith & Co", "smith"),
        ("Acme Labs", "acme labs"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("AT&T", "at and t"),
        ("O'Neil Partners", "oneil partners"),
        ("The Company", "company"),
        ("The", "the"),
        ("", ""),
    ],
)
def test_company_names_compare_without_case_punctuation_accents_or_legal_suffixes(
    typed: str, key: str
) -> None:
    assert company_key(typed) == key


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Acme, Inc.", "ACME inc", True),
        ("ACME inc", "The Acme Corp.", True),
        ("Acme Corp", "acme", True),
        ("Acme Labs", "Acme", False),
        ("Acme", "Acme Labs Inc", False),
        ("", "", False),
        ("Inc.", "Ltd", False),
    ],
)
def test_same_company(first: str, second: str, same: bool) -> None:
    assert same_company(first, second) is same


@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("jo@acme.com", "acme.com"),
        ("Jo.Park@EU.Acme.com ", "eu.acme.com"),
        ("jo@gmail.com", None),
        ("jo@GMAIL.com", None),
        ("jo@outlook.com", None),
        ("jo@hotmail.com", None),
        ("jo@yahoo.com", None),
        ("jo@icloud.com", None),
        ("jo@proton.me", None),
        ("jo@gmx.de", None),
        ("jo@notgmail.com", "notgmail.com"),
        ("jo", None),
        ("jo@", None),
        ("", None),
        ("jo@localhost", None),
    ],
)
def test_only_a_company_email_domain_identifies_the_organisation(
    email: str, domain: str | None
) -> None:
    assert company_domain(email) == domain
    assert identifies_company(email) is (domain is not None)
