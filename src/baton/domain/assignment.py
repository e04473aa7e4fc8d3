"""Who a sales-ready lead goes to: the first rep to claim it, the next rep in a weighted
rotation, or the rep who already owns the account; reps away or at their cap are skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

PERSON_PATTERN = r"^[UW][A-Z0-9]{2,}$"
GROUP_PATTERN = r"^S[A-Z0-9]{2,}$"


class AssignMode(StrEnum):
    # First click on Claim wins.
    CLAIM = "claim"
    # The next available member in a weighted rotation is named on the card.
    ROUND_ROBIN = "round_robin"
    # The rep who owns the account, else the rule's fallback.
    OWNER = "owner"


class Assignment(BaseModel):
    """How a routing rule's leads find their rep (`assign:` in the rule)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: AssignMode = AssignMode.CLAIM
    # Slack user ids (U…/W…), or user groups (S…) whose members take turns.
    members: tuple[str, ...] = ()
    # Leads per turn, by user id; a member not named here has weight 1.
    weights: dict[str, int] = Field(default_factory=dict)
    # At most this many leads assigned and not yet accepted per rep; a rep at the cap is skipped.
    max_open: int | None = Field(default=None, gt=0)
    # For owner: how a lead whose account nobody owns is assigned.
    fallback: AssignMode = AssignMode.CLAIM

    @model_validator(mode="after")
    def _complete(self) -> Assignment:
        import re

        for member in self.members:
            if not re.match(PERSON_PATTERN, member) and not re.match(GROUP_PATTERN, member):
                raise ValueError(f"members: expected Slack user ids (U…) or user groups (S…), "
                                 f"got {member!r}")
        for member, weight in self.weights.items():
            if weight <= 0:
                raise ValueError(f"weights: {member} must have a weight above 0, got {weight}")
            if member not in self.members:
                raise ValueError(f"weights: {member} is not one of the members")
        if self.fallback is AssignMode.OWNER:
            raise ValueError("fallback: expected claim or round_robin")
        rotates = AssignMode.ROUND_ROBIN in (self.mode, self.fallback_mode)
        if rotates and not self.members:
            raise ValueError("members: round robin needs at least one member")
        return self

    @property
    def fallback_mode(self) -> AssignMode | None:
        return self.fallback if self.mode is AssignMode.OWNER else None


@dataclass(frozen=True)
class Skipped:
    """A member passed over for this lead, and why ("away until Mon 7 Dec", "at their cap")."""

    user: str
    why: str


@dataclass(frozen=True)
class Pick:
    """The rep a lead goes to (None: nobody could take it, so first to claim), who was passed
    over, and the rotation's credits after the pick."""

    user: str | None
    skipped: tuple[Skipped, ...]
    credits: dict[str, int]


def next_in_turn(members: Sequence[str], weights: Mapping[str, int],
                 credits: Mapping[str, int], unavailable: Callable[[str], str | None]) -> Pick:
    """The next member by smooth weighted round robin: each available member earns its weight
    in credit, the richest takes the lead and pays the total back. Over any stretch each gets
    leads in proportion to its weight, spread out rather than in bursts; a member skipped
    (away, at the cap) earns nothing meanwhile, so coming back brings no catch-up burst."""
    skipped: list[Skipped] = []
    available: list[str] = []
    for member in dict.fromkeys(members):
        why = unavailable(member)
        if why:
            skipped.append(Skipped(member, why))
        else:
            available.append(member)
    kept = {member: credits.get(member, 0) for member in dict.fromkeys(members)}
    if not available:
        return Pick(None, tuple(skipped), kept)
    for member in available:
        kept[member] += weights.get(member, 1)
    chosen = max(available, key=lambda member: kept[member])  # first of equals wins
    # Said only of those whose turn it would have been: the others were not passed over.
    ahead = tuple(skip for skip in skipped
                  if credits.get(skip.user, 0) + weights.get(skip.user, 1) >= kept[chosen])
    kept[chosen] -= sum(weights.get(member, 1) for member in available)
    return Pick(chosen, ahead, kept)


def away_until(until: dt.date | None) -> str:
    """How a skip for someone away reads."""
    return f"away until {until:%a %-d %b}" if until else "away"
