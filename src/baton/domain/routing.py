"""Which sales channel a sales-ready lead is handed to."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from baton.domain.definition import Definition, RouteMatch
from baton.domain.fit import FitField, canonical
from baton.domain.lead import Lead
from baton.domain.matching import fold


class Route(NamedTuple):
    """The channel to post the handoff in, and the rule that chose it (None: the default)."""

    channel: str
    rule_name: str | None


def _among(value: str | None, allowed: tuple[str, ...],
           spelled: Callable[[str], str] = fold) -> bool:
    # An empty condition matches every lead; a condition on an unknown value matches none.
    if not allowed:
        return True
    if not value or not value.strip():
        return False
    return spelled(value) in {spelled(item) for item in allowed}


def _agreed(definition: Definition, field: FitField) -> Callable[[str], str]:
    """Text as the agreed value it stands for, so "North America" routes like "NA"."""
    fit = definition.organisation_fit
    return lambda text: fold(canonical(fit, field, text) or text)


def matches(
    match: RouteMatch, definition: Definition, lead: Lead, framework_key: str
) -> bool:
    """Whether every condition of a routing rule holds for this lead."""
    if match.employees is not None and (
        lead.employees is None or not match.employees.contains(lead.employees)
    ):
        return False
    return (
        _among(lead.region, match.regions, _agreed(definition, FitField.REGION))
        and _among(definition.segment_of(lead.employees), match.segments)
        and _among(lead.industry, match.industries, _agreed(definition, FitField.INDUSTRY))
        and _among(framework_key, match.frameworks)
    )


def route(definition: Definition, lead: Lead, framework_key: str, default_channel: str) -> Route:
    """The first routing rule that matches the lead, else the default channel."""
    for rule in definition.routing:
        if matches(rule.match, definition, lead, framework_key):
            return Route(channel=rule.channel, rule_name=rule.name)
    return Route(channel=default_channel, rule_name=None)
