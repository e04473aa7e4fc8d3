"""The services' transactions: built once from an engine, opened by each use case itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session

from baton.store.db import SQLITE_BEGIN, one_writer, session_scope


class UnitOfWork:
    """One transaction per use case: committed when it succeeds, rolled back when it raises."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        # IMMEDIATE takes SQLite's write lock at BEGIN, so a writer that reads first queues
        # behind another writer instead of failing half-way; PostgreSQL ignores the option.
        self._writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        self._one_writer = one_writer(engine)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that changes things, holding SQLite's write lock from its start (and
        the turn of this process's writers before it)."""
        with self._one_writer, session_scope(self._writer) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads."""
        with session_scope(self.engine) as session:
            yield session
