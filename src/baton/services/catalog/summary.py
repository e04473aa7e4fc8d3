"""The agreed SRL definition as lines a person reads, for `baton definition show`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from baton.domain.assignment import Assignment, AssignMode
from baton.domain.definition import EmployeeRange, RouteMatch
from baton.domain.disqualifiers import Disqualifier
from baton.services.catalog.loading import Catalog


def _listed(items: Iterable[str], empty: str = "any") -> str:
    return ", ".join(items) or empty


def _employees(band: EmployeeRange) -> str:
    if band.min is None and band.max is None:
        return "any size"
    if band.max is None:
        return f"{band.min}+ employees"
    return f"{band.min or 0}-{band.max} employees"


def _condition(rule: Disqualifier) -> str:
    if rule.field == "open_opportunity":
        return f"open opportunity is {'yes' if rule.equals else 'no'}"
    if rule.field == "email_domain":
        return f"email domain is {_listed(rule.contains)} or a subdomain"
    if rule.field is not None:
        unless = f", unless {_listed(rule.unless)}" if rule.unless else ""
        return f"{rule.field} has the words {_listed(rule.contains)}{unless}"
    return f"answer to {rule.criterion} is {_listed(rule.choices)}"


def _match(match: RouteMatch) -> str:
    parts = [f"{name} {_listed(values)}" for name, values in (
        ("regions", match.regions), ("segments", match.segments),
        ("industries", match.industries), ("frameworks", match.frameworks)) if values]
    if match.employees is not None:
        parts.append(_employees(match.employees))
    return "; ".join(parts) or "every lead"


def _assign(assign: Assignment) -> str:
    rotation = ", ".join(f"{member} (weight {assign.weights[member]})"
                         if member in assign.weights else member for member in assign.members)
    cap = f", at most {assign.max_open} not yet accepted each" if assign.max_open else ""
    if assign.mode is AssignMode.ROUND_ROBIN:
        return f"; round robin: {rotation}{cap}"
    if assign.mode is AssignMode.OWNER:
        otherwise = (f"round robin: {rotation}{cap}" if assign.fallback is AssignMode.ROUND_ROBIN
                     else "first to claim")
        return f"; the account's owner, else {otherwise}"
    return ""


def summarise_definition(catalog: Catalog, today: dt.date | None = None) -> list[str]:
    """Version, sign-off (and whether its review is overdue on `today`), fit, rules per
    framework, disqualifiers, SLA, segments and routing."""
    d = catalog.definition
    review = f", review by {d.review_by}" if d.review_by else ""
    if today is not None and d.review_overdue(today):
        review += " (overdue: due for review with marketing and sales)"
    fit = d.organisation_fit
    lines = [
        f"SRL definition {d.version}, agreed on {d.agreed_on}{review}",
        "Agreed by: " + "; ".join(d.agreed_by),
        f"Organisation fit: industries {_listed(fit.industries)}; {_employees(fit.employees)}; "
        f"regions {_listed(fit.regions)}; unknown {'blocks' if fit.unknown_blocks else 'passes'}",
        f"Frameworks (default {d.default_framework}):",
    ]
    for key, rule in d.frameworks.items():
        framework = catalog.frameworks.get(key)
        name = f"{framework.name} ({key})" if framework else key
        must = _listed(rule.must_meet, "nothing in particular")
        lines.append(f"  {name}: must meet {must}; min score {rule.min_score}")
    lines.append("Disqualified when:")
    lines += [f"  {rule.key}: {_condition(rule)} ({rule.reason})" for rule in d.disqualifiers]
    hours = d.sla.business_hours
    lines.append(
        f"SLA: claim within {d.sla.claim_within_minutes} business minutes, escalate after "
        f"{d.sla.escalate_after_minutes}; business hours {hours.start:%H:%M}-{hours.end:%H:%M} "
        f"{_listed(hours.days)} ({d.sla.timezone})"
    )
    if d.sla.accept_within_minutes or d.sla.contact_within_minutes:
        accept, contact = d.sla.accept_within_minutes, d.sla.contact_within_minutes
        lines.append("Follow-up: " + "; ".join(part for part in (
            f"accept within {accept} business minutes of holding a lead" if accept else "",
            f"first contact within {contact} of accepting" if contact else "") if part))
    if d.sla.holidays:
        lines.append("Holidays: " + ", ".join(day.isoformat() for day in d.sla.holidays))
    for name, team in d.teams.items():
        hours = team.business_hours or d.sla.business_hours
        lines.append(
            f"Team {name}: {team.timezone or d.sla.timezone}, {hours.start:%H:%M}-"
            f"{hours.end:%H:%M} {_listed(hours.days)}"
            + (f"; holidays {', '.join(day.isoformat() for day in team.holidays)}"
               if team.holidays else "")
            + (f"; managers {_listed(team.managers)}" if team.managers else "")
            + (f"; reminders mention {team.mention}" if team.mention else ""))
    segments = (f"{segment.name} {_employees(segment.employees)}" for segment in d.segments)
    lines.append(f"Segments: {_listed(segments, 'none')}")
    lines.append("Routing (first match wins, otherwise the default sales channel):")
    lines += [f"  {rule.name} -> {rule.channel} when {_match(rule.match)}{_assign(rule.assign)}"
              + (f"; team {rule.team}" if rule.team else "") for rule in d.routing]
    return lines
