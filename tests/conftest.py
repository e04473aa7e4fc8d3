"""Shared fixtures: databases on SQLite and the local PostgreSQL, the prompts, FakeSlack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from baton.services.catalog import Catalog, load_catalog
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine
from tests.databases import (
    POSTGRES_ADMIN_URL,
    PostgresDatabases,
    drop_abandoned,
    migrated_sqlite,
    postgres_admin,
    sqlite_copy,
)
from tests.slack_spec.server import FakeSlack

REPO = Path(__file__).resolve().parents[1]
PROMPTS_DIR = REPO / "prompts"
# The question sets shipped in prompts/frameworks, verbatim by file name, as a version pins them.
FRAMEWORKS = {path.stem: path.read_text(encoding="utf-8")
              for path in sorted((PROMPTS_DIR / "frameworks").glob("*.yaml"))}
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """This session's PostgreSQL databases; required in CI, skipped with a reason elsewhere."""
    admin = postgres_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    drop_abandoned(admin)
    databases = PostgresDatabases(admin)
    try:
        yield databases
    finally:
        databases.close()
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; tests get copies of it."""
    return migrated_sqlite(tmp_path_factory.mktemp("template") / "baton.db")


@contextmanager
def throwaway_database(
    request: pytest.FixtureRequest, folder: Path, *, migrated: bool
) -> Iterator[str]:
    """A database on the backend `request.param` names, in `folder` for SQLite, for one user."""
    if request.param == "sqlite":
        if migrated:
            yield sqlite_copy(request.getfixturevalue("sqlite_template"), folder)
        else:
            yield f"sqlite:///{folder / 'baton.db'}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = databases.migrated() if migrated else databases.empty()
    try:
        yield url
    finally:
        databases.release(url)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the newest schema, once on SQLite and once on PostgreSQL."""
    with throwaway_database(request, tmp_path, migrated=True) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without any table, for tests of what migrates it."""
    with throwaway_database(request, tmp_path, migrated=False) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on a database at the newest schema, on each backend."""
    migrated = make_engine(database_url)
    yield migrated
    migrated.dispose()


@pytest.fixture
def uow(engine: sa.Engine) -> UnitOfWork:
    """The services' unit of work on the migrated database, as the composition root builds it."""
    return UnitOfWork(engine)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped prompts: every framework and the agreed definition."""
    return load_catalog(PROMPTS_DIR)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack; fails the test if any Block Kit payload was invalid."""
    with FakeSlack() as fake:
        yield fake
        assert fake.invalid == [], f"Slack would refuse these payloads: {fake.invalid}"
