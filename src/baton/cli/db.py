"""`baton db`: the database schema."""

from __future__ import annotations

import typer

from baton.cli.common import database_url, reaching

app = typer.Typer(no_args_is_help=True, help="Database schema.")


@app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    from baton.store.db import display_url, make_engine, upgrade

    engine = make_engine(database_url())
    with reaching(engine):
        revision = upgrade(engine)
    typer.echo(f"database at {display_url(engine)} is at revision {revision}")
