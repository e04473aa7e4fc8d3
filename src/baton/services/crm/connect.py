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


def not_connectable(key: str) -> str | None:
    """Why this version of Baton cannot connect the CRM `key`; None when it can."""
    if key == "salesforce":
        return ("BATON_CRM: this version of Baton connects HubSpot only; Salesforce comes next "
                "(prompts/crm.yaml already maps it)")
    return None


def connect(key: str, mapping: CrmMapping, *, hubspot_token: str = "", hubspot_url: str = "",
            timeout: float = 10.0) -> Crm:
    """The connector of `key`, with the credentials given (checked only when first used)."""
    if key != "hubspot":
        raise ValueError(not_connectable(key) or f"BATON_CRM: expected hubspot, got {key!r}")
    from baton.services.crm.hubspot import HubSpotCrm

    return HubSpotCrm(mapping, access_token=hubspot_token, api_url=hubspot_url, timeout=timeout)
