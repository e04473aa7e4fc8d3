"""The organisation fit: industries and regions as typed, read as the agreed values, then judged."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from baton.domain.definition import EmployeeRange, OrganisationFit
from baton.domain.framework import Status
from baton.domain.lead import Lead
from baton.domain.matching import fold
from baton.domain.verdict import CriterionResult


class FitField(StrEnum):
    """The fit fields a BDR gives as words: each has agreed values and their aliases."""

    INDUSTRY = "industry"
    REGION = "region"


class FitOption(NamedTuple):
    """One agreed value as a pick-list offers it."""

    value: str
    label: str


def vocabulary(
    fit: OrganisationFit, field: FitField
) -> tuple[tuple[str, ...], Mapping[str, tuple[str, ...]]]:
    """The agreed values of a fit field, and their aliases by value."""
    if field is FitField.INDUSTRY:
        return fit.industries, fit.aliases.industries
    return fit.regions, fit.aliases.regions


def canonical(fit: OrganisationFit, field: FitField, typed: str) -> str | None:
    """The agreed value a typed one stands for ("  saas " -> "software"); None when none does."""
    wanted = fold(typed)
    if not wanted:
        return None
    values, aliases = vocabulary(fit, field)
    spelled = {fold(value): value for value in values}
    if wanted in spelled:
        return spelled[wanted]
    for value, names in aliases.items():
        if any(fold(name) == wanted for name in names):
            return spelled.get(fold(value), value)
    return None


def fit_options(fit: OrganisationFit, field: FitField) -> tuple[FitOption, ...]:
    """The agreed values of a fit field for a pick-list, labelled as people write them."""
    values, _ = vocabulary(fit, field)
    return tuple(FitOption(value=value, label=value[:1].upper() + value[1:]) for value in values)


def _result(key: str, title: str, shown: str, status: Status, detail: str) -> CriterionResult:
    return CriterionResult(key=key, title=title, status=status, reason=f"{title}: {detail}",
                           points=0, max_points=0, must_meet=True, answer=shown or None)


def _against(key: str, title: str, shown: str, inside: bool, agreed: str) -> CriterionResult:
    where = "within" if inside else "outside"
    return _result(key, title, shown, Status.MET if inside else Status.NOT_MET,
                   f"{shown} is {where} the agreed fit ({agreed})")


def _named(fit: OrganisationFit, field: FitField, title: str, typed: str) -> CriterionResult:
    key, shown = f"fit_{field}", typed.strip()
    if not shown:
        return _result(key, title, shown, Status.UNKNOWN, "not known")
    values, _ = vocabulary(fit, field)
    agreed, value = ", ".join(values), canonical(fit, field, shown)
    if value is None or value not in values or fold(value) == fold(shown):
        return _against(key, title, shown, value in values, agreed)
    return _result(key, title, shown, Status.MET,
                   f"{shown} counts as {value}, within the agreed fit ({agreed})")


def _range_words(band: EmployeeRange) -> str:
    if band.min is not None and band.max is not None:
        return f"{band.min:,} to {band.max:,} employees"
    if band.min is not None:
        return f"at least {band.min:,} employees"
    return f"at most {band.max:,} employees"


def _size(fit: OrganisationFit, employees: int | None) -> CriterionResult:
    if employees is None:
        return _result("fit_employees", "Company size", "", Status.UNKNOWN, "not known")
    return _against("fit_employees", "Company size", f"{employees:,} employees",
                    fit.employees.contains(employees), _range_words(fit.employees))


def fit_results(fit: OrganisationFit, lead: Lead) -> list[CriterionResult]:
    """Industry, region and size of the organisation against the agreed fit."""
    results = []
    if fit.industries:
        results.append(_named(fit, FitField.INDUSTRY, "Industry", lead.industry))
    if fit.regions:
        results.append(_named(fit, FitField.REGION, "Region", lead.region))
    if fit.employees.min is not None or fit.employees.max is not None:
        results.append(_size(fit, lead.employees))
    return results
