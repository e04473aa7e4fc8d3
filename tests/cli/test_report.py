"""`baton report criteria` as sales ops run it: the planted signal found, one line a criterion."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from baton.cli import app
from tests.conftest import PROMPTS_DIR

runner = CliRunner()


def test_the_criteria_report_names_what_predicts_a_won_deal_and_what_to_look_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    assert runner.invoke(app, ["seed", "--leads", "3000", "--seed", "11"]).exit_code == 0

    result = runner.invoke(app, ["report", "criteria", "--since", "2000-01-01",
                                 "--prompts", str(PROMPTS_DIR)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Criteria of the leads qualified 2000-01-01 to ")
    timeline = next(line for line in lines if line.startswith("BANT · Timeline: "))
    assert timeline.startswith("BANT · Timeline: predicts a won deal (lift ")
    assert any(line.startswith("  This quarter (met): ") for line in lines)
    assert lines[-1].startswith("To look at in the review: ")
    assert "BANT Timeline" not in lines[-1]


def test_a_day_that_cannot_be_read_is_named(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "criteria", "--since", "last spring"])
    assert result.exit_code == 1
    assert "--since: expected a day such as 2026-07-01, got 'last spring'" in result.output
