"""The Salesforce connector against the Salesforce stand-in, over real HTTPS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests

from baton.domain.crm import CompanyFields, CrmMapping, CrmStep, DealStages, FieldValues
from baton.services.crm.port import CrmError, LeadRecord, Records
from baton.services.crm.salesforce import SalesforceCrm
from baton.standin.salesforce import SalesforceStandin

MAPPING = CrmMapping(
    status=FieldValues(field="Status", values={
        CrmStep.SALES_READY: "Open - Not Contacted", CrmStep.CLAIMED: "Working - Contacted",
        CrmStep.REJECTED: "Closed - Not Converted", CrmStep.WON: "Closed - Converted"}),
    company_fields=CompanyFields(industry="Industry", employees="NumberOfEmployees",
                                 country="BillingCountry"),
    deal_stages=DealStages(won=("Closed Won",), lost=("Closed Lost",)))
DANA = LeadRecord(email="dana@acme.example", first_name="Dana", last_name="Reyes",
                  title="VP Sales", company="Acme Corp", domain="acme.example",
                  industry="Software", employees=500, country="Germany")


@pytest.fixture
def standin() -> Iterator[SalesforceStandin]:
    with SalesforceStandin() as running:
        yield running


def connect(standin: SalesforceStandin, mapping: CrmMapping = MAPPING,
            token: str | None = None) -> SalesforceCrm:
    return SalesforceCrm(mapping, instance_url=standin.instance_url,
                         access_token=token or standin.access_token, verify=standin.ca_path,
                         timeout=5)


@pytest.fixture
def crm(standin: SalesforceStandin) -> SalesforceCrm:
    return connect(standin)


def seed_acme(standin: SalesforceStandin) -> dict[str, str]:
    owner = standin.add("User", FirstName="Sam", LastName="Ortiz", Email="sam@seller.example")
    account = standin.add("Account", Name="Acme Corp", Website="https://www.acme.example",
                          Industry="Software", NumberOfEmployees=1200, BillingCountry="Germany",
                          OwnerId=owner)
    contact = standin.add("Contact", FirstName="Dana", LastName="Reyes",
                          Email="Dana@Acme.example", AccountId=account, OwnerId=owner)
    open_deal = standin.add("Opportunity", Name="Acme renewal", StageName="Prospecting",
                            Amount=12000.0, AccountId=account)
    standin.add("Opportunity", Name="Acme pilot", StageName="Closed Lost", AccountId=account)
    return {"owner": owner, "account": account, "contact": contact, "open_deal": open_deal}


def test_look_up_finds_the_contact_its_account_owner_and_open_opportunities(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    ids = seed_acme(standin)
    found = crm.look_up(email="dana@acme.example", domain="acme.example", company="",
                        timeout=2)
    assert found.contact_id == ids["contact"]
    assert found.company_id == ids["account"]
    assert found.company_name == "Acme Corp"
    assert found.owner == "Sam Ortiz <sam@seller.example>"
    assert (found.industry, found.employees, found.country) == ("Software", 1200, "Germany")
    assert [deal.id for deal in found.open_deals] == [ids["open_deal"]]
    assert found.open_deals[0].amount == 12000.0
    assert found.open_deals[0].company_ids == (ids["account"],)
    assert all(call.query.get("q", "").count("FROM") == 1
               for call in standin.calls_to("GET", "/query"))


def test_look_up_finds_a_lead_and_the_account_by_name(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    account = standin.add("Account", Name="Globex", Website="https://notglobex.example")
    lead = standin.add("Lead", LastName="Hank", Company="Globex", Email="hank@globex.example",
                       Status="Working - Contacted", Industry="Energy")
    found = crm.look_up(email="HANK@globex.example", domain="globex.example",
                        company="globex", timeout=2)
    assert (found.contact_id, found.company_id) == (lead, account)
    assert found.status == "Working - Contacted"
    assert found.owner == "Integration User <integration@standin.example>"
    unknown = crm.look_up(email="nobody@else.example", domain="else.example", company="Else",
                          timeout=2)
    assert not unknown.known


def test_upsert_creates_one_lead_and_updates_it_after(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    account = standin.add("Account", Name="Acme Corp", Website="acme.example")
    records = crm.upsert(DANA, known=None)
    assert records.person_kind == "Lead"
    assert records.company_id == account
    again = crm.upsert(DANA, known=None)
    crm.upsert(DANA, known=Records(records.person_id, records.company_id))  # kind from the id
    assert again == records
    [lead] = standin.records("Lead")
    assert lead["Id"] == records.person_id
    assert (lead["LastName"], lead["Company"], lead["NumberOfEmployees"]) == (
        "Reyes", "Acme Corp", 500)


def test_upsert_updates_an_existing_contact_rather_than_adding_a_lead(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    ids = seed_acme(standin)
    records = crm.upsert(DANA, known=None)
    assert records == Records(ids["contact"], ids["account"], person_kind="Contact")
    assert standin.records("Lead") == []
    assert standin.get("Contact", ids["contact"])["Title"] == "VP Sales"


def test_set_fields_writes_the_status_and_refuses_a_bad_picklist_value(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    records = crm.upsert(DANA, known=None)
    crm.set_fields(records, MAPPING.fields_at(CrmStep.CLAIMED))
    assert standin.get("Lead", records.person_id)["Status"] == "Working - Contacted"
    with pytest.raises(CrmError) as refused:
        crm.set_fields(records, {"Status": "Hot"})
    assert not refused.value.retry
    assert refused.value.status == 400
    assert "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" in str(refused.value)
    assert "Hot" in str(refused.value)
    assert standin.get("Lead", records.person_id)["Status"] == "Working - Contacted"


def test_set_fields_on_a_contact_skips_fields_contacts_lack(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    ids = seed_acme(standin)
    records = Records(ids["contact"], ids["account"], person_kind="Contact")
    before = len(standin.calls_to("PATCH"))
    crm.set_fields(records, {"Status": "Working - Contacted"})
    assert len(standin.calls_to("PATCH")) == before


def test_add_note_twice_with_one_key_makes_one_task(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    ids = seed_acme(standin)
    records = Records(ids["contact"], ids["account"], person_kind="Contact")
    first = crm.add_note(records, key="handoff-42", title="Handoff", body="Ready for AE")
    second = crm.add_note(records, key="handoff-42", title="Handoff", body="Ready for AE")
    other = crm.add_note(records, key="handoff-43", title="Handoff", body="Again")
    assert first == second != other
    tasks = standin.records("Task")
    assert len(tasks) == 2
    assert tasks[0]["Subject"] == "Handoff [handoff-42]"
    assert (tasks[0]["WhoId"], tasks[0]["WhatId"], tasks[0]["Status"]) == (
        ids["contact"], ids["account"], "Completed")


def test_a_lead_note_has_no_account(standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    standin.add("Account", Name="Acme Corp", Website="acme.example")
    records = crm.upsert(DANA, known=None)
    crm.add_note(records, key="k1", title="Qualified", body="BANT: strong")
    [task] = standin.records("Task")
    assert (task["WhoId"], task["WhatId"]) == (records.person_id, None)


def test_set_owner_by_email(standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    records = crm.upsert(DANA, known=None)
    sam = standin.add("User", FirstName="Sam", LastName="Ortiz", Email="sam@seller.example")
    standin.add("User", LastName="Gone", Email="gone@seller.example", IsActive=False)
    assert crm.set_owner(records, email="SAM@seller.example") == sam
    assert standin.get("Lead", records.person_id)["OwnerId"] == sam
    assert crm.set_owner(records, email="nobody@seller.example") is None
    assert crm.set_owner(records, email="gone@seller.example") is None
    assert standin.get("Lead", records.person_id)["OwnerId"] == sam


def test_deals_changed_returns_what_moved_since(
        standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    ids = seed_acme(standin)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    for deal in standin.records("Opportunity"):
        standin.update("Opportunity", deal["Id"],
                       LastModifiedDate=old.strftime("%Y-%m-%dT%H:%M:%S.000+0000"))
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    assert crm.deals_changed(since) == []
    standin.update("Opportunity", ids["open_deal"], StageName="Closed Won")
    [deal] = crm.deals_changed(since)
    assert (deal.id, deal.stage, deal.company_ids) == (ids["open_deal"], "Closed Won",
                                                        (ids["account"],))
    assert deal.modified_at is not None
    assert deal.modified_at >= since
    assert MAPPING.deal_stages.outcome(deal.stage) == "won"
    assert crm.deals_changed(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)) == []


def test_problems_lists_each_missing_field_and_value(standin: SalesforceStandin) -> None:
    assert connect(standin).problems(MAPPING) == []
    broken = CrmMapping(
        status=FieldValues(field="Status", values={CrmStep.SALES_READY: "Hot",
                                                   CrmStep.CLAIMED: "Working - Contacted"}),
        lifecycle=FieldValues(field="Lifecycle__c", values={CrmStep.WON: "Customer"}),
        company_fields=CompanyFields(industry="Sector__c"),
        deal_stages=DealStages(won=("closed won",), lost=("Lost",)))
    problems = connect(standin).problems(broken)
    assert problems == [
        "Lead Status has no value 'Hot' (values: Open - Not Contacted, Working - Contacted, "
        "Closed - Converted, Closed - Not Converted)",
        "Lead field Lifecycle__c does not exist",
        "Account field Sector__c does not exist",
        "Opportunity StageName has no value 'Lost' (values: Prospecting, Qualification, Needs "
        "Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, "
        "Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost)",
    ]


def test_problems_names_refused_credentials(standin: SalesforceStandin) -> None:
    [problem] = connect(standin, token="00Dexpired").problems(MAPPING)
    assert problem == ("Salesforce refused the credentials "
                       "(INVALID_SESSION_ID: Session expired or invalid)")


@pytest.mark.parametrize(("status", "code", "retry"), [
    (503, "SERVER_UNAVAILABLE", True),
    (500, "UNKNOWN_EXCEPTION", True),
    (403, "REQUEST_LIMIT_EXCEEDED", True),
    (403, "INSUFFICIENT_ACCESS", False),
    (401, "INVALID_SESSION_ID", False),
    (404, "NOT_FOUND", False),
])
def test_failures_are_retryable_or_not(standin: SalesforceStandin, crm: SalesforceCrm,
                                       status: int, code: str, retry: bool) -> None:
    standin.fail_next(status, error_code=code)
    with pytest.raises(CrmError) as failed:
        crm.look_up(email="dana@acme.example", domain=None, company="", timeout=2)
    assert (failed.value.retry, failed.value.status) == (retry, status)
    assert code in str(failed.value)
    assert "\n" not in str(failed.value)


def test_request_limit_message_is_kept(standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    standin.fail_next(403)
    with pytest.raises(CrmError, match="REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded"):
        crm.deals_changed(dt.datetime.now(dt.UTC))


def test_a_failed_write_changes_nothing(standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    records = crm.upsert(DANA, known=None)
    before = standin.records("Lead")
    standin.fail_next(503)
    with pytest.raises(CrmError):
        crm.set_fields(records, {"Status": "Working - Contacted"})
    standin.fail_next(500)
    with pytest.raises(CrmError):
        crm.add_note(records, key="k", title="t", body="b")  # the lookup fails first
    assert standin.records("Lead") == before
    assert standin.records("Task") == []


def test_a_failed_create_adds_no_lead(standin: SalesforceStandin, crm: SalesforceCrm) -> None:
    standin.fail_next(503, method="POST")
    with pytest.raises(CrmError) as failed:
        crm.upsert(DANA, known=None)
    assert failed.value.retry
    assert standin.records("Lead") == []
    assert len(standin.calls_to("POST", "/sobjects/Lead")) == 1
    crm.upsert(DANA, known=None)  # the retry
    assert len(standin.records("Lead")) == 1


def test_an_unreachable_salesforce_is_retryable(standin: SalesforceStandin) -> None:
    crm = SalesforceCrm(MAPPING, instance_url="https://127.0.0.1:9", access_token="t",
                        timeout=1)
    with pytest.raises(CrmError) as failed:
        crm.look_up(email="a@b.example", domain=None, company="", timeout=1)
    assert failed.value.retry


# -- the stand-in itself ----------------------------------------------------------------------

def rest(standin: SalesforceStandin, method: str, path: str, token: str | None = None,
         **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token or standin.access_token}"}
    return requests.request(method, f"{standin.instance_url}{standin.base_path}{path}",
                            headers=headers, verify=standin.ca_path, timeout=5, **kwargs)


def test_standin_refuses_a_wrong_token(standin: SalesforceStandin) -> None:
    answer = rest(standin, "GET", "/query", token="wrong", params={"q": "SELECT Id FROM Lead"})
    assert answer.status_code == 401
    assert answer.json() == [{"message": "Session expired or invalid",
                              "errorCode": "INVALID_SESSION_ID"}]


def test_standin_answers_salesforce_errors(standin: SalesforceStandin) -> None:
    unknown = rest(standin, "GET", "/query", params={"q": "SELECT Id, Foo FROM Lead"})
    assert unknown.status_code == 400
    assert unknown.json()[0]["errorCode"] == "INVALID_FIELD"
    assert unknown.json()[0]["message"].startswith("No such column 'Foo' on entity 'Lead'")
    missing = rest(standin, "POST", "/sobjects/Lead/", json={"LastName": "Reyes"})
    assert missing.status_code == 400
    assert missing.json() == [{"message": "Required fields are missing: [Company]",
                               "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"]}]
    assert rest(standin, "GET", "/sobjects/Lead/00Q000000000000AAA").status_code == 404
    cut = rest(standin, "GET", "/query", params={"q": "SELECT Id FROM Lead WHERE Email ="})
    assert cut.json()[0]["errorCode"] == "MALFORMED_QUERY"
    assert standin.records("Lead") == []


def test_standin_creates_reads_and_pages(standin: SalesforceStandin) -> None:
    created = rest(standin, "POST", "/sobjects/Lead/", json={
        "LastName": "Reyes", "Company": "Acme", "Email": "dana@acme.example"})
    assert created.status_code == 201
    lead_id = created.json()["id"]
    assert len(lead_id) == 18
    assert lead_id.startswith("00Q")
    assert created.json() == {"id": lead_id, "success": True, "errors": []}
    lead = rest(standin, "GET", f"/sobjects/Lead/{lead_id}").json()
    assert lead["attributes"] == {"type": "Lead",
                                  "url": f"{standin.base_path}/sobjects/Lead/{lead_id}"}
    assert lead["Status"] == "Open - Not Contacted"
    assert lead["LastModifiedDate"].endswith("+0000")
    standin.page_size = 2
    for number in range(3):
        standin.add("Lead", LastName=f"L{number}", Company="C")
    first = rest(standin, "GET", "/query",
                 params={"q": "SELECT Id FROM Lead WHERE Company IN ('c', 'Acme')"}).json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (4, False, 2)
    rest_of = requests.get(f"{standin.instance_url}{first['nextRecordsUrl']}",
                           headers={"Authorization": f"Bearer {standin.access_token}"},
                           verify=standin.ca_path, timeout=5).json()
    assert (rest_of["done"], len(rest_of["records"])) == (True, 2)


def test_the_ca_bundle_from_the_environment_is_trusted(
        standin: SalesforceStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", standin.ca_path)
    crm = SalesforceCrm(MAPPING, instance_url=standin.instance_url,
                        access_token=standin.access_token)
    assert crm.upsert(DANA, known=None).person_kind == "Lead"
