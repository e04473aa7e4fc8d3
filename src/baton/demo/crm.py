"""The demo's CRM: a stand-in of HubSpot or Salesforce Baton writes the demo's lead to, with
the rep who claims it as a CRM user; what the CRM holds afterwards, as sales ops would look."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from baton.runtime import Runtime
from baton.services.crm import NAMES, crm_status, queue_writes
from baton.slack.crm_sync import sync_once
from baton.standin.hubspot import TOKEN, HubSpotStandin
from baton.standin.salesforce import SalesforceStandin

Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoCrm:
    """A CRM stand-in running for the demo, and the settings that point Baton at it."""

    key: str
    standin: HubSpotStandin | SalesforceStandin
    settings: dict[str, str]


@contextmanager
def demo_crm(key: str | None, rep_email: str) -> Iterator[DemoCrm | None]:
    """The stand-in of `key` (none for None), with `rep_email` as one of its users."""
    if key is None:
        yield None
        return
    if key == "hubspot":
        with HubSpotStandin() as standin:
            standin.add_owner(rep_email, "Sam", "Rivera")
            yield DemoCrm(key, standin, {"baton_crm": "hubspot", "hubspot_access_token": TOKEN,
                                         "hubspot_api_url": standin.url})
        return
    with SalesforceStandin() as salesforce:
        salesforce.add("User", FirstName="Sam", LastName="Rivera", Name="Sam Rivera",
                       Email=rep_email, IsActive=True)
        yield DemoCrm(key, salesforce, {
            "baton_crm": "salesforce", "salesforce_instance_url": salesforce.instance_url,
            "salesforce_access_token": salesforce.access_token,
            "salesforce_ca_bundle": str(salesforce.ca_path)})


def start_listening(runtime: Runtime) -> None:
    """As a running Baton does when it starts: the CRM hears of what happens from now on."""
    if runtime.crm is not None:
        queue_writes(uow=runtime.uow, crm=runtime.crm.key, now=dt.datetime.now(dt.UTC))


def show_records(runtime: Runtime, crm: DemoCrm, echo: Echo) -> None:
    """Let the CRM's loop write what happened, then show what the CRM holds."""
    connection = runtime.crm
    if connection is None:
        return
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    for _ in range(6):
        sync_once(uow=runtime.uow, connection=connection, client=runtime.outbox_client,
                  managers=None, now=later)
        later += dt.timedelta(seconds=3)
    name = NAMES[crm.key]
    status = crm_status(uow=runtime.uow, key=crm.key)
    echo("")
    standin = crm.standin
    where = standin.url if isinstance(standin, HubSpotStandin) else standin.instance_url
    echo(f"{name} (a local stand-in at {where}) now holds what Baton wrote "
         f"({status.waiting} write(s) waiting, {len(status.set_aside)} set aside):")
    lines = (_hubspot_lines(standin) if isinstance(standin, HubSpotStandin)
             else _salesforce_lines(standin))
    for line in lines:
        echo(f"  {line}")


def _hubspot_lines(standin: HubSpotStandin) -> list[str]:
    owners = {owner_id: f"{o['firstName']} {o['lastName']}"
              for owner_id, o in standin.owners.items()}
    lines = []
    for company in standin.all("companies"):
        lines.append(f"company {company.get('name')} ({company.get('domain') or 'no domain'})")
    for contact in standin.all("contacts"):
        owner = owners.get(contact.get("hubspot_owner_id", ""), "no owner")
        lines.append(f"contact {contact.get('firstname')} {contact.get('lastname')} "
                     f"<{contact.get('email')}>: lead status {contact.get('hs_lead_status')}, "
                     f"lifecycle stage {contact.get('lifecyclestage')}, owner {owner}")
        for note_id in standin.associated("contacts", contact["id"], "notes"):
            note = next(n for n in standin.all("notes") if n["id"] == note_id)
            body = note.get("hs_note_body", "")
            lines.append("note: " + _plain(body)[:160] + "…")
    return lines


def _salesforce_lines(standin: SalesforceStandin) -> list[str]:
    users = {u["Id"]: u.get("Name") or u.get("LastName") for u in standin.records("User")}
    lines = []
    for lead in standin.records("Lead"):
        lines.append(f"Lead {lead.get('FirstName')} {lead.get('LastName')} <{lead.get('Email')}> "
                     f"at {lead.get('Company')}: Status {lead.get('Status')}, owner "
                     f"{users.get(lead.get('OwnerId', ''), 'none')}")
    for task in standin.records("Task"):
        lines.append(f"Task: {str(task.get('Subject'))[:160]}")
    return lines


def _plain(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())
