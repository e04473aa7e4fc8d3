"""The agreed definition of a sales-ready lead (SRL), versioned and signed off by both teams."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from baton.domain.assignment import Assignment
from baton.domain.disqualifiers import Disqualifier
from baton.domain.framework import KEY_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmployeeRange(_Strict):
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> EmployeeRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be above max")
        return self

    def contains(self, employees: int) -> bool:
        above = self.min is None or employees >= self.min
        below = self.max is None or employees <= self.max
        return above and below


def _names(value: object) -> list[object]:
    """Every name given: the items of a list, or a mapping's keys and the items it lists."""
    if isinstance(value, dict):
        listed = [name for names in value.values() if isinstance(names, list | tuple)
                  for name in names]
        return [*value, *listed]
    return list(value) if isinstance(value, list | tuple) else []


def _text_only(value: object) -> object:
    # YAML 1.1 reads a bare NO (Norway) or off as a boolean: a name must arrive as written.
    for name in _names(value):
        if not isinstance(name, str):
            raise ValueError(f"expected text in quotes, got {name!r}")
    return value


class FitAliases(_Strict):
    """Other names BDRs type for an agreed value, by that value: software: [SaaS, ...]."""

    industries: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    regions: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    _names_as_text = field_validator("industries", "regions", mode="before")(_text_only)


class OrganisationFit(_Strict):
    """Which organisations sales wants to talk to; empty lists accept any value."""

    industries: tuple[str, ...] = ()
    employees: EmployeeRange = EmployeeRange()
    regions: tuple[str, ...] = ()
    aliases: FitAliases = FitAliases()
    unknown_blocks: bool = Field(
        default=False, description="an unknown industry, size or region stops a lead being an SRL"
    )

    _names_as_text = field_validator("industries", "regions", mode="before")(_text_only)


class FrameworkRule(_Strict):
    """For one framework: what must be met and the lowest acceptable score."""

    must_meet: tuple[str, ...] = ()
    min_score: int = Field(ge=0, le=100)


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class BusinessHours(_Strict):
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)
    days: tuple[Weekday, ...] = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)

    @model_validator(mode="after")
    def _ordered(self) -> BusinessHours:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        if not self.days:
            raise ValueError("at least one working day is needed")
        return self


def _known_zone(value: str | None) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value is None:
        return value
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"expected an IANA time zone such as Europe/Paris, got {value!r}"
        ) from None
    return value


class ServiceLevel(_Strict):
    """How fast sales must claim a handoff, in business minutes."""

    claim_within_minutes: int = Field(gt=0)
    escalate_after_minutes: int = Field(gt=0)
    # After the claim (or assignment), the owner accepts within this; after accepting, they
    # make first contact (the card's Contacted or Meeting booked) within this. None: untimed.
    accept_within_minutes: int | None = Field(default=None, gt=0)
    contact_within_minutes: int | None = Field(default=None, gt=0)
    timezone: str = "America/New_York"
    business_hours: BusinessHours = BusinessHours()
    # Days off (public holidays): no business minutes are counted on them.
    holidays: tuple[dt.date, ...] = ()

    _zone = field_validator("timezone")(_known_zone)

    @model_validator(mode="after")
    def _escalate_later(self) -> ServiceLevel:
        if self.escalate_after_minutes <= self.claim_within_minutes:
            raise ValueError("escalate_after_minutes must be longer than claim_within_minutes")
        return self


