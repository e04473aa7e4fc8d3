"""The CRM a team connected, built from its settings: HubSpot or Salesforce behind one port."""

from __future__ import annotations

from dataclasses import dataclass

from baton.domain.crm import CrmMapping
from baton.services.crm.port import Crm

NAMES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}


@dataclass(frozen=True)
class Connection:
    """A connected CRM with the mapping sales ops gave it."""

    key: str  # "hubspot" or "salesforce", as BATON_CRM names it
    crm: Crm
    mapping: CrmMapping
    lookup_seconds: float = 2.0
    pull_minutes: float = 5.0


def connect(key: str, mapping: CrmMapping, *, hubspot_token: str = "", hubspot_url: str = "",
            salesforce: dict[str, str] | None = None, timeout: float = 10.0) -> Crm:
    """The connector of `key`, with the credentials given (checked only when first used)."""
    if key == "hubspot":
        from baton.services.crm.hubspot import HubSpotCrm

        return HubSpotCrm(mapping, access_token=hubspot_token, api_url=hubspot_url,
                          timeout=timeout)
    if key == "salesforce":
        from baton.services.crm.salesforce import SalesforceCrm

        given = dict(salesforce or {})
        verify: bool | str = given.pop("ca_bundle", "") or True
        return SalesforceCrm(mapping, timeout=timeout, verify=verify, **given)
    raise ValueError(f"BATON_CRM: expected hubspot or salesforce, got {key!r}")
