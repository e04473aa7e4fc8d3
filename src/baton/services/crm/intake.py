"""The CRM asked about a lead at intake, never for longer than a short wait: who owns it, its
status, its open deals, and what the BDR left blank (industry, size, region) filled in."""

from __future__ import annotations

import concurrent.futures
import logging
from dataclasses import dataclass, replace

from baton.domain.companies import company_domain
from baton.domain.fit import FitField, canonical
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.crm.port import Crm, CrmError, Found
from baton.services.qualification.results import Intake
from baton.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# Look-ups run here, so a CRM that never answers holds none of Slack's listeners.
_LOOKUPS = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="baton-crm")


@dataclass(frozen=True)
class Looked:
    """The intake after the CRM was asked, what it said, and what it filled in."""

    intake: Intake
    crm: str
    found: Found | None = None
    filled: tuple[str, ...] = ()
    # Why the CRM said nothing: it was slow, or it failed.
    unanswered: str = ""
    # The CRM's industry, when it is none of the definition's (nor an alias of one).
    unknown_industry: str = ""


def look_up_intake(*, crm: Crm, uow: UnitOfWork, catalog: Catalog, intake: Intake,
                   timeout: float) -> Looked:
    """Ask the CRM about the lead; after `timeout` seconds go on without it."""
    # Its calls may take twice as long, in the background: a CRM that is slow is then told as
    # not answering in time (the wait ends first), never as a call of it that failed.
    asked = _LOOKUPS.submit(crm.look_up, email=intake.email.strip(),
                            domain=company_domain(intake.email), company=intake.company,
                            timeout=2 * timeout)
    try:
        found = asked.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        return Looked(intake, crm.name, unanswered=f"{crm.name} did not answer within "
                                                   f"{timeout:g} s")
    except CrmError as error:
        log.warning("Intake look-up in %s failed: %s", crm.name, error)
        return Looked(intake, crm.name, unanswered=f"{crm.name} could not be asked ({error})")
    if not found.known:
        return Looked(intake, crm.name, found=found)
    with uow.reading() as session:
        fit = catalog_in_force(session=session, catalog=catalog).definition.organisation_fit
    changes: dict[str, object] = {}
    unknown_industry = ""
    if not intake.industry and found.industry:
        industry = canonical(fit, FitField.INDUSTRY, found.industry.replace("_", " "))
        if industry:
            changes["industry"] = industry
        else:
            unknown_industry = found.industry
    if not intake.region and found.country:
        region = canonical(fit, FitField.REGION, found.country)
        if region:
            changes["region"] = region
    if intake.employees is None and found.employees is not None:
        changes["employees"] = found.employees
    if found.open_deals and intake.open_opportunity is not True:
        changes["open_opportunity"] = True
    return Looked(replace(intake, **changes), crm.name, found=found,  # type: ignore[arg-type]
                  filled=tuple(changes), unknown_industry=unknown_industry)