class Team(_Strict):
    """A sales team a routing rule hands its leads to: its own time zone, hours and holidays
    for the SLA (the `sla` block's where left out), the managers told of its unclaimed cards,
    and the user group its reminders mention."""

    timezone: str | None = None
    business_hours: BusinessHours | None = None
    holidays: tuple[dt.date, ...] = ()
    managers: tuple[Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")], ...] = ()
    mention: str | None = Field(default=None, pattern=r"^S[A-Z0-9]{2,}$")

    _zone = field_validator("timezone")(_known_zone)


class RejectionReason(_Strict):
    """A reason sales may give for sending a lead back, optionally tied to the criterion it
    says the verdict got wrong ("no budget" -> budget), so rejections can be read by criterion."""

    key: str = Field(pattern=KEY_PATTERN)
    label: str = Field(min_length=1, max_length=75)
    criterion: str | None = Field(default=None, pattern=KEY_PATTERN)


DEFAULT_REJECTION_REASONS = (
    RejectionReason(key="not_a_fit", label="not a fit"),
    RejectionReason(key="no_budget", label="no budget", criterion="budget"),
    RejectionReason(key="wrong_contact", label="wrong contact", criterion="authority"),
    RejectionReason(key="duplicate", label="duplicate"),
    RejectionReason(key="not_ready_yet", label="not ready yet", criterion="timeline"),
    RejectionReason(key="other", label="other"),
)


class WeeklyDigest(_Strict):
    """When managers get the week's digest, in the SLA's time zone, and where: a channel, or
    each manager of BATON_MANAGERS by DM when no channel is set."""

    channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")
    day: Weekday = Weekday.MON
    hour: int = Field(default=9, ge=0, le=23)


class Segment(_Strict):
    """A size band sales is organised by (SMB, mid-market, enterprise)."""

    name: str = Field(pattern=KEY_PATTERN)
    employees: EmployeeRange


class RouteMatch(_Strict):
    """Conditions of a routing rule; every condition given must hold, empty ones match all."""

    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    employees: EmployeeRange | None = None


class RoutingRule(_Strict):
    name: str = Field(min_length=1)
    channel: str = Field(pattern=r"^[CG][A-Z0-9]{2,}$")
    match: RouteMatch = RouteMatch()
    assign: Assignment = Assignment()
    # The team (in the definition's `teams`) whose hours and managers this rule's leads follow.
    team: str | None = None
    # Managers told of this rule's unclaimed cards, before its team's and BATON_MANAGERS.
    managers: tuple[Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")], ...] = ()


class Definition(_Strict):
    """One version of the agreed SRL definition."""

    version: str = Field(min_length=1)
    agreed_by: tuple[str, ...] = Field(min_length=1)
    agreed_on: dt.date
    review_by: dt.date | None = None
    default_framework: str = Field(pattern=KEY_PATTERN)
    organisation_fit: OrganisationFit = OrganisationFit()
    frameworks: dict[str, FrameworkRule] = Field(min_length=1)
    disqualifiers: tuple[Disqualifier, ...] = ()
    sla: ServiceLevel
    segments: tuple[Segment, ...] = ()
    teams: dict[str, Team] = Field(default_factory=dict)
    routing: tuple[RoutingRule, ...] = ()
    rejection_reasons: tuple[RejectionReason, ...] = Field(
        default=DEFAULT_REJECTION_REASONS, min_length=1)
    # The weekly digest to managers; none when left out.
    digest: WeeklyDigest | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        # `version: 2026.4` would otherwise arrive as a float and lose trailing zeros.
        if isinstance(value, int | float):
            raise ValueError(f"expected text in quotes, got {value!r}")
        return value

    def rule_for(self, framework: str) -> FrameworkRule | None:
        return self.frameworks.get(framework)

    def rejection_reason(self, key: str) -> RejectionReason | None:
        return next((reason for reason in self.rejection_reasons if reason.key == key), None)

    def routing_rule(self, name: str | None) -> RoutingRule | None:
        return next((rule for rule in self.routing if rule.name == name), None)

    def team_of(self, rule_name: str | None) -> Team | None:
        """The team of the routing rule named `rule_name`, if it names one."""
        rule = self.routing_rule(rule_name)
        return self.teams.get(rule.team) if rule is not None and rule.team else None

    def managers_for(self, rule_name: str | None) -> tuple[str, ...]:
        """Who hears of a rule's unclaimed cards: its own managers, else its team's; empty
        means BATON_MANAGERS."""
        rule, team = self.routing_rule(rule_name), self.team_of(rule_name)
        if rule is not None and rule.managers:
            return rule.managers
        return team.managers if team is not None else ()

    def sla_for(self, rule_name: str | None) -> ServiceLevel:
        """The service level a handoff routed by `rule_name` is timed by: its team's time zone,
        hours and holidays over the `sla` block's."""
        team = self.team_of(rule_name)
        if team is None:
            return self.sla
        return self.sla.model_copy(update={
            "timezone": team.timezone or self.sla.timezone,
            "business_hours": team.business_hours or self.sla.business_hours,
            "holidays": tuple(sorted({*self.sla.holidays, *team.holidays}))})

    def review_overdue(self, today: dt.date) -> bool:
        """Whether the review marketing and sales agreed to hold by `review_by` is due."""
        return self.review_by is not None and today >= self.review_by

    def segment_of(self, employees: int | None) -> str | None:
        if employees is None:
            return None
        return next((s.name for s in self.segments if s.employees.contains(employees)), None)
