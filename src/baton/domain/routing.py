"""Which sales channel a sales-ready lead is handed to."""

from __future__ import annotations

from typing import NamedTuple

from baton.domain.definition import Definition, RouteMatch
from baton.domain.lead import Lead


class Route(NamedTuple):
    """The channel to post the handoff in, and the rule that chose it (None: the default)."""

    channel: str
    rule_name: str | None


def _among(value: str | None, allowed: tuple[str, ...]) -> bool:
    # An empty condition matches every lead; a condition on an unknown value matches none.
    if not allowed:
        return True
    if not value:
        return False
    return value.strip().casefold() in {item.strip().casefold() for item in allowed}


def matches(
    match: RouteMatch, definition: Definition, lead: Lead, framework_key: str
) -> bool:
    """Whether every condition of a routing rule holds for this lead."""
    if match.employees is not None and (
        lead.employees is None or not match.employees.contains(lead.employees)
    ):
        return False
    return (
        _among(lead.region, match.regions)
        and _among(definition.segment_of(lead.employees), match.segments)
        and _among(lead.industry, match.industries)
        and _among(framework_key, match.frameworks)
    )


def route(definition: Definition, lead: Lead, framework_key: str, default_channel: str) -> Route:
    """The first routing rule that matches the lead, else the default channel."""
    for rule in definition.routing:
        if matches(rule.match, definition, lead, framework_key):
            return Route(channel=rule.channel, rule_name=rule.name)
    return Route(channel=default_channel, rule_name=None)
