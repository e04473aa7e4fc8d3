"""Amounts and counts as BDRs type them: what is read, and what is refused with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baton.domain.parsing import Money, ParseError, parse_money, parse_number


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$120k", "120000", "USD"),
        ("120,000 USD", "120000", "USD"),
        ("1.2M EUR", "1200000", "EUR"),
        ("€50k", "50000", "EUR"),
        ("£1,500", "1500", "GBP"),
        ("USD 75000", "75000", "USD"),
        ("75k usd", "75000", "USD"),
        ("$1.5 million", "1500000", "USD"),
        ("2m", "2000000", "USD"),
        ("40 thousand dollars", "40000", "USD"),
        ("$ 80,000.00", "80000", "USD"),
        ("100K", "100000", "USD"),
        ("EUR 1.234,56", "1234.56", "EUR"),
        ("1,5M EUR", "1500000", "EUR"),
        ("€1.234.567", "1234567", "EUR"),
        ("about $50k", "50000", "USD"),
        ("~50k", "50000", "USD"),
        ("$50k+", "50000", "USD"),
        ("up to 200k", "200000", "USD"),
        ("at least 20k", "20000", "USD"),
        ("roughly 1.2m", "1200000", "USD"),
        ("50k per year", "50000", "USD"),
        ("$25,000/yr", "25000", "USD"),
        ("CAD 30k", "30000", "CAD"),
        ("C$30,000", "30000", "CAD"),
        ("A$ 12k", "12000", "AUD"),
        ("¥5m", "5000000", "JPY"),
        ("3 grand", "3000", "USD"),
        ("$2bn", "2000000000", "USD"),
        ("500 bucks", "500", "USD"),
        ("$75K USD", "75000", "USD"),
        ("12.5k", "12500", "USD"),
        ("$1,234,567.89", "1234567.89", "USD"),
        ("0", "0", "USD"),
        ("  60,000 ", "60000", "USD"),
        ("90k\u00a0gbp", "90000", "GBP"),
    ],
)
def test_reads_amounts(text: str, amount: str, currency: str) -> None:
    assert parse_money(text) == Money(amount=Decimal(amount), currency=currency)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("lots", "expected an amount such as $120k, 120,000 USD or 1.2M EUR, got 'lots'"),
        ("", "got nothing"),
        ("   ", "got nothing"),
        ("-5k", "below zero"),
        ("$", "got '$'"),
        ("12k-15k", "range '12k-15k'"),
        ("10k to 15k", "range"),
        ("between 10k and 20k", "range"),
        ("about a hundred", "got 'about a hundred'"),
        ("no budget", "got 'no budget'"),
        ("100 abc", "currency such as USD, EUR or GBP, got 'abc'"),
        ("$50k EUR", "one currency, got USD and EUR"),
        ("under 10k", "upper limit"),
        ("5k per month", "yearly amount"),
        ("80.000 EUR", "could be read two ways"),
        ("1,5000", "grouped oddly"),
        ("1.2.3", "grouped oddly"),
    ],
)
def test_refuses_what_is_not_one_amount(text: str, says: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(text)
    assert says in str(caught.value)


def test_a_parse_error_is_a_value_error_for_callers_that_catch_those() -> None:
    with pytest.raises(ValueError, match="expected an amount"):
        parse_money("lots")


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(amount=Decimal("120000"), currency="USD"), "120,000 USD"),
        (Money(amount=Decimal("1234.5"), currency="EUR"), "1,234.50 EUR"),
        (Money(amount=Decimal("1200000.0"), currency="GBP"), "1,200,000 GBP"),
    ],
)
def test_money_reads_back_with_thousands_separators(money: Money, shown: str) -> None:
    assert str(money) == shown


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("250", "250"),
        ("1,200", "1200"),
        ("2.5k", "2500"),
        ("about 300", "300"),
        ("300+", "300"),
        ("1.2m", "1200000"),
        ("250 seats", "250"),
        ("2,5", "2.5"),
        ("~40 reps", "40"),
        ("12 members", "12"),
    ],
)
def test_reads_numbers(text: str, number: str) -> None:
    assert parse_number(text) == Decimal(number)
    assert str(parse_number(text)) == number


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("lots", "expected a number such as 250, 1,200 or 2.5k, got 'lots'"),
        ("", "got nothing"),
        ("-3", "below zero"),
        ("10-20", "range '10-20'"),
        ("a dozen", "got 'a dozen'"),
    ],
)
def test_refuses_what_is_not_one_number(text: str, says: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_number(text)
    assert says in str(caught.value)


@given(
    amount=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
    currency=st.sampled_from(["USD", "EUR", "GBP", "JPY"]),
)
def test_money_reads_back_as_itself(amount: Decimal, currency: str) -> None:
    money = Money(amount=amount, currency=currency)
    assert parse_money(str(money)) == money
    assert parse_money(f"{format(amount.normalize(), 'f')} {currency}") == money
