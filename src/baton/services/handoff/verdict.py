"""The verdict a handoff stands on: the one in force, and how a change of it reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from baton.store.tables import VerdictRecord


class Effect(StrEnum):
    """What a changed verdict did to the lead's handoff."""

    NONE = "none"  # not sales-ready, and never handed off
    HANDED_OFF = "handed_off"  # newly sales-ready: a card is on its way to sales
    UPDATED = "updated"  # still sales-ready: the card shows the new verdict
    WITHDRAWN = "withdrawn"  # no longer sales-ready: the card stays, without Claim
    REINSTATED = "reinstated"  # sales-ready again: the withdrawn card offers Claim again
    STANDS = "stands"  # the rep already decided or recorded an outcome: nothing is withdrawn


@dataclass(frozen=True)
class VerdictChange:
    """A verdict changed after the questions: by whom, how, and where the lead stands now."""

    company: str
    by: str  # the BDR who corrected the answers, or the manager who overrode the verdict
    override: bool
    sales_ready: bool
    why: str  # what is missing, or the manager's reason
    effect: Effect


def in_force(session: Session, qualification_id: int) -> VerdictRecord | None:
    """The qualification's verdict in force: the newest one recorded."""
    return session.exec(
        select(VerdictRecord).where(VerdictRecord.qualification_id == qualification_id)
        .order_by(VerdictRecord.id.desc())  # type: ignore[union-attr]
        .execution_options(populate_existing=True)).first()


def not_ready_because(verdict: VerdictRecord) -> str:
    """Why a verdict is not sales-ready, in the definition's words or the manager's."""
    if verdict.overridden_by is not None and verdict.override_reason:
        return verdict.override_reason
    return verdict.disqualified or "; ".join(verdict.missing) or "it no longer meets the definition"
