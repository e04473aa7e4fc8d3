"""Baton's command line: run, demo, check, db, definition, export, outbox, report, review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from baton.cli import crm, db, definition, export, outbox, report, review, seed
from baton.cli.common import (
    PromptsOption,
    catalog_in,
    database_url,
    delivery_for,
    fail,
    prompts_dir,
    reaching,
)

if TYPE_CHECKING:
    from baton.services.catalog import Catalog
    from baton.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


@app.command()
def run() -> None:
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT."""
    # Imported here so the other commands start without loading Slack and the database layers.
    from baton.settings import SettingsError, load_settings

    try:
        settings = load_settings()
        settings.require_slack()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    from baton.runtime import StartupError, build_runtime, configure_logging, run_runtime
    from baton.store.db import upgrade_apart

    configure_logging(settings.baton_log_format)
    try:
        # Migrated apart: the server that runs for days does not keep the migration tooling.
        runtime = build_runtime(settings, migrate=upgrade_apart)
    except StartupError as exc:
        raise fail(str(exc)) from None
    run_runtime(runtime)


@app.command()
def tick() -> None:
    """For cron: remind and escalate unclaimed handoffs now due, send again the cards still
    waiting, then send what is queued."""
    from baton.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    if not settings.slack_bot_token:
        raise fail("SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'")
    reminded, escalated, sent, aside = _tick_and_send(settings,
                                                      catalog_in(settings.baton_prompts_dir))
    kept = f"; set aside {aside} (see `baton outbox status`)" if aside else ""
    typer.echo(f"reminded {reminded}, escalated {escalated}, sent {sent}{kept}")


def _tick_and_send(settings: Settings, catalog: Catalog) -> tuple[int, int, int, int]:
    from baton.services.outbox import backlog
    from baton.services.unit_of_work import UnitOfWork
    from baton.slack.directory import ManagerDirectory, ManagersUnavailable
    from baton.slack.machinery import tick_once
    from baton.slack.pipeline_views import PipelineViews
    from baton.slack.render import Renderer
    from baton.slack.verdict_views import VerdictViews
    from baton.store.db import make_engine, upgrade

    engine = make_engine(settings.database_url)
    uow = UnitOfWork(engine)
    delivery = delivery_for(settings, uow, catalog)
    managers = ManagerDirectory(delivery.client, settings.baton_managers)
    with reaching(engine):
        upgrade(engine)
        try:
            report = tick_once(uow=uow, catalog=catalog, managers=managers,
                               rechecks=VerdictViews(Renderer()), delivery=delivery,
                               digests=PipelineViews(Renderer()))
        except ManagersUnavailable as exc:
            raise fail(f"BATON_MANAGERS: Slack did not list the {exc}; try again later") from None
        sent = delivery.send_all_due()
        aside = backlog(uow=uow).set_aside
    return len(report.reminded), len(report.escalated), sent, aside


@app.command()
def check(prompts: PromptsOption = None) -> None:
    """Check the question sets and the SRL definition; list every problem found."""
    from baton.services.catalog import check_catalog, load_catalog
    from baton.services.crm import MappingError, load_mappings

    folder = prompts_dir(prompts)
    problems: list[object] = list(check_catalog(folder))
    try:
        load_mappings(folder)
    except MappingError as exc:
        problems.append(exc)
    if problems:
        for problem in problems:
            typer.echo(str(problem))
        raise typer.Exit(code=1)
    catalog = load_catalog(folder)
    edits = _edits_under_stored_label(catalog)
    if edits:
        for file, why in edits:
            typer.echo(f"{folder.name}/{file}: {why}")
        raise typer.Exit(code=1)
    count = len(catalog.frameworks)
    typer.echo(f"prompts OK: {count} frameworks, definition {catalog.definition.version} "
               f"in {folder.resolve()}")


def _edits_under_stored_label(catalog: Catalog) -> list[tuple[str, str]]:
    """The files edited since definition.yaml's version label was applied to the database at
    DATABASE_URL: a version is its text and its question sets. Nothing to compare with when
    that database does not exist yet (a SQLite file not created) or is not migrated to pin
    question sets; said on stderr when it cannot be reached."""
    import sqlalchemy as sa

    from baton.services.catalog import edits_under_stored_label
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import display_url, make_engine

    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return []
    engine = make_engine(url)
    try:
        return edits_under_stored_label(uow=UnitOfWork(engine), catalog=catalog)
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        if reason.startswith(("no such table", "no such column")):
            return []  # SQLite not migrated yet: no version pins its question sets there
        typer.secho(f"DATABASE_URL: not compared with the versions applied at "
                    f"{display_url(engine)} ({reason})", err=True)
        return []
    except sa.exc.ProgrammingError:
        return []  # PostgreSQL not migrated yet: no version pins its question sets there
    finally:
        engine.dispose()


@app.command()
def demo(
    framework: Annotated[str, typer.Option(help="the framework to qualify with")] = "bant",
    company: Annotated[str, typer.Option(help="the lead's company")] = "Acme Corp",
    crm: Annotated[str | None, typer.Option(
        help="also write the lead to a local stand-in of this CRM: hubspot or salesforce",
    )] = None,
) -> None:
    """Qualify a lead and hand it to sales, against a local stand-in of Slack (and of a CRM)."""
    from baton.demo import DemoError, run_demo
    from baton.runtime import StartupError

    try:
        if crm is not None and crm.lower() not in ("hubspot", "salesforce"):
            raise DemoError(f"--crm: expected hubspot or salesforce, got {crm!r}")
        run_demo(framework=framework, company=company, echo=typer.echo,
                 crm=crm.lower() if crm else None)
    except (DemoError, StartupError) as exc:
        raise fail(f"baton demo: {exc}") from None


app.command("seed")(seed.seed_command)
app.command()(export.export)
app.command()(review.review)
app.add_typer(crm.app, name="crm")
app.add_typer(db.app, name="db")
app.add_typer(definition.app, name="definition")
app.add_typer(outbox.app, name="outbox")
app.add_typer(report.app, name="report")


def main() -> None:
    app()
