"""A qualification framework: the criteria a BDR asks about, and how each answer counts."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class AnswerKind(StrEnum):
    CHOICE = "choice"
    YES_NO = "yes_no"
    MONEY = "money"
    DATE = "date"
    NUMBER = "number"
    TEXT = "text"
    PERSON = "person"


TYPED_KINDS = frozenset({AnswerKind.MONEY, AnswerKind.DATE, AnswerKind.NUMBER,
                         AnswerKind.TEXT, AnswerKind.PERSON})


class Status(StrEnum):
    """How one criterion stands: there is no fourth state."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One answer a BDR can pick with a button."""

    label: str = Field(min_length=1, max_length=75)
    value: str = Field(pattern=KEY_PATTERN)
    points: int = Field(ge=0, le=100)
    meets: Status

    @field_validator("value", "label", mode="before")
    @classmethod
    def _text_only(cls, value: object) -> object:
        # YAML 1.1 reads yes/no/on/off as booleans; a choice value must be written as text.
        if isinstance(value, bool | int | float):
            raise ValueError(f"expected text in quotes, got {value!r}")
        return value


class TypedRule(_Strict):
    """When a typed answer (amount, date, number, text) meets the criterion."""

    points: int = Field(ge=0, le=100)
    min_amount: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    within_days: int | None = Field(default=None, gt=0)
    min_number: Decimal | None = None
    max_number: Decimal | None = None


class Criterion(_Strict):
    """One thing the BDR must find out, asked as a question written for the lead."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=60)
    question: str = Field(min_length=1, description="Jinja2 template over `lead`")
    help: str = ""
    kind: AnswerKind
    choices: tuple[Choice, ...] = ()
    rule: TypedRule | None = None

    @model_validator(mode="after")
    def _answerable(self) -> Criterion:
        if self.kind in (AnswerKind.CHOICE, AnswerKind.YES_NO) and not self.choices:
            raise ValueError(f"a {self.kind} criterion needs choices")
        if self.rule is not None and self.kind not in TYPED_KINDS:
            raise ValueError(f"a rule applies to typed answers, not to kind {self.kind}")
        return self

    @property
    def max_points(self) -> int:
        best_choice = max((choice.points for choice in self.choices), default=0)
        return max(best_choice, self.rule.points if self.rule else 0)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


class Framework(_Strict):
    """A named question set such as BANT or MEDDPICC."""

    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [criterion.key for criterion in self.criteria]
