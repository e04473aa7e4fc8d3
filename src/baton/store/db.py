"""Engines, schema upgrades and units of work; nothing here connects until called."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlmodel import Session

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option: engine.execution_options(sqlite_begin="IMMEDIATE") for writers that read first.
SQLITE_BEGIN = "sqlite_begin"
# Any constant shared by every Baton process: they queue on it so one of them migrates.
_UPGRADE_LOCK_ID = 0x0BA7_0001
# Alembic keeps its migration context in module globals, so one thread migrates at a time.
_upgrade_in_process = threading.Lock()
# Connections an engine keeps open unless told otherwise (SQLAlchemy's own default); `baton run`
# sizes its pool to the listeners working at once (runtime.py).
POOL_SIZE = 5
# A PostgreSQL connection unused this long is asked whether it lives before it is handed out;
# one in steady use is not, which would cost a round trip per transaction.
IDLE_CHECK_SECONDS = 30.0


def normalise_url(url: str) -> str:
    """Send plain PostgreSQL URLs through psycopg 3, the driver Baton ships with."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str, *, pool_size: int = POOL_SIZE) -> sa.Engine:
    """An engine for SQLite (foreign keys, WAL, busy timeout) or PostgreSQL (psycopg 3), keeping
    `pool_size` connections, and as many again for a burst."""
    url = normalise_url(url)
    pool = {"pool_size": pool_size, "max_overflow": pool_size}
    if not url.startswith("sqlite"):
        engine = sa.create_engine(url, **pool)
        sa.event.listen(engine, "checkin", _idle_from_now)
        sa.event.listen(engine, "checkout", _alive_after_idle)
        return engine
    if sa.make_url(url).database in (None, "", ":memory:"):
        pool = {}  # one connection per thread: an in-memory database is not shared otherwise
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **pool)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _alive_after_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    # A server restarted or a connection dropped by a firewall while it sat in the pool: the
    # pool replaces it (DisconnectionError) before any statement of the transaction is lost.
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_CHECK_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:  # psycopg's OperationalError, InterfaceError, ...
        raise sa.exc.DisconnectionError(str(error)) from error


_writers: weakref.WeakKeyDictionary[sa.Engine, threading.RLock] = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def one_writer(engine: sa.Engine) -> AbstractContextManager[object]:
    """For SQLite, this engine's writers in turn: each waits on a lock, handed over the moment
    the one before commits, where SQLite's own busy handler would have it sleep and poll for up
    to 100 ms at a time. PostgreSQL takes concurrent writers as they come."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _writers_lock:
        return _writers.setdefault(engine, threading.RLock())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, begins transactions: DDL and savepoints then stay transactional.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers carry on while one process writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    # IMMEDIATE takes the write lock up front, so a read-then-write transaction waits its turn
    # instead of failing when another process wrote in between.
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def display_url(target: str | sa.Engine) -> str:
    """The database URL with any password masked, fit for a terminal or a log."""
    url = target.url if isinstance(target, sa.Engine) else sa.make_url(normalise_url(target))
    return url.render_as_string(hide_password=True)


def alembic_config() -> Config:
    """Alembic pointed at the migrations shipped inside the package."""
    # Alembic is imported when it is needed, so commands that do not migrate start sooner.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(target: str | sa.Engine) -> str | None:
    """Migrate the database to the newest schema and return its revision."""
    from alembic import command

    engine = make_engine(target) if isinstance(target, str) else target
    try:
        immediate = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        with _upgrade_in_process, immediate.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_UPGRADE_LOCK_ID)))
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return current_revision(engine)
    finally:
        if isinstance(target, str):
            engine.dispose()


def upgrade_apart(engine: sa.Engine) -> str | None:
    """upgrade(), done in a short-lived copy of this process (a fork, on Linux, while this
    process has one thread): a process that then serves for days never holds alembic, its
    templates and their syntax highlighter (about 9 MB). Elsewhere, upgrade() here.

    The copy's failure is raised here as it was raised there."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return upgrade(engine)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    copy = context.Process(target=_upgrade_and_tell, args=(engine, sending),
                           name="baton-migrate")
    copy.start()
    sending.close()
    try:
        outcome = receiving.recv()
    except EOFError:  # the copy died before it could say how the migration went
        copy.join()
        outcome = RuntimeError(f"the migration process ended with exit code {copy.exitcode}")
    finally:
        receiving.close()
        copy.join()
    if isinstance(outcome, BaseException):
        raise outcome
    return cast("str | None", outcome)


def _upgrade_and_tell(engine: sa.Engine, sending: Any) -> None:
    engine.dispose(close=False)  # any connection the parent opened stays the parent's
    try:
        outcome: object = upgrade(engine)
    except Exception as exc:  # handed to the parent, which raises it
        outcome = exc
    try:
        sending.send(outcome)
    except Exception:  # an exception that cannot be pickled: its words still reach the parent
        sending.send(RuntimeError(str(outcome)))


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision the database is at, or None before the first upgrade."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """A unit of work: commits when the block succeeds, rolls back when it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def rows_changed(session: Session, statement: sa.Executable) -> int:
    """Run an UPDATE or DELETE in the session's transaction; how many rows it changed."""
    # Session.execute is typed as returning a Result; a DML statement's is a CursorResult.
    return cast("sa.CursorResult[Any]", session.execute(statement)).rowcount
