"""`baton outbox`: what Baton has still to send to Slack, what it set aside and why, and
sending what was set aside again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from baton.cli.common import (
    PromptsOption,
    catalog_in,
    delivery_for,
    fail,
    prompts_dir,
    reaching,
)

if TYPE_CHECKING:
    from baton.services.outbox import SetAside
    from baton.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Slack messages waiting to be sent.")


@app.command("status")
def status() -> None:
    """How many messages wait to be sent; each one set aside, with why and since when."""
    from baton.services import outbox
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine

    engine = make_engine(_settings().database_url)
    with reaching(engine):
        uow = UnitOfWork(engine)
        backlog = outbox.backlog(uow=uow)
        rows = outbox.set_aside_rows(uow=uow)
    typer.echo(f"pending {backlog.pending}, set aside {backlog.set_aside}")
    for row in rows:
        typer.echo(line(row))


def line(row: SetAside) -> str:
    """One set-aside row as `baton outbox status` lists it."""
    since = row.since.strftime("%Y-%m-%d %H:%MZ")
    where = f" to {row.channel}" if row.channel else ""
    return (f"#{row.id} {row.kind} {row.dedupe_key}{where}, set aside since {since} after "
            f"{row.attempts} attempt(s): {row.reason}")


@app.command("retry")
def retry(
    row: Annotated[int | None, typer.Argument(help="the row's id, as `status` lists it")] = None,
    every: Annotated[bool, typer.Option("--all", help="every row set aside")] = False,
    prompts: PromptsOption = None,
) -> None:
    """Send again what was set aside (a card goes to its routed channel, or the fallback)."""
    from baton.services import handoff, outbox
    from baton.services.unit_of_work import UnitOfWork
    from baton.slack.handoff_views import HandoffViews
    from baton.slack.render import Renderer
    from baton.store.db import make_engine

    if (row is None) == (not every):
        raise fail("baton outbox retry: give a row id (see `baton outbox status`) or --all")
    settings, ids = _settings(), None if every else [row or 0]
    catalog = catalog_in(prompts_dir(prompts))
    engine = make_engine(settings.database_url)
    with reaching(engine):
        uow = UnitOfWork(engine)
        cards = handoff.retry_cards(uow=uow, catalog=catalog,
                                    presenter=HandoffViews(Renderer()), ids=ids)
        retried = cards + len(outbox.release(uow=uow, ids=ids))
        if not retried and row is not None:
            raise fail(f"baton outbox retry: row {row} is not set aside "
                       f"(see `baton outbox status`)")
        sent = (delivery_for(settings, uow, catalog).send_all_due()
                if settings.slack_bot_token else None)
        left = outbox.backlog(uow=uow).set_aside
    said = f", sent {sent}" if sent is not None else " (a running Baton sends them)"
    typer.echo(f"retried {retried}{said}; set aside {left}")


def _settings() -> Settings:
    from baton.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None

