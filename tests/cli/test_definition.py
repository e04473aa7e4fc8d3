"""`baton check`, `baton definition show` and `baton definition diff` as an ops person runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    assert result.output == f"prompts OK: 5 frameworks, definition 2026-Q4.2 in {PROMPTS_DIR}\n"


def test_check_reads_the_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = copy_prompts(tmp_path)
    edit(prompts / "definition.yaml", '"2026-Q4.2"', '"2027-Q1.1"')
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
    assert lines[1] == "SRL definition 2026-Q4.2, agreed on 2026-10-01, review by 2026-12-31"
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
                        .replace('"2026-Q4.2"', '"2026-Q4.3"')
                        .replace("[economic_buyer, implicated_pain, champion]",
                                 "[economic_buyer, implicated_pain, metrics]"))
    result = runner.invoke(app, ["definition", "diff", str(proposed), "--prompts",
                                 str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert '-version: "2026-Q4.2"\n+version: "2026-Q4.3"\n' in result.output
    assert result.output.endswith(
        "Changes:\n  version: 2026-Q4.2 -> 2026-Q4.3\n"
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
    """A database where ops applied 2026-Q4.3 (BANT minimum 70) after the shipped definition."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    newer = tmp_path / "newer.yaml"
    newer.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                     .replace('"2026-Q4.2"', '"2026-Q4.3"')
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
    assert second.startswith("SRL definition 2026-Q4.3, ")
    assert "  BANT (bant): must meet need, authority; min score 70" in result.output


def test_definition_diff_compares_with_the_version_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _applied_version_two(tmp_path, monkeypatch)
    shipped = PROMPTS_DIR / "definition.yaml"
    result = runner.invoke(app, ["definition", "diff", str(shipped), "--prompts", str(PROMPTS_DIR)])
    assert result.exit_code == 0
    assert "--- in force: 2026-Q4.3" in result.output
    assert result.output.endswith(
        "Changes:\n  version: 2026-Q4.3 -> 2026-Q4.2\n  bant.min_score: 70 -> 60\n")
