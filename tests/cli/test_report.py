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


def test_the_review_pack_is_one_html_file_with_numbers_criteria_reasons_and_the_whatif(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    import re

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    assert runner.invoke(app, ["seed", "--leads", "1500", "--seed", "11"]).exit_code == 0
    last_quarter = (dt.date.today().replace(day=1) - dt.timedelta(days=95))
    quarter = f"{last_quarter.year}-Q{(last_quarter.month - 1) // 3 + 1}"
    proposed = tmp_path / "proposed.yaml"
    proposed.write_text((PROMPTS_DIR / "definition.yaml").read_text()
                        .replace('"2026-Q4.3"', '"2027-Q1.1"')
                        .replace("min_score: 60", "min_score: 95", 1))

    result = runner.invoke(app, ["review", "--quarter", quarter, "--proposed", str(proposed),
                                 "--prompts", str(PROMPTS_DIR)])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote baton-review-{quarter}.html: ")
    page = (tmp_path / f"baton-review-{quarter}.html").read_text()
    for heading in ("The quarter in numbers", "Which criteria predict a won deal",
                    "Why sales rejected leads", "What if 2027-Q1.1 had judged the quarter"):
        assert f"<h2>{heading}</h2>" in page
    assert len(re.findall(r'src="data:image/png;base64,', page)) == 2  # self-contained
    assert "This change would have dropped " in page
    assert "http" not in page.replace("http-equiv", "")  # nothing to fetch


def test_a_quarter_that_cannot_be_read_is_named(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["review", "--quarter", "Q4"])
    assert result.exit_code == 1
    assert "--quarter: expected a quarter such as 2026-Q4, got 'Q4'" in result.output
