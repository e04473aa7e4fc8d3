"""What every command shares: one clear failure line, the settings it needs, the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import sqlalchemy as sa

    from baton.services.catalog import Catalog
    from baton.services.unit_of_work import UnitOfWork
    from baton.settings import Settings
    from baton.slack.sending import Delivery

PromptsOption = Annotated[
    Path | None,
    typer.Option("--prompts", help="folder with definition.yaml and frameworks/ "
                 "(default: BATON_PROMPTS_DIR)"),
]


def fail(message: str) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise."""
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def prompts_dir(prompts: Path | None) -> Path:
    """The prompts folder: --prompts when given, else BATON_PROMPTS_DIR or its default."""
    from baton.settings import SettingsError, load_settings

    overrides = {"baton_prompts_dir": prompts} if prompts is not None else {}
    try:
        return load_settings(**overrides).baton_prompts_dir
    except SettingsError as exc:
        raise fail(str(exc)) from None


def catalog_in(folder: Path, definition_file: Path | None = None) -> Catalog:
    """The prompts in `folder`, or every problem with them on stderr."""
    from baton.services.catalog import CatalogError, load_catalog

    try:
        return load_catalog(folder, definition_file=definition_file)
    except CatalogError as exc:
        raise fail(str(exc)) from None


def database_url() -> str:
    """DATABASE_URL, or the line saying what is wrong with it."""
    from baton.settings import SettingsError, load_settings

    try:
        return load_settings().database_url
    except SettingsError as exc:
        raise fail(str(exc)) from None


@contextmanager
def reaching(engine: sa.Engine) -> Iterator[None]:
    """Turn an unreachable database into one line naming DATABASE_URL, then let go of it."""
    import sqlalchemy as sa

    from baton.store.db import display_url

    try:
        yield
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        where = display_url(engine)
        raise fail(f"DATABASE_URL: cannot use the database at {where} ({reason})") from None
    finally:
        engine.dispose()


def delivery_for(settings: Settings, uow: UnitOfWork, catalog: Catalog) -> Delivery:
    """The outbox's sender for a command run by hand or by cron, as `baton run` has it."""
    from baton.slack.delivery import make_client
    from baton.slack.directory import ManagerDirectory
    from baton.slack.handoff_views import HandoffViews
    from baton.slack.render import Renderer
    from baton.slack.sending import Delivery

    client = make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    return Delivery(uow, client, catalog, HandoffViews(Renderer()),
                    fallback=settings.baton_sales_channel,
                    managers=ManagerDirectory(client, settings.baton_managers))
