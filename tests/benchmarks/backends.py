"""A fresh, empty database for one benchmark: a SQLite file, or a database on the local server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.benchmarks.processes import BenchmarkError
from tests.databases import POSTGRES_ADMIN_URL, PostgresDatabases, postgres_admin

BACKENDS = ("sqlite", "postgresql")


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new empty database, dropped afterwards (SQLite's lives in `folder`)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'baton.db'}"
        return
    if backend != "postgresql":
        raise BenchmarkError(f"--backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    admin = postgres_admin()
    if admin is None:
        raise BenchmarkError(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}; "
                             "start it or set BATON_TEST_POSTGRES_URL")
    databases = PostgresDatabases(admin)
    try:
        yield databases.empty()
    finally:
        databases.close()
        admin.dispose()
