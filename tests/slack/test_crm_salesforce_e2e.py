"""Salesforce round-trip over signed HTTP against the Salesforce stand-in (HTTPS), on both
databases: the intake shows the owner and open opportunity, a sales-ready verdict writes one
Lead and one Task on it, a claim sets the owner, and an opportunity won in Salesforce is a won
lead in `/pipeline` and `baton export` after one pull."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from baton.services.catalog import Catalog
from baton.services.crm import Connection, crm_status
from baton.services.unit_of_work import UnitOfWork
from baton.standin.salesforce import SalesforceStandin
from tests.slack.crm_harness import (
    check_won_once,
    domain,
    passes,
    sync,
)
from tests.slack.test_conversation_harness import Baton, intake_answered, new_user, shown_view
from tests.slack.test_handoff_harness import card_of, company, deliver, qualify


@pytest.fixture(scope="module")
def salesforce() -> Iterator[SalesforceStandin]:
    with SalesforceStandin() as standin:
        yield standin


@pytest.fixture(scope="module")
def crm_settings(salesforce: SalesforceStandin) -> dict[str, str]:
    return {"baton_crm": "salesforce", "salesforce_instance_url": salesforce.instance_url,
            "salesforce_access_token": salesforce.access_token,
            "salesforce_ca_bundle": str(salesforce.ca_path)}


@pytest.fixture(scope="module")
def baton_process(crm_process: tuple[Baton, Connection]) -> Baton:
    return crm_process[0]


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
    bdr = qualify(baton, name, email=f"art@{site}")
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
    bdr = qualify(baton, name, email=f"cosmo@{site}")
    deliver(baton)
    card_of(baton, bdr, name)
    sync(baton, crm)
    deal = salesforce.add("Opportunity", Name=f"{name} rollout", StageName="Prospecting",
                          Amount=61000.0, AccountId=account)
    salesforce.update("Opportunity", deal, StageName="Closed Won")

    sync(baton, crm, pull=True)

    check_won_once(baton, crm, catalog, name, "61000")


def test_salesforce_over_its_limit_then_down_loses_and_doubles_nothing(
    baton: Baton, salesforce: SalesforceStandin, crm: Connection,
) -> None:
    site, name = domain(), company("Pendant")
    qualify(baton, name, email=f"jerry@{site}")
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
