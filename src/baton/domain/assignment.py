"""Who a sales-ready lead goes to: the first rep to claim it, the next rep in a weighted
rotation, or the rep who already owns the account; reps away or at their cap are skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

# A Slack user id (U…, W…) or user group id (S…).
MEMBER_PATTERN = r"^[UWS][A-Z0-9]{2,}$"
Member = Annotated[str, Field(pattern=MEMBER_PATTERN)]


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
    members: tuple[Member, ...] = ()
    # Leads per turn, by user id; a member not named here has weight 1.
    weights: dict[str, Annotated[int, Field(gt=0)]] = Field(default_factory=dict)
    # At most this many leads assigned and not yet accepted per rep; a rep at the cap is skipped.
    max_open: int | None = Field(default=None, gt=0)
    # For owner: how a lead whose account nobody owns is assigned.
    fallback: AssignMode = AssignMode.CLAIM

    @model_validator(mode="after")
    def _complete(self) -> Assignment:
        for member in self.weights:
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


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def read_until(text: str, today: dt.date) -> dt.date:
    """The last day away, as people write it: 2026-12-14, tomorrow, friday (the next one),
    14 Dec or Dec 14 (the next such day); ValueError saying what is expected otherwise."""
    import re

    said = " ".join(text.lower().replace(",", " ").split())
    if said == "tomorrow":
        return today + dt.timedelta(days=1)
    for index, name in enumerate(_DAYS):
        if said in (name, name[:3]):
            return today + dt.timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    try:
        return dt.date.fromisoformat(said)
    except ValueError:
        pass
    match = (re.fullmatch(r"(\d{1,2}) ([a-z]{3})[a-z]*", said)
             or re.fullmatch(r"([a-z]{3})[a-z]* (\d{1,2})", said))
    if match:
        day, month = match.groups() if match.group(1).isdigit() else match.groups()[::-1]
        if month in _MONTHS:
            try:
                moment = dt.date(today.year, _MONTHS.index(month) + 1, int(day))
            except ValueError:
                raise ValueError(f"{text.strip()!r} is not a day of the calendar") from None
            return moment if moment >= today else moment.replace(year=today.year + 1)
    raise ValueError(f"expected a day such as 2026-12-14, tomorrow, friday or 14 Dec, got "
                     f"{text.strip()!r}")
