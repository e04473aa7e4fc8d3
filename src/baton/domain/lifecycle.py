"""Where a qualification and a handoff stand, and what became of a lead: the words stored."""

from __future__ import annotations

from enum import StrEnum


class QualificationStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    FINISHED = "finished"
    ABANDONED = "abandoned"


class HandoffStatus(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    CLAIMED = "claimed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RELEASED = "released"
    # No longer sales-ready after a correction or an override: the card stays, without Claim.
    WITHDRAWN = "withdrawn"


class OutcomeKind(StrEnum):
    MEETING_HELD = "meeting_held"
    OPPORTUNITY_CREATED = "opportunity_created"
    WON = "won"
    LOST = "lost"


class VerdictCause(StrEnum):
    """How a verdict came about: judged at the end of the questions, after a correction of the
    answers, or by a manager's override."""

    JUDGED = "judged"
    CORRECTED = "corrected"
    OVERRIDDEN = "overridden"
