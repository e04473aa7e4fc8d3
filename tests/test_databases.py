"""The tests' own PostgreSQL databases: isolated from one test to the next, and cleaned up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.store.db import make_engine
from baton.store.tables import Lead
from tests.databases import PREFIX, PostgresDatabases, databases_named, drop_abandoned

pytestmark = pytest.mark.postgres


@pytest.fixture
def databases(postgres_databases: PostgresDatabases) -> Iterator[PostgresDatabases]:
    """Another session's databases on the same server, closed after the test."""
    other = PostgresDatabases(postgres_databases.admin)
    yield other
    other.close()


def names(admin: sa.Engine, prefix: str) -> list[str]:
    with admin.connect() as connection:
        return databases_named(connection, prefix)


def add_lead(url: str, company: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            lead = Lead(company=company, contact_name="Jo Park", title="VP Sales")
            session.add(lead)
            session.commit()
            return lead.id or 0
    finally:
        engine.dispose()


def leads(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return [lead.company for lead in session.exec(select(Lead))]
    finally:
        engine.dispose()


def test_the_next_test_finds_no_row_and_ids_starting_over(databases: PostgresDatabases) -> None:
    first = databases.migrated()
    assert add_lead(first, "Acme Corp") == 1
    add_lead(first, "Globex")
    databases.release(first)

    second = databases.migrated()

    assert leads(second) == []
    assert add_lead(second, "Initech") == 1


def test_what_still_holds_a_used_copy_cannot_reach_the_next_test(
    databases: PostgresDatabases,
) -> None:
    first = databases.migrated()
    left_open = make_engine(first)
    with left_open.connect() as connection:
        connection.execute(sa.text("SELECT 1"))  # a pool the test forgot to close
    databases.release(first)

    second = databases.migrated()

    # Its pooled connection was ended by the server; a new one finds no database by that name.
    with pytest.raises(sa.exc.OperationalError), left_open.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    with pytest.raises(sa.exc.OperationalError, match="does not exist"), left_open.connect():
        pass
    left_open.dispose()
    assert second != first
    assert leads(second) == []


def test_a_copy_whose_schema_a_test_changed_is_dropped(databases: PostgresDatabases) -> None:
    changed = databases.migrated()
    engine = make_engine(changed)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE lead ADD COLUMN nickname text"))
    engine.dispose()

    databases.release(changed)

    assert sa.make_url(changed).database not in names(databases.admin, PREFIX)
    assert databases.migrated() != changed


def test_a_later_session_drops_a_crashed_runs_databases_and_not_a_live_ones(
    databases: PostgresDatabases,
) -> None:
    live = databases.empty()
    crashed = f"{PREFIX}{'0' * 16}_0"  # its session's lock is held by nobody
    with databases.admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{crashed}"'))

    dropped = drop_abandoned(databases.admin)

    assert crashed in dropped
    assert names(databases.admin, crashed) == []
    assert names(databases.admin, sa.make_url(live).database or "?") != []


def test_closing_a_session_drops_every_database_it_made(
    postgres_databases: PostgresDatabases,
) -> None:
    session = PostgresDatabases(postgres_databases.admin)
    session.migrated()
    session.release(session.migrated())
    session.empty()

    session.close()

    assert names(session.admin, session.prefix) == []
