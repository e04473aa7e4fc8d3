"""`baton export`: one row per lead with its latest verdict, answers, handoff and outcome."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from typer.testing import CliRunner

from baton.cli import app
from baton.services.catalog import Catalog
from baton.services.handoff import claims
from baton.services.pipeline import (
    columns,
    criterion_keys,
    export_cells,
    export_count,
    export_rows,
    write_csv,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import session_scope
from baton.store.tables import Handoff
from tests.services.conftest import STRONG_BANT, StartFn, acme, click

REP = "U0REP00001"
TODAY = dt.datetime.now(dt.UTC).date()
FIXED = ["lead_id", "company", "contact_name", "title", "email", "source", "region", "industry",
         "employees", "open_opportunity", "bdr_user_id", "framework", "qualified_at",
         "sales_ready", "score", "definition_version", "disqualified", "missing",
         "handoff_status", "handoff_channel", "handed_off_at", "claimed_by", "claimed_at",
         "decided_at", "reject_reason", "reject_comment", "reject_criterion",
         "reject_definition_version", "card_link", "outcome", "outcome_at",
         "outcome_reason", "outcome_by", "outcome_amount", "overridden_by", "override_reason",
         "overridden_at", "nurture_reason",
         "recheck_on"]


def qualify(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str,
            answers: dict[str, str], **intake: object) -> int:
    """Answer every BANT question through the real service; the qualification's id."""
    step = start(acme(company=company, email=f"jo@{company.lower()}.example", **intake))
    for key, choice in answers.items():
        click(engine, catalog, step.qualification_id, key, choice)
    return step.qualification_id


def won(engine: sa.Engine, qualification_id: int) -> None:
    """The rep claims, accepts, and records an opportunity then a win."""
    with Session(engine) as session:
        handoff_id = session.exec(select(Handoff.id).where(
            Handoff.qualification_id == qualification_id)).one()
    now = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        claims.claim(session=session, handoff_id=handoff_id, rep_user_id=REP, now=now)
        claims.accept(session=session, handoff_id=handoff_id, rep_user_id=REP, now=now)
        for kind in ("opportunity_created", "won"):
            claims.record_outcome(session=session, handoff_id=handoff_id, rep_user_id=REP,
                                  kind=kind, now=now)


@pytest.fixture
def history(engine: sa.Engine, catalog: Catalog, start: StartFn) -> sa.Engine:
    """Acme: sales-ready, handed off, won. Globex: no need, so not sales-ready."""
    won(engine, qualify(engine, catalog, start, "Acme", STRONG_BANT))
    qualify(engine, catalog, start, "Globex", {**STRONG_BANT, "need": "none"},
            open_opportunity=False)
    return engine


def rows(engine: sa.Engine, catalog: Catalog, since: dt.date,
         until: dt.date | None = None) -> dict[str, dict[str, str]]:
    found = export_rows(uow=UnitOfWork(engine), since=since, until=until,
                        keys=criterion_keys(catalog))
    return {row["company"]: row for row in found}


def test_the_columns_are_lead_verdict_handoff_outcome_next_step_then_two_per_criterion(
    catalog: Catalog,
) -> None:
    header = columns(criterion_keys(catalog))
    assert header[:len(FIXED)] == FIXED
    assert header[len(FIXED):len(FIXED) + 4] == ["authority_answer", "authority_status",
                                                  "budget_answer", "budget_status"]


def test_a_won_lead_carries_its_answers_handoff_and_outcome(
    history: sa.Engine, catalog: Catalog
) -> None:
    acme = rows(history, catalog, TODAY)["Acme"]
    assert (acme["sales_ready"], acme["framework"], acme["bdr_user_id"]) == (
        "true", "bant", "U0BDR0001")
    assert (acme["budget_answer"], acme["budget_status"]) == ("approved", "met")
    assert (acme["handoff_status"], acme["claimed_by"]) == ("accepted", REP)
    assert acme["outcome"] == "won"
    assert acme["email"] == "jo@acme.example"
    assert acme["qualified_at"].endswith("Z")
    # MEDDPICC's champion was never asked in a BANT qualification.
    assert acme["champion_answer"] == acme["champion_status"] == ""


def test_a_lead_that_is_not_sales_ready_has_no_handoff(
    history: sa.Engine, catalog: Catalog
) -> None:
    globex = rows(history, catalog, TODAY)["Globex"]
    assert globex["sales_ready"] == "false"
    assert (globex["need_answer"], globex["need_status"]) == ("none", "not_met")
    assert globex["handoff_status"] == globex["outcome"] == ""


def test_the_open_opportunity_the_bdr_gave_is_exported_and_a_yes_disqualifies(
    history: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qualify(history, catalog, start, "Initech", STRONG_BANT, open_opportunity=True)

    found = rows(history, catalog, TODAY)

    assert [found[name]["open_opportunity"] for name in ("Acme", "Globex", "Initech")] == [
        "", "false", "true"]
    assert found["Initech"]["disqualified"] == "Already has an open opportunity with sales"
    assert (found["Initech"]["sales_ready"], found["Initech"]["handoff_status"]) == ("false", "")


def test_only_verdicts_given_in_the_window_are_exported(
    history: sa.Engine, catalog: Catalog
) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    assert rows(history, catalog, tomorrow) == {}
    assert set(rows(history, catalog, TODAY - dt.timedelta(days=7), TODAY)) == {"Acme", "Globex"}
    with pytest.raises(ValueError, match="before --since"):
        rows(history, catalog, TODAY, TODAY - dt.timedelta(days=1))


def test_moments_are_written_as_python_writes_them_with_or_without_a_fraction(
    history: sa.Engine, catalog: Catalog
) -> None:
    whole = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    with session_scope(history) as session:
        handoff = session.exec(select(Handoff)).one()
        handoff.created_at, handoff.claimed_at = whole, whole.replace(microsecond=120)

    acme = rows(history, catalog, TODAY)["Acme"]

    assert (acme["handed_off_at"], acme["claimed_at"]) == (
        "2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000120Z")


def test_the_count_for_a_progress_bar_is_the_number_of_rows(
    history: sa.Engine, catalog: Catalog
) -> None:
    uow = UnitOfWork(history)
    for since in (TODAY, TODAY + dt.timedelta(days=1)):
        assert export_count(uow=uow, since=since, until=None) == len(rows(history, catalog, since))


def test_csv_has_the_header_and_a_line_per_lead(history: sa.Engine, catalog: Catalog) -> None:
    keys = criterion_keys(catalog)
    out = io.StringIO()
    uow = UnitOfWork(history)
    written = write_csv(export_cells(uow=uow, since=TODAY, until=None, keys=keys),
                        columns(keys), out)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert written == len(read) == 2
    assert list(read[0]) == columns(keys)
    assert read == list(export_rows(uow=uow, since=TODAY, until=None, keys=keys))


def test_the_command_writes_json_lines_to_a_file(
    history: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "leads.jsonl"
    result = CliRunner().invoke(app, ["export", "--since", TODAY.isoformat(),
                                      "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["company"] for line in lines) == ["Acme", "Globex"]
    assert "exported 2 leads" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2026-13-01"], "--since: expected a date as YYYY-MM-DD, got '2026-13-01'"),
    (["--since", "2026-03-01", "--until", "2026-02-01"], "--until 2026-02-01 is before"),
    (["--since", "2026-03-01", "--format", "xlsx"], "--format: expected csv or jsonl"),
    (["--since", "2026-03-01", "--out", "/no/such/dir/leads.csv"], "--out: cannot write"),
])
def test_bad_options_get_one_line_naming_the_option(
    args: list[str], message: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["export", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
