"""The migrations build the schema the table models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel, select

from baton.store.db import alembic_config, current_revision, make_engine, upgrade
from baton.store.tables import Lead

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_of_an_empty_database_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    assert _tables(engine) == set()
    assert current_revision(engine) is None

    assert upgrade(database_url) == HEAD

    assert _tables(engine) == set(SQLModel.metadata.tables) | {"alembic_version"}
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_a_second_upgrade_changes_nothing_and_keeps_the_data(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(Lead(company="Acme Corp"))
        session.commit()

    assert upgrade(engine) == HEAD

    with Session(engine) as session:
        assert [lead.company for lead in session.exec(select(Lead))] == ["Acme Corp"]


def test_models_and_migrations_agree(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_table(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert _tables(engine) <= {"alembic_version"}
    assert current_revision(engine) is None


def test_processes_starting_together_migrate_once(database_url: str) -> None:
    script = "import sys; from baton.store.db import upgrade; print(upgrade(sys.argv[1]))"
    starts = [
        subprocess.Popen([sys.executable, "-c", script, database_url], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    finished = [process.communicate(timeout=120) for process in starts]

    assert [err for _, err in finished if err.strip()] == []
    assert [out.strip() for out, _ in finished] == [HEAD] * 4


def test_threads_of_one_process_upgrade_one_at_a_time(database_url: str) -> None:
    results: list[str | None] = []
    threads = [threading.Thread(target=lambda: results.append(upgrade(database_url)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [HEAD] * 4


def _in_a_process_of_its_own(script: str, database_url: str) -> list[str]:
    ran = subprocess.run([sys.executable, "-c", script, database_url], capture_output=True,
                         text=True, timeout=120, check=False)
    assert ran.stderr == ""
    return ran.stdout.splitlines()


def test_a_server_migrates_apart_and_keeps_none_of_the_migration_tooling(
    database_url: str,
) -> None:
    script = ("import sys; from baton.store.db import make_engine, upgrade_apart\n"
              "print(upgrade_apart(make_engine(sys.argv[1])))\n"
              "print(sorted({name.split('.')[0] for name in sys.modules}"
              " & {'alembic', 'mako', 'pygments'}))")

    assert _in_a_process_of_its_own(script, database_url) == [HEAD, "[]"]
    engine = make_engine(database_url)
    assert _tables(engine) == set(SQLModel.metadata.tables) | {"alembic_version"}
    engine.dispose()


def test_a_migration_done_apart_fails_as_one_done_in_process_does(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as connection:  # as a newer Baton leaves it
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dcafe0001'"))
    engine.dispose()
    script = ("import sys; from baton.store.db import make_engine, upgrade, upgrade_apart\n"
              "for migrate in (upgrade_apart, upgrade):\n"
              "    try: migrate(make_engine(sys.argv[1]))\n"
              "    except Exception as exc: print(type(exc).__name__, exc)")

    apart, here = _in_a_process_of_its_own(script, database_url)

    assert apart == here
    assert "f00dcafe0001" in apart
