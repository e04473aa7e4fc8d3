"""HubSpot round-trip over signed HTTP against the HubSpot stand-in, on both databases: the
intake shows the CRM's owner and open deal, a sales-ready verdict writes one contact, one
company and one note, a claim sets the owner, and a deal won in HubSpot is a won lead in
`/pipeline` and `baton export` after one pull."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from baton.services.catalog import Catalog
from baton.services.crm import Connection, crm_status, look_up_intake, retry_set_aside
from baton.services.qualification.results import Intake
from baton.services.unit_of_work import UnitOfWork
from baton.slack.crm_sync import sync_once
from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory
from baton.standin.hubspot import TOKEN, Fault, HubSpotStandin, rate_limited, server_error
from tests.slack.crm_harness import (
    LEAD,
    check_won_once,
    domain,
    passes,
    sync,
)
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    intake_answered,
    new_user,
    shown_view,
)
from tests.slack.test_handoff_harness import card_of, company, deliver, qualify


@pytest.fixture(scope="module")
def hubspot() -> Iterator[HubSpotStandin]:
    with HubSpotStandin() as standin:
        yield standin


@pytest.fixture(scope="module")
def crm_settings(hubspot: HubSpotStandin) -> dict[str, str]:
    return {"baton_crm": "hubspot", "hubspot_access_token": TOKEN,
            "hubspot_api_url": hubspot.url}


@pytest.fixture(scope="module")
def baton_process(crm_process: tuple[Baton, Connection]) -> Baton:
    return crm_process[0]


def test_the_intake_shows_the_crm_owner_and_open_deal_and_rules_the_lead_out(
    baton: Baton, hubspot: HubSpotStandin,
) -> None:
    site = domain()
    owner = hubspot.add_owner(f"dana@{site}", "Dana", "Reyes")
    firm = hubspot.add("companies", name="Initech Holdings", domain=site,
                       industry="COMPUTER_SOFTWARE", numberofemployees="1200",
                       country="Germany", hubspot_owner_id=owner)
    deal = hubspot.add("deals", dealname="Initech renewal", dealstage="contractsent",
                       amount="40000")
    hubspot.associate("deals", deal, "companies", firm)
    user = new_user()

    view = shown_view(intake_answered(baton, user, "Initech", email=f"sam@{site}"))

    assert "*In HubSpot:* owner Dana Reyes &lt;dana@" in view
    assert "*Open deal:* Initech renewal (contractsent, 40,000): already with sales" in view
    assert "*Filled in from HubSpot:* industry software, region EMEA, employees 1200" in view
    assert count_rows(baton.engine, "SELECT count(*) FROM lead WHERE company = 'Initech' AND "
                      "open_opportunity AND region = 'EMEA' AND employees = 1200") == 1


def test_a_slow_crm_does_not_hold_the_intake(baton: Baton, crm: Connection,
                                             catalog: Catalog) -> None:
    looked = look_up_intake(crm=crm.crm, uow=UnitOfWork(baton.engine), catalog=catalog,
                            timeout=0.001, intake=Intake(company="Slowco", contact_name="A B",
                                                         title="CTO", email="a@slowco.example"))

    assert looked.unanswered == "HubSpot did not answer within 0.001 s"
    assert (looked.intake.company, looked.filled) == ("Slowco", ())


def test_a_verdict_writes_one_contact_one_company_one_note_and_a_claim_sets_the_owner(
    baton: Baton, hubspot: HubSpotStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Globex")
    bdr = qualify(baton, name, email=f"jo.park@{site}")
    deliver(baton)
    floor = card_of(baton, bdr, name)

    sync(baton, crm)
    sync(baton, crm)

    contacts = [c for c in hubspot.all("contacts") if c.get("email") == f"jo.park@{site}"]
    companies = [c for c in hubspot.all("companies") if c.get("domain") == site]
    assert (len(contacts), len(companies)) == (1, 1)
    contact, firm = contacts[0], companies[0]
    assert (contact["firstname"], contact["lastname"]) == ("Jo", "Park")
    assert (contact["hs_lead_status"], contact["lifecyclestage"]) == ("OPEN",
                                                                       "salesqualifiedlead")
    assert hubspot.associated("contacts", contact["id"], "companies") == [firm["id"]]
    notes = hubspot.associated("contacts", contact["id"], "notes")
    assert len(notes) == 1
    assert hubspot.associated("companies", firm["id"], "notes") == notes
    body = next(n for n in hubspot.all("notes") if n["id"] == notes[0])["hs_note_body"]
    assert "Verdict: Sales-ready" in body
    assert "by definition 2026-Q4" in body
    assert "Budget: Approved budget" in body

    rep = new_user()
    owner = hubspot.add_owner(f"{rep.lower()}@example.com", "Riley", "Chen")
    floor.click("Claim", rep)
    sync(baton, crm)

    contact = next(c for c in hubspot.all("contacts") if c["id"] == contact["id"])
    assert (contact["hubspot_owner_id"], contact["hs_lead_status"]) == (owner, "IN_PROGRESS")
    assert len([c for c in hubspot.all("contacts") if c.get("email") == f"jo.park@{site}"]) == 1


def test_a_deal_won_in_hubspot_is_a_won_lead_in_pipeline_and_export_after_one_pull(
    baton: Baton, hubspot: HubSpotStandin, crm: Connection, catalog: Catalog,
) -> None:
    site, name = domain(), company("Umbrella")
    bdr = qualify(baton, name, email=f"kim@{site}")
    deliver(baton)
    card_of(baton, bdr, name)
    sync(baton, crm)
    firm = next(c for c in hubspot.all("companies") if c.get("domain") == site)
    deal = hubspot.add("deals", dealname=f"{name} platform", dealstage="qualifiedtobuy",
                       amount="52000")
    hubspot.associate("deals", deal, "companies", firm["id"])
    hubspot.update("deals", deal, dealstage="closedwon")

    sync(baton, crm, pull=True)

    check_won_once(baton, crm, catalog, name, "52000")


def test_a_crm_answering_429_then_500_for_a_minute_loses_and_doubles_nothing(
    baton: Baton, hubspot: HubSpotStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Hooli")
    bdr = qualify(baton, name, email=f"gavin@{site}")
    deliver(baton)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    hubspot.outage = rate_limited()
    passes(baton, crm, start, 30)
    assert crm_status(uow=UnitOfWork(baton.engine), key="hubspot").retrying[-1].startswith(
        "HubSpot answered HTTP 429 (RATE_LIMIT")
    hubspot.outage = server_error(500)
    passes(baton, crm, start + dt.timedelta(seconds=30), 30)
    # Back, but the first write it makes is answered 500 after it was made.
    hubspot.outage = None
    hubspot.fail_next(Fault(500, server_error().body, applied=True))
    # Each failed try waits longer before the next, up to 15 minutes.
    passes(baton, crm, start + dt.timedelta(seconds=60), 16 * 60, every=30)

    contacts = [c for c in hubspot.all("contacts") if c.get("email") == f"gavin@{site}"]
    companies = [c for c in hubspot.all("companies") if c.get("domain") == site]
    assert (len(contacts), len(companies)) == (1, 1)
    assert len(hubspot.associated("contacts", contacts[0]["id"], "notes")) == 1
    assert contacts[0]["hs_lead_status"] == "OPEN"
    status = crm_status(uow=UnitOfWork(baton.engine), key="hubspot")
    assert (status.waiting, status.set_aside) == (0, [])
    assert bdr.user  # the BDR's lead reached HubSpot once, whatever HubSpot answered meanwhile


def test_a_refused_token_is_set_aside_told_to_managers_and_sent_once_fixed(
    baton: Baton, hubspot: HubSpotStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Pied Piper")
    qualify(baton, name, email=f"richard@{site}")
    deliver(baton)
    hubspot.token = "pat-na1-revoked"
    client = make_client(token=baton.fake.token, base_url=baton.fake.url)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    sync_once(uow=UnitOfWork(baton.engine), connection=crm, client=client,
              managers=ManagerDirectory(client, [LEAD]), now=later)

    status = crm_status(uow=UnitOfWork(baton.engine), key="hubspot")
    assert [row.reason[:49] for row in status.set_aside] == [
        "HubSpot answered HTTP 401 (INVALID_AUTHENTICATION"]
    deliver(baton, later + dt.timedelta(seconds=1))
    told = baton.fake.wait_for("chat.postMessage",
                               where=lambda c: c.args.get("channel") == LEAD)
    assert "Baton could not write a lead to HubSpot" in str(told[-1].args["text"])

    hubspot.token = TOKEN
    assert retry_set_aside(uow=UnitOfWork(baton.engine), key="hubspot")
    passes(baton, crm, later + dt.timedelta(seconds=1), 20)
    assert len([c for c in hubspot.all("contacts") if c.get("email") == f"richard@{site}"]) == 1
    assert crm_status(uow=UnitOfWork(baton.engine), key="hubspot").set_aside == []
