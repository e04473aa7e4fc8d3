"""The demo's CRM: a stand-in of HubSpot Baton writes the demo's lead to, with
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

Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoCrm:
    """A CRM stand-in running for the demo, and the settings that point Baton at it."""

    key: str
    standin: HubSpotStandin
    settings: dict[str, str]


@contextmanager
def demo_crm(key: str | None, rep_email: str) -> Iterator[DemoCrm | None]:
    """The stand-in of `key` (none for None), with `rep_email` as one of its users."""
    if key is None:
        yield None
        return
    with HubSpotStandin() as standin:
        standin.add_owner(rep_email, "Sam", "Rivera")
        yield DemoCrm(key, standin, {"baton_crm": "hubspot", "hubspot_access_token": TOKEN,
                                     "hubspot_api_url": standin.url})


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
    echo(f"{name} (a local stand-in at {crm.standin.url}) now holds what Baton wrote "
         f"({status.waiting} write(s) waiting, {len(status.set_aside)} set aside):")
    for line in _hubspot_lines(crm.standin):
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


def _plain(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())
