"""`baton check`, `baton definition show` and `baton definition diff` as an ops person runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from baton.cli import app
from tests.conftest import PROMPTS_DIR
from tests.services.catalog.prompts_copy import copy_prompts, edit

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings read ./.env; run from an empty folder so a developer's file cannot leak in.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BATON_PROMPTS_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_check_ok_prints_one_line_summary() -> None:
    result = runner.invoke(app, ["check", "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert result.output == f"prompts OK: 5 frameworks, definition 2026-Q4.3 in {PROMPTS_DIR}\n"


def test_check_reads_the_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", '"2026-Q4.3"', '"2027-Q1.1"')
    monkeypatch.setenv("BATON_PROMPTS_DIR", str(prompts))
    result = runner.invoke(app, ["check"])
    assert result.output == (
        f"prompts OK: 5 frameworks, definition 2027-Q1.1 in {prompts.resolve()}\n"
    )


def test_check_lists_every_problem_and_fails(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "frameworks" / "bant.yaml", 'value: "planned", points: 15',
         'value: "planned", points: high')
    edit(prompts / "definition.yaml", "min_score: 65", "min_score: 165")
    result = runner.invoke(app, ["check", "--prompts", str(prompts)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "prompts/frameworks/bant.yaml: criteria[0].choices[1].points: expected a number, "
        "got 'high'",
        "prompts/definition.yaml: frameworks.meddpicc.min_score: expected at most 100, got 165",
    ]


def test_check_names_a_missing_prompts_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["check", "--prompts", str(missing)])
    assert result.exit_code == 1
    assert "BATON_PROMPTS_DIR: expected a folder with definition.yaml and frameworks/" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_definition_show_summarises_the_agreement() -> None:
    result = runner.invoke(app, ["definition", "show", "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Not applied yet: Baton applies prompts/definition.yaml when it starts."
    assert lines[1] == "SRL definition 2026-Q4.3, agreed on 2026-10-01, review by 2026-12-31"
    assert "Dana Whitfield, VP Marketing; Marcus Osei, VP Sales" in lines[2]
    assert "  MEDDPICC (meddpicc): must meet economic_buyer, implicated_pain, champion; " \
        "min score 65" in lines
    assert "SLA: claim within 15 business minutes, escalate after 60; business hours " \
        "09:00-18:00 mon, tue, wed, thu, fri (America/New_York)" in lines
    assert "  EMEA team -> C0EMEA0001 when regions EMEA" in lines
    assert lines[3].endswith("; regions NA, EMEA, APAC; unknown blocks")
    assert "  student: title has the words student, intern, phd candidate, doctoral candidate, " \
        "unless student success, student recruitment (Student or academic, not a buyer)" in lines
    assert "  competitor: email domain is relaybase.com, handoffhq.io, leadlane.com or a " \
        "subdomain (Works for a competitor)" in lines
    assert "  open_opportunity: open opportunity is yes (Already has an open opportunity with " \
        "sales)" in lines


def test_definition_show_refuses_a_broken_catalog(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", "default_framework: bant", "default_framework: spin")
    result = runner.invoke(app, ["definition", "show", "--prompts", str(prompts)])
    assert result.exit_code == 1
    assert "prompts/definition.yaml: default_framework: no framework 'spin'" in result.output


def test_definition_diff_shows_text_and_meaning(tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                        .replace('"2026-Q4.3"', '"2026-Q4.8"')
                        .replace("[economic_buyer, implicated_pain, champion]",
                                 "[economic_buyer, implicated_pain, metrics]"))
    result = runner.invoke(app, ["definition", "diff", str(proposed), "--prompts",
                                 str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert '-version: "2026-Q4.3"\n+version: "2026-Q4.8"\n' in result.output
    assert result.output.endswith(
        "Changes:\n  version: 2026-Q4.3 -> 2026-Q4.8\n"
        "  meddpicc.must_meet: + metrics; - champion\n"
    )


def test_definition_diff_of_the_same_file_says_so() -> None:
    result = runner.invoke(app, ["definition", "diff", str(PROMPTS_DIR / "definition.yaml"),
                                 "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert result.output == "No changes to the definition.\n"


def test_definition_diff_checks_the_proposed_file_against_the_frameworks(tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                        .replace("must_meet: [need, authority]", "must_meet: [need, buget]"))
    result = runner.invoke(app, ["definition", "diff", str(proposed), "--prompts",
                                 str(PROMPTS_DIR)])
    assert result.exit_code == 1
    assert f"{proposed}: frameworks.bant.must_meet[1]: 'buget' is not a criterion of bant" in (
        result.output
    )


def _applied_version_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database where ops applied 2026-Q4.8 (BANT minimum 70) after the shipped definition."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    newer = tmp_path / "newer.yaml"
    newer.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                     .replace('"2026-Q4.3"', '"2026-Q4.8"')
                     .replace("min_score: 60", "min_score: 70", 1))
    for file, by in ((PROMPTS_DIR / "definition.yaml", "baton"), (newer, "Priya")):
        applied = runner.invoke(app, ["definition", "apply", str(file), "--by", by])
        assert applied.exit_code == 0, applied.output
    return newer


def test_definition_show_shows_the_version_in_force_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _applied_version_two(tmp_path, monkeypatch)
    result = runner.invoke(app, ["definition", "show", "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    first, second = result.output.splitlines()[:2]
    assert first.startswith("In force since ")
    assert first.endswith(", applied by Priya.")
    assert second.startswith("SRL definition 2026-Q4.8, ")
    assert "  BANT (bant): must meet need, authority; min score 70" in result.output


def test_definition_diff_compares_with_the_version_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _applied_version_two(tmp_path, monkeypatch)
    shipped = PROMPTS_DIR / "definition.yaml"
    result = runner.invoke(app, ["definition", "diff", str(shipped), "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert "--- in force: 2026-Q4.8" in result.output
    assert result.output.endswith(
        "Changes:\n  version: 2026-Q4.8 -> 2026-Q4.3\n  bant.min_score: 70 -> 60\n")


def test_check_refuses_a_question_set_edited_under_the_label_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    prompts = copy_prompts(tmp_path)
    applied = runner.invoke(app, ["definition", "apply", str(prompts / "definition.yaml"),
                                  "--prompts", str(prompts)])
    assert applied.exit_code == 0, applied.output
    edit(prompts / "frameworks" / "bant.yaml", 'value: "influencer", points: 15, meets: met',
         'value: "influencer", points: 0, meets: not_met')

    refused = runner.invoke(app, ["check", "--prompts", str(prompts)])
    edit(prompts / "definition.yaml", '"2026-Q4.3"', '"2027-Q1.1"')
    relabelled = runner.invoke(app, ["check", "--prompts", str(prompts)])

    assert refused.exit_code == 1
    assert refused.output == (
        "prompts/frameworks/bant.yaml: edited since definition 2026-Q4.3 was applied, and the "
        "question sets are part of that version; give definition.yaml a new version label (not "
        "2026-Q4.3) to apply it, or restore it\n")
    assert relabelled.exit_code == 0
    assert relabelled.output.startswith("prompts OK: 5 frameworks, definition 2027-Q1.1 in ")


def test_check_without_a_database_yet_checks_the_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'not-created.db'}")
    result = runner.invoke(app, ["check", "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert not (tmp_path / "not-created.db").exists()


def test_history_lists_versions_and_use_puts_an_older_one_back_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _applied_version_two(tmp_path, monkeypatch)

    used = runner.invoke(app, ["definition", "use", "2026-Q4.3", "--by", "Marcus"])
    again = runner.invoke(app, ["definition", "use", "2026-Q4.3", "--by", "Marcus"])
    unknown = runner.invoke(app, ["definition", "use", "2025-Q1"])
    history = runner.invoke(app, ["definition", "history"])
    shown = runner.invoke(app, ["definition", "show", "--prompts", str(PROMPTS_DIR)])
    reapplied = runner.invoke(app, ["definition", "apply", str(tmp_path / "newer.yaml")])

    assert used.output == ("definition 2026-Q4.3 is in force again, in place of 2026-Q4.8; "
                           "running Baton processes judge by it from their next verdict\n")
    assert again.output == "definition 2026-Q4.3 is already in force; nothing changed\n"
    assert unknown.exit_code == 1
    assert "2025-Q1: no version '2025-Q1' was ever applied (applied: 2026-Q4.3, 2026-Q4.8)" in (
        unknown.output)
    lines = history.output.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("2026-Q4.3  (in force): applied ")
    assert lines[0].endswith(" by baton; 0 verdicts")
    assert lines[1].startswith("  in force ")
    assert lines[2].startswith("  in force ")
    assert lines[2].endswith(" to now (put back by Marcus)")
    assert lines[3].startswith("2026-Q4.8: applied ")
    assert lines[3].endswith(" by Priya; 0 verdicts")
    assert shown.output.splitlines()[:2][0].endswith(", put back by Marcus.")
    assert shown.output.splitlines()[1].startswith("SRL definition 2026-Q4.3, ")
    assert reapplied.output == ("definition 2026-Q4.8 is already applied; 2026-Q4.3 is in "
                                "force: `baton definition use 2026-Q4.8` puts it back\n")


def test_the_next_verdict_after_a_rollback_records_the_older_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baton.services.catalog import load_catalog
    from baton.services.qualification import (
        Judged,
        answer,
        attach_conversation,
        start_qualification,
    )
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine
    from tests.services.conftest import STRONG_BANT, acme

    _applied_version_two(tmp_path, monkeypatch)
    assert runner.invoke(app, ["definition", "use", "2026-Q4.3"]).exit_code == 0

    engine = make_engine(f"sqlite:///{tmp_path / 'baton.db'}")
    uow, catalog = UnitOfWork(engine), load_catalog(PROMPTS_DIR)
    step = start_qualification(uow=uow, catalog=catalog, intake=acme(), bdr_user_id="U0BDR0001",
                               team_id="T0TEAM001")
    qid = step.qualification_id
    attach_conversation(uow=uow, qualification_id=qid, dm_channel="D0DM", thread_ts="1.000001")
    for key, choice in STRONG_BANT.items():
        move = answer(uow=uow, catalog=catalog, qualification_id=qid,
                      bdr_user_id="U0BDR0001", criterion_key=key, ask_key=f"D0DM:{qid}.{key}",
                      choice=choice, typed=None, default_channel="C0SALES001")
    engine.dispose()
    assert isinstance(move, Judged)
    assert move.verdict.definition_version == "2026-Q4.3"
    history = runner.invoke(app, ["definition", "history"]).output
    assert " by baton; 1 verdict\n" in history


@freeze_time("2027-01-04 15:00:00")
def test_definition_show_says_a_review_is_overdue() -> None:
    result = runner.invoke(app, ["definition", "show", "--prompts", str(PROMPTS_DIR)])
    assert result.output.splitlines()[1] == (
        "SRL definition 2026-Q4.3, agreed on 2026-10-01, review by 2026-12-31 (overdue: due "
        "for review with marketing and sales)")


def test_check_refuses_a_rotation_that_cannot_work_with_one_line_each(tmp_path: Path) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", 'members: ["U0NAREP001", "U0NAREP002", "U0NAREP003"]',
         'members: ["U0NAREP001", "ana", "U0NAREP003"]')
    edit(prompts / "definition.yaml", "weights: {U0NAREP001: 2}", "weights: {U0NAREP001: 0}")
    result = runner.invoke(app, ["check", "--prompts", str(prompts)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "prompts/definition.yaml: routing[3].assign.members[1]: expected a Slack user id such as "
        "U0123ABCD, or a user group id (S…), got 'ana'",
        "prompts/definition.yaml: routing[3].assign.weights.U0NAREP001: expected more than 0, "
        "got 0",
    ]


def test_check_refuses_a_team_with_an_unknown_time_zone_or_a_rule_naming_no_team(
    tmp_path: Path,
) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", "timezone: Australia/Sydney", "timezone: Australia/Sidney")
    edit(prompts / "definition.yaml", "    team: apac", "    team: apc")
    result = runner.invoke(app, ["check", "--prompts", str(prompts)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "prompts/definition.yaml: teams.apac.timezone: expected an IANA time zone such as "
        "Europe/Paris, got 'Australia/Sidney'",
    ]
    edit(prompts / "definition.yaml", "timezone: Australia/Sidney", "timezone: Australia/Sydney")
    result = runner.invoke(app, ["check", "--prompts", str(prompts)])
    assert result.output.splitlines() == [
        "prompts/definition.yaml: routing[0].team: no team 'apc' in teams; expected one of: apac",
    ]


def test_whatif_replays_the_stored_leads_by_a_proposed_file_as_a_table_or_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    seeded = runner.invoke(app, ["seed", "--leads", "200", "--seed", "7"])
    assert seeded.exit_code == 0, seeded.output
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                        .replace('"2026-Q4.3"', '"2027-Q1.1"')
                        .replace("min_score: 60", "min_score: 95", 1))

    table = runner.invoke(app, ["definition", "whatif", str(proposed), "--since", "2020-01-01",
                                "--prompts", str(PROMPTS_DIR)])
    as_csv = runner.invoke(app, ["definition", "whatif", str(proposed), "--since", "2020-01-01",
                                 "--format", "csv", "--prompts", str(PROMPTS_DIR)])

    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].startswith("What if 2027-Q1.1 had judged the ")
    assert lines[1].startswith("  sales-ready: ")
    assert any(line.startswith("This change would have dropped ") for line in lines)
    rows = as_csv.output.splitlines()
    assert rows[0] == ("qualification_id,company,bdr,old_verdict,old_score,old_version,"
                       "new_verdict,new_score,why,became")
    flipped = sum(1 for line in lines if line.startswith("  ") and " -> " in line)
    assert len(rows) - 1 == flipped > 0


def test_whatif_names_the_file_and_field_of_a_broken_proposal(tmp_path: Path) -> None:
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                        .replace("min_score: 65", "min_score: lots"))
    result = runner.invoke(app, ["definition", "whatif", str(proposed), "--prompts",
                                 str(PROMPTS_DIR)])
    assert result.exit_code == 1
    assert "proposed.yaml: frameworks.meddpicc.min_score: expected a number" in result.output
    assert "Traceback" not in result.output
