"""Engines and units of work."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.store.db import display_url, make_engine, normalise_url, session_scope
from baton.store.tables import Lead


def _companies(engine: sa.Engine) -> list[str]:
    with Session(engine) as session:
        return [lead.company for lead in session.exec(select(Lead))]


def test_a_unit_of_work_commits_when_it_succeeds(engine: sa.Engine) -> None:
    with session_scope(engine) as session:
        session.add(Lead(company="Acme Corp"))
    assert _companies(engine) == ["Acme Corp"]


def test_a_unit_of_work_keeps_nothing_when_it_fails(engine: sa.Engine) -> None:
    def add_then_fail() -> None:
        with session_scope(engine) as session:
            session.add(Lead(company="Acme Corp"))
            session.flush()
            raise RuntimeError("Slack said no")

    with pytest.raises(RuntimeError, match="Slack said no"):
        add_then_fail()
    assert _companies(engine) == []


def test_sqlite_enforces_foreign_keys_and_lets_readers_in_while_writing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'baton.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_nothing_connects_until_asked(tmp_path: Path) -> None:
    path = tmp_path / "later.db"
    engine = make_engine(f"sqlite:///{path}")
    assert not path.exists()
    engine.dispose()


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@db/baton") == "postgresql+psycopg://u@db/baton"
    assert normalise_url("postgres://u@db/baton") == "postgresql+psycopg://u@db/baton"
    assert make_engine("postgresql://u@db/baton").dialect.driver == "psycopg"


def test_a_shown_url_hides_the_password() -> None:
    shown = display_url("postgresql://baton:s3cret@db:5432/baton")
    assert "s3cret" not in shown
    assert shown.endswith("@db:5432/baton")
