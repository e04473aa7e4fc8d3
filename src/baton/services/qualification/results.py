"""What the qualification services take, and the one result each of the BDR's moves gives back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baton.domain.framework import Criterion, Framework
from baton.domain.lead import Lead
from baton.domain.verdict import Verdict


@dataclass(frozen=True)
class Intake:
    """Who the lead is, as the BDR entered it in the intake modal."""

    company: str
    contact_name: str
    title: str
    email: str = ""
    source: str = ""
    region: str = ""
    industry: str = ""
    employees: int | None = None
    framework: str = ""
    # Does sales already have an open opportunity with them? None: the BDR does not know.
    open_opportunity: bool | None = None


@dataclass(frozen=True)
class Step:
    """The question the BDR is on, written for the lead."""

    qualification_id: int
    lead: Lead
    framework: Framework
    criterion: Criterion
    question: str
    position: int
    total: int
    dm_channel: str | None
    thread_ts: str | None
    current_answer: str | None = None


@dataclass(frozen=True)
class Answered:
    """The clicked question as it now reads: answered (or skipped), by whom and when."""

    criterion_title: str
    question: str
    answer_text: str
    answered_by: str
    position: int
    total: int
    answered_at: dt.datetime


@dataclass(frozen=True)
class WentBack:
    """The clicked question as it now reads: left unanswered, the BDR back at an earlier one."""

    question: str
    position: int
    total: int
    back_to: int


@dataclass(frozen=True)
class Asked:
    """The next question to ask, with the clicked question as it now reads."""

    next: Step
    clicked: Answered | WentBack


@dataclass(frozen=True)
class Override:
    """A manager's override of the definition's verdict: who, why and when."""

    by: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class Judged:
    """The verdict given, the lead and framework it judged, and the handoff of a sales-ready
    lead; `clicked` is the question whose answer brought the verdict, as it now reads;
    `verdict_id` the stored verdict, which the message's next steps name."""

    qualification_id: int
    lead: Lead
    framework: Framework
    verdict: Verdict
    handoff_id: int | None
    min_score: int
    clicked: Answered | None = None
    verdict_id: int | None = None
    override: Override | None = None


@dataclass(frozen=True)
class StillOpen:
    """The clicked question stays open as it is: a note was kept, or nothing lies before it."""

    step: Step


@dataclass(frozen=True)
class Paused:
    """Stopped at this question; every answer stays and `/qualify resume` picks it up here."""

    step: Step


@dataclass(frozen=True)
class Duplicate:
    """That message was already acted on (a retry, a double click): nothing changed."""


Move = Asked | Judged | StillOpen | Duplicate


@dataclass(frozen=True)
class FormAnswer:
    """One criterion's fields of the answer-all form."""

    choice: str | None = None
    typed: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class PausedItem:
    """A paused qualification the BDR can resume."""

    qualification_id: int
    company: str
    framework: str
    position: int
    total: int
    started_at: dt.datetime
