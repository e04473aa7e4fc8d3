"""The verdict on a lead: sales-ready or not, explained criterion by criterion."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from baton.domain.framework import Status


class CriterionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    status: Status
    reason: str
    points: int = Field(ge=0)
    max_points: int = Field(ge=0)
    must_meet: bool = False
    answer: str | None = None


class Verdict(BaseModel):
    """Never a third state: `sales_ready` is true or false, and `missing` says why not."""

    model_config = ConfigDict(frozen=True)

    sales_ready: bool
    score: int = Field(ge=0, le=100)
    framework: str
    definition_version: str
    criteria: tuple[CriterionResult, ...]
    missing: tuple[str, ...] = ()
    disqualified: str | None = None
