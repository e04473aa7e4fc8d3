"""`baton db upgrade` and `baton definition apply`, run as an ops person would."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from typer.testing import CliRunner

from baton.cli import app
from baton.services.catalog import checksum_of, current_definition
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import display_url, make_engine
from baton.store.tables import DefinitionVersion
from tests.conftest import PROMPTS_DIR
from tests.store.test_migrations import HEAD

SHIPPED = (PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")


@pytest.fixture
def database(empty_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """DATABASE_URL set for the command to an empty database, run from an empty folder."""
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.chdir(tmp_path)
    return empty_database_url


def _baton(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_db_upgrade_creates_the_schema_and_says_where(database: str) -> None:
    code, out, _ = _baton("db", "upgrade")

    assert code == 0
    assert out == f"database at {display_url(database)} is at revision {HEAD}\n"
    engine = make_engine(database)
    assert "handoff" in sa.inspect(engine).get_table_names()
    engine.dispose()
    assert _baton("db", "upgrade")[:2] == (0, out)


def test_definition_apply_stores_the_file_once(database: str) -> None:
    path = _write("definition.yaml", SHIPPED)

    first = _baton("definition", "apply", path, "--by", "Priya Raman")
    second = _baton("definition", "apply", path)

    assert first == (0, f"applied definition 2026-Q4.3 (sha256 {checksum_of(SHIPPED)[:8]})\n", "")
    assert second == (0, "definition 2026-Q4.3 is already applied\n", "")
    engine = make_engine(database)
    with Session(engine) as session:
        assert [row.applied_by for row in session.exec(select(DefinitionVersion))] == [
            "Priya Raman"
        ]
    engine.dispose()


def test_definition_apply_refuses_a_reused_label(database: str) -> None:
    _baton("definition", "apply", _write("definition.yaml", SHIPPED))
    edited = _write("edited.yaml", SHIPPED.replace("min_score: 65", "min_score: 70"))

    code, out, err = _baton("definition", "apply", edited)

    assert (code, out) == (1, "")
    assert err == (
        "edited.yaml: version 2026-Q4.3 is already applied with different content; "
        "give the new definition a new version label\n"
    )


def test_a_broken_definition_is_one_line_naming_file_and_field(database: str) -> None:
    broken = _write("broken.yaml", SHIPPED.replace("escalate_after_minutes: 60",
                                                   "escalate_after_minutes: soon"))

    code, out, err = _baton("definition", "apply", broken)

    assert (code, out) == (1, "")
    assert err.startswith("broken.yaml: sla.escalate_after_minutes: ")
    assert err.count("\n") == 1


def test_a_definition_naming_a_criterion_no_framework_asks_is_refused_and_not_stored(
    database: str,
) -> None:
    _baton("definition", "apply", _write("definition.yaml", SHIPPED))
    telepathic = _write("telepathic.yaml", SHIPPED.replace('"2026-Q4.3"', '"2027-Q1.1"').replace(
        "must_meet: [need, authority]", "must_meet: [telepathy]"))

    code, out, err = _baton("definition", "apply", telepathic)

    assert (code, out) == (1, "")
    assert err == ("telepathic.yaml: frameworks.bant.must_meet[0]: 'telepathy' is not a "
                   "criterion of bant; expected one of: budget, authority, need, timeline\n")
    engine = make_engine(database)
    with Session(engine) as session:
        assert [row.version for row in session.exec(select(DefinitionVersion))] == ["2026-Q4.3"]
    in_force = current_definition(uow=UnitOfWork(engine))
    engine.dispose()
    assert in_force is not None
    assert in_force.definition.frameworks["bant"].must_meet == ("need", "authority")


def test_every_problem_of_a_refused_definition_is_one_line(database: str) -> None:
    broken = _write("broken.yaml", SHIPPED.replace("default_framework: bant",
                                                   "default_framework: spin").replace(
        "criterion: plans", "criterion: plan"))

    code, _, err = _baton("definition", "apply", broken)

    assert code == 1
    assert err.splitlines() == [
        "broken.yaml: default_framework: no framework 'spin'; expected one of: anum, bant, "
        "champ, gpct, meddpicc",
        "broken.yaml: disqualifiers[3].criterion: 'plan' is not a criterion of any framework",
    ]


def test_a_missing_file_is_named(database: str) -> None:
    code, _, err = _baton("definition", "apply", "nowhere.yaml")
    assert code == 1
    assert err.startswith("nowhere.yaml: cannot read the file")


def test_a_malformed_database_url_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://baton@db/baton")
    code, _, err = _baton("db", "upgrade")
    assert code == 1
    assert err == "DATABASE_URL: expected sqlite:///path.db or postgresql://user@host/db\n"


def test_an_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    code, _, err = _baton("db", "upgrade")
    assert code == 1
    assert err.startswith("DATABASE_URL: cannot use the database at sqlite:///")
    assert err.count("\n") == 1
