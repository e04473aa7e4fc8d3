"""The intake: what it offers from the definition in force, and its fields checked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baton.domain.disqualifiers import LeadField
from baton.domain.fit import FitField, FitOption, fit_options
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.qualification.results import Intake
from baton.services.unit_of_work import UnitOfWork

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class IntakeChoices:
    """The pick-lists and defaults of the intake, as the definition in force has them."""

    industries: tuple[FitOption, ...]
    regions: tuple[FitOption, ...]
    # Whether a fit field left unknown keeps the lead from being sales-ready.
    unknown_blocks: bool
    # Whether a yes to "open opportunity?" rules the lead out.
    open_opportunity_rules_out: bool
    frameworks: tuple[tuple[str, str], ...]
    default_framework: str


def intake_choices(*, uow: UnitOfWork, catalog: Catalog) -> IntakeChoices:
    """What the intake offers: industries and regions agreed, frameworks and the default."""
    with uow.reading() as session:
        in_force = catalog_in_force(session=session, catalog=catalog)
    definition = in_force.definition
    fit = definition.organisation_fit
    rules_out = any(rule.field is LeadField.OPEN_OPPORTUNITY and rule.equals is True
                    for rule in definition.disqualifiers)
    frameworks = tuple((key, framework.name) for key, framework in in_force.frameworks.items())
    default = definition.default_framework
    return IntakeChoices(
        industries=fit_options(fit, FitField.INDUSTRY), regions=fit_options(fit, FitField.REGION),
        unknown_blocks=fit.unknown_blocks, open_opportunity_rules_out=rules_out,
        frameworks=frameworks,
        default_framework=default if default in in_force.frameworks else frameworks[0][0])


def validate_intake(intake: Intake, catalog: Catalog) -> dict[str, str]:
    """Messages for the intake fields that need fixing, by field name; empty when all is well."""
    errors = {}
    if not intake.company.strip():
        errors["company"] = "Enter the company's name."
    if not intake.contact_name.strip():
        errors["contact_name"] = "Enter the name of the person you spoke to."
    if not intake.title.strip():
        errors["title"] = "Enter their role or title, such as Head of Sales Operations."
    if intake.email.strip() and not _EMAIL.match(intake.email.strip()):
        # Quoted as typed, up to a length that still reads as a sentence under the field.
        shown = intake.email if len(intake.email) <= 80 else intake.email[:80] + "…"
        errors["email"] = f"Expected an email address such as dana@acme.com, got {shown!r}."
    if intake.employees is not None and intake.employees < 0:
        errors["employees"] = "Expected a number of employees of 0 or more."
    if intake.framework and intake.framework not in catalog.frameworks:
        known = ", ".join(sorted(catalog.frameworks))
        errors["framework"] = f"Expected one of: {known}, got {intake.framework!r}."
    return errors
