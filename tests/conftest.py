"""Shared fixtures: a throwaway database on SQLite and on the local PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from baton.services.unit_of_work import UnitOfWork

# FakeSlack, the local stand-in of Slack's Web API, for any test that asks for `fake_slack`.
pytest_plugins = ["tests.slack_spec.fixtures"]

REPO = Path(__file__).resolve().parents[1]
PROMPTS_DIR = REPO / "prompts"
POSTGRES_ADMIN_URL = os.environ.get(
    "BATON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_admin() -> sa.Engine | None:
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return engine
    except sa.exc.OperationalError:
        engine.dispose()
        if os.environ.get("CI"):
            raise
        return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.Engine]:
    """The local PostgreSQL server; required in CI, skipped with a reason elsewhere."""
    admin = _postgres_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    yield admin
    admin.dispose()


def _fresh_postgres_url(admin: sa.Engine) -> str:
    name = f"baton_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return admin.url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres(admin: sa.Engine, url: str) -> None:
    name = sa.engine.make_url(url).database
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'baton.db'}"
        return
    admin = request.getfixturevalue("postgres_server")
    url = _fresh_postgres_url(admin)
    try:
        yield url
    finally:
        _drop_postgres(admin, url)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on a database upgraded to the newest schema, on each backend."""
    from baton.store.db import make_engine, upgrade

    migrated = make_engine(database_url)
    upgrade(migrated)
    yield migrated
    migrated.dispose()


@pytest.fixture
def uow(engine: sa.Engine) -> UnitOfWork:
    """The services' unit of work on the migrated database, as the composition root builds it."""
    return UnitOfWork(engine)
