"""`baton crm check`, `status` and `retry`, and `baton check` reading prompts/crm.yaml, as sales
ops run them against the HubSpot stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baton.cli import app
from baton.standin.hubspot import TOKEN, HubSpotStandin
from baton.standin.salesforce import SalesforceStandin
from tests.services.catalog.prompts_copy import copy_prompts, edit

runner = CliRunner()


@pytest.fixture(scope="module")
def hubspot() -> Iterator[HubSpotStandin]:
    with HubSpotStandin() as standin:
        yield standin


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hubspot: HubSpotStandin) -> None:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.delenv("BATON_PROMPTS_DIR", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    monkeypatch.setenv("BATON_CRM", "hubspot")
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("HUBSPOT_API_URL", hubspot.url)


def test_check_says_the_credentials_and_every_mapped_field_and_value_are_fine() -> None:
    result = runner.invoke(app, ["crm", "check"])
    assert (result.exit_code, result.output) == (
        0, "HubSpot: the credentials work and every mapped field and value exists\n")


def test_check_names_each_missing_field_and_value_on_a_line(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "crm.yaml", "field: lifecyclestage", "field: hs_lifecycle")
    edit(prompts / "crm.yaml", 'claimed: "IN_PROGRESS"', 'claimed: "WORKING"')
    edit(prompts / "crm.yaml", 'won: ["closedwon"]', 'won: ["won"]')
    result = runner.invoke(app, ["crm", "check", "--prompts", str(prompts)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "HubSpot contact property 'hs_lead_status' has no value 'WORKING' (values: NEW, OPEN, "
        "IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, ATTEMPTED_TO_CONTACT, CONNECTED, BAD_TIMING)",
        "HubSpot has no contact property 'hs_lifecycle'",
        "HubSpot deal property 'dealstage' has no value 'won' (values: appointmentscheduled, "
        "qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, "
        "closedlost)",
    ]


def test_check_says_when_the_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-revoked")
    result = runner.invoke(app, ["crm", "check"])
    assert result.exit_code == 1
    assert result.output.startswith("HubSpot refused the access token (HubSpot answered HTTP "
                                    "401 (INVALID_AUTHENTICATION")


def test_a_missing_token_or_a_broken_mapping_file_is_named(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "crm.yaml", "values:\n      sales_ready: \"OPEN\"",
         "values:\n      sales_ready: 3")
    broken = runner.invoke(app, ["check", "--prompts", str(prompts)])
    assert broken.exit_code == 1
    assert f"{prompts / 'crm.yaml'}: hubspot.status.values: " in broken.output
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN")
    missing = runner.invoke(app, ["crm", "check"])
    assert (missing.exit_code, missing.output) == (1, (
        "HUBSPOT_ACCESS_TOKEN: expected a HubSpot private app's access token "
        "(BATON_CRM=hubspot)\n"))


def test_status_on_a_new_database_says_nothing_waits() -> None:
    result = runner.invoke(app, ["crm", "status"])
    assert (result.exit_code, result.output) == (
        0, "hubspot: 0 lead(s) written, 0 write(s) waiting, 0 set aside\ndeals last read never\n")


def test_check_asks_salesforce_about_every_mapped_field_and_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SalesforceStandin() as salesforce:
        monkeypatch.setenv("BATON_CRM", "salesforce")
        monkeypatch.setenv("SALESFORCE_INSTANCE_URL", salesforce.instance_url)
        monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", salesforce.access_token)
        monkeypatch.setenv("SALESFORCE_CA_BUNDLE", str(salesforce.ca_path))
        fine = runner.invoke(app, ["crm", "check"])
        prompts = copy_prompts(tmp_path)
        edit(prompts / "crm.yaml", 'claimed: "Working - Contacted"', 'claimed: "Working"')
        broken = runner.invoke(app, ["crm", "check", "--prompts", str(prompts)])

    assert (fine.exit_code, fine.output) == (
        0, "Salesforce: the credentials work and every mapped field and value exists\n")
    assert broken.exit_code == 1
    assert broken.output.startswith("Lead Status has no value 'Working' (values: ")
    assert len(broken.output.splitlines()) == 1
