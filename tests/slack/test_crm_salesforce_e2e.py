"""Salesforce round-trip over signed HTTP against the Salesforce stand-in (HTTPS), on both
databases: the intake shows the owner and open opportunity, a sales-ready verdict writes one
Lead and one Task on it, a claim sets the owner, and an opportunity won in Salesforce is a won
lead in `/pipeline` and `baton export` after one pull."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from baton.runtime import connection
from baton.services.catalog import Catalog
from baton.services.crm import Connection, crm_status
from baton.services.pipeline import criterion_keys, export_rows
from baton.services.unit_of_work import UnitOfWork
from baton.standin.salesforce import SalesforceStandin
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    intake_answered,
    new_user,
    running,
    settings_for,
    shown,
    shown_view,
)
from tests.slack.test_crm_hubspot_e2e import domain, passes, qualified, sync
from tests.slack.test_handoff_harness import card_of, company, deliver
from tests.slack_spec.server import FakeSlack

LEAD = "U0LEAD0SFC"


@pytest.fixture(scope="module")
def salesforce() -> Iterator[SalesforceStandin]:
    with SalesforceStandin() as standin:
        yield standin


@pytest.fixture(scope="module")
def crm_process(shared_fake: FakeSlack, database: str,
                salesforce: SalesforceStandin) -> Iterator[tuple[Baton, Connection]]:
    settings = settings_for(shared_fake, database, baton_crm="salesforce",
                            salesforce_instance_url=salesforce.instance_url,
                            salesforce_access_token=salesforce.access_token,
                            salesforce_ca_bundle=str(salesforce.ca_path), baton_managers=LEAD)
    crm = connection(settings)
    assert crm is not None
    with running(settings, shared_fake, crm=crm) as (client, engine):
        baton = Baton(shared_fake, client, engine, settings)
        sync(baton, crm)  # as `baton run` does when it starts: the CRM hears from now on
        yield baton, crm


@pytest.fixture
def baton(crm_process: tuple[Baton, Connection]) -> Baton:
    baton, _ = crm_process
    baton.fake.reset()
    return baton


@pytest.fixture
def crm(crm_process: tuple[Baton, Connection]) -> Connection:
    return crm_process[1]


def test_the_intake_shows_the_owner_and_open_opportunity_and_rules_the_lead_out(
    baton: Baton, salesforce: SalesforceStandin,
) -> None:
    site = domain()
    owner = salesforce.add("User", FirstName="Dana", LastName="Reyes", Email=f"dana@{site}",
                           Name="Dana Reyes", IsActive=True)
    account = salesforce.add("Account", Name="Initrode", Website=f"https://www.{site}",
                             Industry="Software", NumberOfEmployees=800,
                             BillingCountry="Germany", OwnerId=owner)
    salesforce.add("Opportunity", Name="Initrode expansion", StageName="Negotiation/Review",
                   Amount=30000.0, AccountId=account)

    view = shown_view(intake_answered(baton, new_user(), "Initrode", email=f"lee@{site}"))

    assert "*In Salesforce:* owner Dana Reyes &lt;dana@" in view
    assert ("*Open deal:* Initrode expansion (Negotiation/Review, 30,000): already with sales"
            in view)
    assert "*Filled in from Salesforce:* industry software, region EMEA, employees 800" in view


def test_a_verdict_writes_one_lead_one_task_and_a_claim_sets_the_owner(
    baton: Baton, salesforce: SalesforceStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Vandelay")
    bdr = qualified(baton, name, f"art@{site}")
    deliver(baton)
    floor = card_of(baton, bdr, name)

    sync(baton, crm)
    sync(baton, crm)

    leads = [r for r in salesforce.records("Lead") if r.get("Email") == f"art@{site}"]
    assert len(leads) == 1
    assert (leads[0]["Company"], leads[0]["Status"]) == (name, "Open - Not Contacted")
    tasks = [t for t in salesforce.records("Task") if t.get("WhoId") == leads[0]["Id"]]
    assert len(tasks) == 1
    assert "Verdict: Sales-ready" in tasks[0]["Description"]
    assert "Budget: Approved budget" in tasks[0]["Description"]

    rep = new_user()
    user = salesforce.add("User", FirstName="Riley", LastName="Chen", Name="Riley Chen",
                          Email=f"{rep.lower()}@example.com", IsActive=True)
    floor.click("Claim", rep)
    sync(baton, crm)

    lead = salesforce.get("Lead", leads[0]["Id"])
    assert lead is not None
    assert (lead["OwnerId"], lead["Status"]) == (user, "Working - Contacted")


def test_an_opportunity_won_in_salesforce_is_a_won_lead_after_one_pull(
    baton: Baton, salesforce: SalesforceStandin, crm: Connection, catalog: Catalog,
) -> None:
    site, name = domain(), company("Kramerica")
    account = salesforce.add("Account", Name=name, Website=f"https://{site}")
    bdr = qualified(baton, name, f"cosmo@{site}")
    deliver(baton)
    card_of(baton, bdr, name)
    sync(baton, crm)
    deal = salesforce.add("Opportunity", Name=f"{name} rollout", StageName="Prospecting",
                          Amount=61000.0, AccountId=account)
    salesforce.update("Opportunity", deal, StageName="Closed Won")

    sync(baton, crm, pull=True)

    rows = [r for r in export_rows(uow=UnitOfWork(baton.engine), since=dt.date.today(),
                                   until=None, keys=criterion_keys(catalog))
            if r["company"] == name]
    assert [(r["outcome"], r["outcome_by"], r["outcome_amount"]) for r in rows] == [
        ("won", "salesforce", "61000")]
    response = baton.slack.command("/pipeline", "", user_id=LEAD, channel_id="C0SALES")
    assert response.status_code == 200
    assert "1 won" in shown(baton.fake.wait_for("response_url")[-1]).splitlines()[0]
    assert count_rows(baton.engine, "SELECT count(*) FROM outcome o JOIN handoff h ON "
                      "h.id = o.handoff_id JOIN lead l ON l.id = h.lead_id WHERE "
                      "l.company = :c", c=name) == 2


def test_salesforce_over_its_limit_then_down_loses_and_doubles_nothing(
    baton: Baton, salesforce: SalesforceStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Pendant")
    qualified(baton, name, f"jerry@{site}")
    deliver(baton)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    # Over its API limit, then down: two minutes of tries doubling their wait from 2 s.
    salesforce.fail_next(403, count=3)  # REQUEST_LIMIT_EXCEEDED
    salesforce.fail_next(503, count=3)
    passes(baton, crm, start, 60)
    assert crm_status(uow=UnitOfWork(baton.engine), key="salesforce").waiting == 1
    passes(baton, crm, start + dt.timedelta(seconds=60), 16 * 60, every=30)

    leads = [r for r in salesforce.records("Lead") if r.get("Email") == f"jerry@{site}"]
    assert len(leads) == 1
    assert len([t for t in salesforce.records("Task") if t.get("WhoId") == leads[0]["Id"]]) == 1
    status = crm_status(uow=UnitOfWork(baton.engine), key="salesforce")
    assert (status.waiting, status.set_aside) == (0, [])
