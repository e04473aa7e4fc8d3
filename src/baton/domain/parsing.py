"""Typed answers as BDRs write them: amounts, target dates and counts, read strictly.

Conventions, chosen so that nothing is guessed:
- Commas followed by groups of three digits are thousands ("120,000"); a comma followed by one
  or two digits at the end is a decimal comma ("1.234,56 EUR", "1,5M").
- A single dot followed by exactly three digits with no k/M after it ("50.000") could mean fifty
  or fifty thousand, so it is refused with a message asking which.
- Ranges ("12k-15k") are refused rather than narrowed to one end: the BDR gives one figure.

Target dates and timelines are read by baton.domain.timeline.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class ParseError(ValueError):
    """A typed answer could not be read; the message says what was expected."""


# ---- numbers and amounts -------------------------------------------------------------------

MONEY_EXAMPLE = "an amount such as $120k, 120,000 USD or 1.2M EUR"
NUMBER_EXAMPLE = "a number such as 250, 1,200 or 2.5k"
_SCALES = {"thousand": 3, "grand": 3, "k": 3, "million": 6, "mil": 6, "mm": 6, "mn": 6, "m": 6,
           "billion": 9, "bn": 9, "b": 9}
_SCALE = r"(?P<scale>thousand|grand|million|mil|mm|mn|m|billion|bn|b|k)\b"
_HEDGE = re.compile(r"^(about|around|approximately|approx\.?|roughly|circa|ca\.|~|at least|"
                    r"just over|over|more than|up to|maybe|est\.?|estimated)\s*")
_CEILING = re.compile(r"^(under|less than|below|not more than|no more than)\b")
_RANGE = re.compile(r"^between\b|\d\s*[a-z]*\s*(-|–|—|\bto\b|\bor\b|\band\b)\s*\D{0,3}\s*\d")
_YEARLY = re.compile(r"\s*(per year|a year|/ ?year|/ ?yr|annually|per annum|p\.a\.)$")
_MONTHLY = re.compile(r"(per month|a month|/ ?month|/ ?mo|monthly)$")


def _groups_of_three(digits: str, separator: str) -> bool:
    head, *rest = digits.split(separator)
    return 1 <= len(head) <= 3 and bool(rest) and all(len(g) == 3 for g in rest)


def _decimal_mark(literal: str, scaled: bool) -> str:
    """Which of '.' and ',' separates the decimals in a number as written."""
    dots, commas = literal.count("."), literal.count(",")
    if dots and commas:
        return "." if literal.rfind(".") > literal.rfind(",") else ","
    if commas == 1 and re.search(r",\d{1,2}$", literal):
        return ","
    if dots == 1 and not scaled and _groups_of_three(literal, "."):
        raise ParseError(f"{literal!r} could be read two ways: write {literal.replace('.', ',')}"
                         f" for thousands or drop the trailing zeros")
    return "," if dots > 1 else "."


def _to_decimal(literal: str, scaled: bool, expected: str, text: str) -> Decimal:
    mark = _decimal_mark(literal, scaled)
    thousands = "," if mark == "." else "."
    whole, _, fraction = literal.partition(mark)
    grouped = thousands in whole
    if mark in fraction or thousands in fraction or (
        grouped and not _groups_of_three(whole, thousands)
    ):
        raise ParseError(f"expected {expected}, got {text!r} (the digits are grouped oddly)")
    return Decimal(whole.replace(thousands, "") + ("." + fraction if fraction else ""))


def _scaled(literal: str, scale: str | None, expected: str, text: str) -> Decimal:
    value = _to_decimal(literal, scale is not None, expected, text)
    value = value.scaleb(_SCALES[scale]) if scale else value
    # Plain digits, so "2.5k" reads back as 2500 and not 2.5E+3.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _refuse_common(text: str, expected: str) -> str:
    """Normalise the text and refuse the forms no number may take; returns the rest."""
    cleaned = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()
    if not cleaned:
        raise ParseError(f"expected {expected}, got nothing")
    if _CEILING.match(cleaned):
        raise ParseError(f"expected {expected}, got the upper limit {text!r}: give the figure")
    cleaned = _HEDGE.sub("", cleaned).removesuffix("+").strip()
    if _RANGE.search(cleaned):
        raise ParseError(f"expected one figure, got the range {text!r}: ranges are not "
                         f"narrowed for you, give one figure (the lower end if unsure)")
    if cleaned.startswith(("-", "minus", "(")):
        raise ParseError(f"expected {expected}, got {text!r}, which is below zero")
    return cleaned


# ---- money ---------------------------------------------------------------------------------

_SYMBOLS = {"$": "USD", "us$": "USD", "c$": "CAD", "a$": "AUD", "€": "EUR", "£": "GBP",
            "¥": "JPY", "₹": "INR"}
_WORDS = {"dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR",
          "pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY"}
_CODES = frozenset("USD EUR GBP JPY CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF INR CNY HKD SGD "
                   "KRW BRL MXN ZAR AED ILS TRY".split())
_MONEY = re.compile(
    r"(?P<pre>us\$|c\$|a\$|[$€£¥₹]|[a-z]{3})?\s*(?P<num>\d(?:[\d.,]*\d)?)\s*"
    + r"(?:" + _SCALE + r")?\s*(?P<post>dollars?|bucks|euros?|pounds?|quid|yen"
    r"|[a-z]{3}|[$€£¥₹])?"
)


class Money(BaseModel):
    """An amount of money in one currency."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def __str__(self) -> str:
        whole = self.amount == self.amount.to_integral_value()
        shown = f"{int(self.amount):,}" if whole else f"{self.amount:,.2f}"
        return f"{shown} {self.currency}"


def _currency(word: str | None, text: str) -> str | None:
    if word is None:
        return None
    code = _SYMBOLS.get(word) or _WORDS.get(word) or word.upper()
    if code not in _CODES:
        raise ParseError(f"expected a currency such as USD, EUR or GBP, got {word!r} in {text!r}")
    return code


def parse_money(text: str) -> Money:
    """Read an amount such as "$120k", "120,000 USD" or "1.2M EUR"; USD when none is named."""
    cleaned = _refuse_common(text, MONEY_EXAMPLE)
    if _MONTHLY.search(cleaned):
        raise ParseError(f"expected the yearly amount, got the monthly {text!r}: multiply by 12")
    match = _MONEY.fullmatch(_YEARLY.sub("", cleaned))
    if match is None:
        raise ParseError(f"expected {MONEY_EXAMPLE}, got {text!r}")
    before, after = _currency(match["pre"], text), _currency(match["post"], text)
    if before and after and before != after:
        raise ParseError(f"expected one currency, got {before} and {after} in {text!r}")
    amount = _scaled(match["num"], match["scale"], MONEY_EXAMPLE, text)
    return Money(amount=amount, currency=before or after or "USD")


_NUMBER = re.compile(r"(?P<num>\d(?:[\d.,]*\d)?)\s*(?:" + _SCALE + r")?\s*(?P<unit>[a-z]+)?")


def parse_number(text: str) -> Decimal:
    """Read a count such as "250", "1,200", "2.5k" or "about 300 seats"."""
    cleaned = _refuse_common(text, NUMBER_EXAMPLE)
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        raise ParseError(f"expected {NUMBER_EXAMPLE}, got {text!r}")
    return _scaled(match["num"], match["scale"], NUMBER_EXAMPLE, text)
