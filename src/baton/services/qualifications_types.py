"""What the qualification services take and give back, and the sentences they refuse with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baton.domain.errors import (  # noqa: F401 - re-exported for the services
    Closed,
    FormInvalid,
    InvalidAnswer,
    NotYours,
    QualificationError,
)
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


@dataclass(frozen=True)
class KnownLead:
    """A lead Baton already has, with its latest qualification if any."""

    lead_id: int
    company: str
    qualification_id: int | None
    bdr_user_id: str | None
    started_at: dt.datetime | None
    status: str | None


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
    """A question as it was just answered (or skipped), to replace the question message."""

    criterion_title: str
    question: str
    answer_text: str
    answered_by: str


@dataclass(frozen=True)
class Finished:
    """The verdict given, and the handoff it requested when the lead is sales-ready."""

    qualification_id: int
    lead: Lead
    verdict: Verdict
    handoff_id: int | None
    min_score: int = 0
    framework_name: str = ""


@dataclass(frozen=True)
class Progress:
    """What one click changed; `duplicate` means it was already handled and nothing changed."""

    duplicate: bool
    answered: Answered | None = None
    next: Step | None = None
    finished: Finished | None = None


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
