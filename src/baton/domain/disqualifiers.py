"""Facts that rule a lead out whatever else is true, and how each is matched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from baton.domain.framework import KEY_PATTERN
from baton.domain.lead import Answer, Lead
from baton.domain.matching import has_phrase, in_domain

_GIVE = "give field + contains (for open_opportunity, field + equals), or criterion + choices"


class LeadField(StrEnum):
    """The facts of a lead a disqualifier can look at."""

    INDUSTRY = "industry"
    REGION = "region"
    SOURCE = "source"
    TITLE = "title"
    EMAIL_DOMAIN = "email_domain"
    COMPANY = "company"
    OPEN_OPPORTUNITY = "open_opportunity"


class Disqualifier(BaseModel):
    """A fact that rules a lead out (a competitor, a student...): one condition per rule.

    `contains` lists whole words or phrases of a text field ("intern" is not in "International
    Sales"), or for email_domain, domains that also cover their subdomains. `unless` lists
    phrases that stop the rule ("student success"). A yes/no field is matched with `equals`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_PATTERN)
    reason: str = Field(min_length=1)
    field: LeadField | None = None
    contains: tuple[str, ...] = Field(default=(), description="whole words, phrases or domains")
    unless: tuple[str, ...] = Field(default=(), description="phrases that stop the rule")
    equals: bool | None = Field(default=None, description="the yes/no that disqualifies")
    criterion: str | None = None
    choices: tuple[str, ...] = Field(default=(), description="choice values that disqualify")

    @field_validator("contains", "unless", "choices", mode="before")
    @classmethod
    def _words_as_text(cls, value: object) -> object:
        # YAML 1.1 reads a bare no/off as a boolean: a word must arrive as written.
        items = value if isinstance(value, list | tuple) else []
        for item in items:
            if not isinstance(item, str):
                raise ValueError(f"expected text in quotes, got {item!r}")
            if not item.strip():
                raise ValueError("expected words, got an empty text")
        return value

    @model_validator(mode="after")
    def _one_condition(self) -> Disqualifier:
        on_answer = self.criterion is not None or bool(self.choices)
        on_field = self.field is not None or bool(self.contains or self.unless) or (
            self.equals is not None)
        if on_answer == on_field or (on_answer and not (self.criterion and self.choices)):
            raise ValueError(_GIVE)
        if on_field:
            self._check_field()
        return self

    def _check_field(self) -> None:
        if self.field is None:
            raise ValueError(_GIVE)
        if self.field is LeadField.OPEN_OPPORTUNITY:
            if self.equals is None or self.contains or self.unless:
                raise ValueError("open_opportunity is a yes/no the BDR picks: give equals: true")
        elif not self.contains or self.equals is not None:
            raise ValueError(f"give the words to look for in {self.field} as contains: [...]; "
                             "equals is for open_opportunity")
        elif self.unless and self.field is LeadField.EMAIL_DOMAIN:
            raise ValueError("unless takes phrases of a text field such as title, not domains")


def applies(rule: Disqualifier, lead: Lead, answers: Mapping[str, Answer]) -> bool:
    """Whether this one rule rules the lead out."""
    if rule.criterion is not None:
        answer = answers.get(rule.criterion)
        return answer is not None and answer.choice in rule.choices
    if rule.field is None:
        return False
    if rule.field is LeadField.OPEN_OPPORTUNITY:
        # Not known is not a yes: a disqualifier needs the fact.
        return lead.open_opportunity is not None and lead.open_opportunity == rule.equals
    value = str(getattr(lead, rule.field.value))
    if rule.field is LeadField.EMAIL_DOMAIN:
        return any(in_domain(value, listed) for listed in rule.contains)
    return any(has_phrase(value, phrase) for phrase in rule.contains) and not any(
        has_phrase(value, phrase) for phrase in rule.unless)


def disqualification(
    rules: Iterable[Disqualifier], lead: Lead, answers: Mapping[str, Answer]
) -> str | None:
    """The reason of the first disqualifier that applies to the lead, if any."""
    return next((rule.reason for rule in rules if applies(rule, lead, answers)), None)
