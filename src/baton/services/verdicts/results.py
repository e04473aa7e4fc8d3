"""What the verdict services take and give back: corrections, overrides and next steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from baton.domain.framework import Framework
from baton.domain.lead import Answer, Lead
from baton.services.handoff import Followed, Rendered
from baton.services.qualification import Judged

# What a BDR may give as the reason a lead goes to nurture, besides what the verdict says is
# missing ("missing:<n>" names the n-th line of the verdict they saw).
NURTURE_REASONS = {"timing": "timing", "no_budget_yet": "no budget yet", "other": "other"}
MISSING = "missing:"


@dataclass(frozen=True)
class CorrectionForm:
    """The answer-all form of a judged qualification, prefilled with the answers in force."""

    qualification_id: int
    lead: Lead
    framework: Framework
    questions: dict[str, str]
    answers: dict[str, Answer]


@dataclass(frozen=True)
class Corrected:
    """A correction: the new verdict, the answers it changed and what became of the handoff."""

    judged: Judged
    changed: tuple[str, ...]
    followed: Followed
    was_sales_ready: bool


@dataclass(frozen=True)
class OverrideTarget:
    """The verdict a manager is about to override."""

    qualification_id: int
    company: str
    sales_ready: bool
    score: int
    bdr: str


@dataclass(frozen=True)
class Overridden:
    """An override recorded, and what became of the handoff."""

    qualification_id: int
    company: str
    sales_ready: bool
    bdr: str
    followed: Followed


@dataclass(frozen=True)
class RecheckSet:
    """The day a lead in nurture is looked at again, and when its BDR is reminded."""

    company: str
    day: dt.date
    remind_at: dt.datetime
    timezone: str


@dataclass(frozen=True)
class Recheck:
    """A lead due for another look today: what it was judged on, and why it went to nurture."""

    qualification_id: int
    company: str
    framework: str
    recheck_on: dt.date
    nurture_reason: str
    score: int
    answers: tuple[tuple[str, str], ...]


class RecheckPresenter(Protocol):
    """Renders the morning reminder of a recheck; the Slack layer provides one."""

    def recheck_reminder(self, recheck: Recheck) -> Rendered: ...
