"""A lead as the BDR knows it, and the answers given about it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Lead(BaseModel):
    """The organisation and person a BDR is qualifying."""

    model_config = ConfigDict(frozen=True)

    company: str = Field(min_length=1)
    contact_name: str = ""
    title: str = ""
    email: str = ""
    source: str = ""
    region: str = ""
    industry: str = ""
    employees: int | None = Field(default=None, ge=0)
    open_opportunity: bool | None = Field(
        default=None, description="sales already has an open opportunity with it; None: not known"
    )

    @property
    def email_domain(self) -> str:
        return self.email.rpartition("@")[2].lower() if "@" in self.email else ""


class Answer(BaseModel):
    """What the BDR recorded for one criterion: a choice, a typed value, or both."""

    model_config = ConfigDict(frozen=True)

    criterion: str
    choice: str | None = None
    typed: str | None = None
    notes: str = ""
    answered_on: dt.date | None = Field(
        default=None, description="reference day for relative timelines such as 'next quarter'"
    )
