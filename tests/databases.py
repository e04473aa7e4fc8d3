"""Throwaway databases: one migrated template per test session, and copies of it for the tests.

Each PostgreSQL database a session creates is named `baton_test_s<key>_...`, where <key> is an
advisory lock the session holds on the server for as long as it runs. A session starting later
drops the databases whose lock nobody holds (a run that crashed or was killed) and leaves alone
those of sessions still running, on this machine or another one using the same server.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import shutil
from pathlib import Path

import sqlalchemy as sa

from baton.store.db import make_engine, normalise_url, upgrade
from tests.schema import Schema

POSTGRES_ADMIN_URL = os.environ.get(
    "BATON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PREFIX = "baton_test_s"
_SESSION_KEY = re.compile(rf"^{PREFIX}([0-9a-f]{{16}})_")
# A bigint advisory lock shows in pg_locks as its high and low halves, with objsubid 1.
_HELD_KEYS = sa.text(
    "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
    " WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
)


def postgres_admin() -> sa.Engine | None:
    """The test server, to create and drop databases; None when it does not answer (not in CI)."""
    engine = sa.create_engine(normalise_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return engine
    except sa.exc.OperationalError:
        engine.dispose()
        if os.environ.get("CI"):
            raise
        return None


def databases_named(connection: sa.Connection, prefix: str) -> list[str]:
    """The databases on the server whose names start with `prefix`."""
    found = connection.execute(
        sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
        {"prefix": prefix},
    )
    return list(found.scalars())


def drop_abandoned(admin: sa.Engine) -> list[str]:
    """Drop the databases of test sessions that ended without dropping them; return their names."""
    dropped = []
    with admin.connect() as connection:
        # Names first, then locks: a live session takes its lock before it creates a database.
        names = databases_named(connection, PREFIX)
        held = set(connection.execute(_HELD_KEYS).scalars())
        for name in names:
            found = _SESSION_KEY.match(name)
            if found is None or int(found[1], 16) in held:
                continue
            try:
                # Without FORCE: a database somebody is still connected to stays.
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            except sa.exc.DBAPIError:
                continue
            dropped.append(name)
    return dropped


class PostgresDatabases:
    """One session's databases on the server: a template migrated once, and copies of it.

    Copying costs PostgreSQL some disk work, so a test's copy is renamed after it (whatever
    still holds its URL cannot reach the next test), emptied (every row deleted, sequences
    restarted) and handed to the next test; a copy left with another schema than the
    template's, or that cannot be renamed or emptied, is dropped instead.
    """

    def __init__(self, admin: sa.Engine) -> None:
        self.admin = admin
        self.key = secrets.randbits(63)
        self.prefix = f"{PREFIX}{self.key:016x}_"
        self._numbers = itertools.count()
        self._template: Schema | None = None
        self._copies: set[str] = set()
        self._emptied: list[str] = []
        # Held until close(): while it is, other sessions leave this session's databases alone.
        self._alive = admin.connect()
        self._alive.execute(sa.select(sa.func.pg_advisory_lock(self.key)))

    def migrated(self) -> str:
        """A database at the newest schema without any row, as the template is."""
        if self._emptied:
            return self._emptied.pop()
        if self._template is None:
            url = self._url(self._create("template"))
            upgrade(url)
            self._template = Schema.of(url)
        copy = self._url(self._create(f"{next(self._numbers)}", self._template.name))
        self._copies.add(copy)
        return copy

    def empty(self) -> str:
        """A new database without any table."""
        return self._url(self._create(f"{next(self._numbers)}"))

    def release(self, url: str) -> None:
        """A test is done with `url`: empty it for the next one under a new name, or drop it."""
        name = str(sa.make_url(url).database)
        if url in self._copies and self._template is not None:
            self._copies.discard(url)
            renamed = self._rename(name)
            if renamed is None:
                self._drop(name)
            elif self._template.empties(self._url(renamed)):
                self._copies.add(self._url(renamed))
                self._emptied.append(self._url(renamed))
            else:
                self._drop(renamed)
            return
        self._drop(name)

    def close(self) -> None:
        """Drop every database of this session, then let go of its lock."""
        with self.admin.connect() as connection:
            names = databases_named(connection, self.prefix)
        for name in names:
            self._drop(name)
        self._alive.execute(sa.select(sa.func.pg_advisory_unlock(self.key)))
        self._alive.close()

    def _create(self, suffix: str, template: str | None = None) -> str:
        name = self.prefix + suffix
        copied = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"{copied}'))
        return name

    def _rename(self, name: str) -> str | None:
        """Give a database a new name once nobody is connected to it; None if that fails."""
        renamed = f"{self.prefix}{next(self._numbers)}"
        with self.admin.connect() as connection:
            # A process the test started, or a pool it did not close, goes; PostgreSQL waits for
            # them to be gone before renaming.
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": name})
            try:
                connection.execute(sa.text(f'ALTER DATABASE "{name}" RENAME TO "{renamed}"'))
            except sa.exc.DBAPIError:
                return None
        return renamed

    def _drop(self, name: str | None) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _url(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)


def migrated_sqlite(path: Path) -> Path:
    """A SQLite file at the newest schema, migrated by Baton's own upgrade."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        # Closing the last connection folds the write-ahead log into the file itself.
        engine.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a copy of `template` in `folder`."""
    path = folder / "baton.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"
