"""Baton's command line: run, demo, check, db, definition, export."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import datetime as dt
    from typing import TextIO

    import sqlalchemy as sa

    from baton.services.catalog import Catalog
    from baton.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
definition_app = typer.Typer(no_args_is_help=True, help="The agreed SRL definition.")
app.add_typer(db_app, name="db")
app.add_typer(definition_app, name="definition")


def fail(message: str) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise."""
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


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

    configure_logging()
    try:
        runtime = build_runtime(settings)
    except StartupError as exc:
        raise fail(str(exc)) from None
    run_runtime(runtime)


@app.command()
def tick() -> None:
    """For cron: remind and escalate unclaimed handoffs now due, then send what is queued."""
    from baton.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    if not settings.slack_bot_token:
        raise fail("SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'")
    reminded, escalated, sent = _tick_and_send(settings, _catalog(settings.baton_prompts_dir))
    typer.echo(f"reminded {reminded}, escalated {escalated}, sent {sent}")


def _tick_and_send(settings: Settings, catalog: Catalog) -> tuple[int, int, int]:
    from baton.services.outbox import make_client
    from baton.services.runner import (
        ManagerDirectory,
        ManagersUnavailable,
        after_sending,
        send_all_due,
        tick_once,
    )
    from baton.slack import handoff_views
    from baton.store.db import make_engine, upgrade

    engine = make_engine(settings.database_url)
    client = make_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    managers = ManagerDirectory(client, settings.baton_managers)
    with _reaching(engine):
        upgrade(engine)
        try:
            report = tick_once(engine=engine, catalog=catalog, managers=managers)
        except ManagersUnavailable as exc:
            raise fail(f"BATON_MANAGERS: Slack did not list the {exc}; try again later") from None
        sent = send_all_due(engine=engine, client=client, catalog=catalog,
                            presenter=handoff_views,
                            on_sent=after_sending(client, handoff_views))
    return len(report.reminded), len(report.escalated), sent


PromptsOption = Annotated[
    Path | None,
    typer.Option("--prompts", help="folder with definition.yaml and frameworks/ "
                 "(default: BATON_PROMPTS_DIR)"),
]


def _prompts_dir(prompts: Path | None) -> Path:
    from baton.settings import SettingsError, load_settings

    overrides = {"baton_prompts_dir": prompts} if prompts is not None else {}
    try:
        return load_settings(**overrides).baton_prompts_dir
    except SettingsError as exc:
        raise fail(str(exc)) from None


@app.command()
def check(prompts: PromptsOption = None) -> None:
    """Check the question sets and the SRL definition; list every problem found."""
    from baton.services.catalog import check_catalog, load_catalog

    folder = _prompts_dir(prompts)
    problems = check_catalog(folder)
    if problems:
        for problem in problems:
            typer.echo(str(problem))
        raise typer.Exit(code=1)
    catalog = load_catalog(folder)
    count = len(catalog.frameworks)
    typer.echo(f"prompts OK: {count} frameworks, definition {catalog.definition.version} "
               f"in {folder.resolve()}")


@app.command()
def demo(
    framework: Annotated[str, typer.Option(help="the framework to qualify with")] = "bant",
    company: Annotated[str, typer.Option(help="the lead's company")] = "Acme Corp",
) -> None:
    """Qualify a lead and hand it to sales, against a local stand-in of Slack."""
    from baton.demo import DemoError, run_demo
    from baton.runtime import StartupError

    try:
        run_demo(framework=framework, company=company, echo=typer.echo)
    except (DemoError, StartupError) as exc:
        raise fail(f"baton demo: {exc}") from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    from baton.store.db import display_url, make_engine, upgrade

    engine = make_engine(_database_url())
    with _reaching(engine):
        revision = upgrade(engine)
    typer.echo(f"database at {display_url(engine)} is at revision {revision}")


@app.command("seed")
def seed_command(
    leads: Annotated[int, typer.Option("--leads", help="how many leads to add")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same history")] = 0,
    prompts: PromptsOption = None,
) -> None:
    """Fill the database at DATABASE_URL with a year of synthetic pipeline history."""
    import datetime as dt
    import time

    from baton.services.seed import SeedError, seed_history
    from baton.store.db import display_url, make_engine, session_scope, upgrade

    catalog = _catalog(_prompts_dir(prompts))
    engine = make_engine(_database_url())
    started = time.perf_counter()
    try:
        with _reaching(engine):
            upgrade(engine)
            with session_scope(engine) as session:
                report = seed_history(session=session, catalog=catalog, leads=leads, seed=seed,
                                      now=dt.datetime.now(dt.UTC))
            where = display_url(engine)
    except SeedError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"seeded {where} in {time.perf_counter() - started:.1f}s: {report.leads} leads, "
               f"{report.answers} answers, {report.verdicts} verdicts, "
               f"{report.handoffs} handoffs, {report.outcomes} outcomes")


@definition_app.command("apply")
def definition_apply(
    file: Annotated[Path, typer.Argument(help="the definition, e.g. prompts/definition.yaml")],
    by: Annotated[str, typer.Option("--by", help="who applies it, for the event log")] = "",
    prompts: PromptsOption = None,
) -> None:
    """Store a new version of the SRL definition; applying the same file again changes nothing."""
    from baton.services.definitions import DefinitionError, apply_definition
    from baton.store.db import make_engine, session_scope, upgrade

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: cannot read the file ({exc})") from None
    # Checked against the question sets first: a rule naming a criterion no framework asks
    # would make every verdict of that framework fail, so nothing is stored.
    _catalog(_prompts_dir(prompts), definition_file=file)
    engine = make_engine(_database_url())
    try:
        with _reaching(engine):
            upgrade(engine)
            with session_scope(engine) as session:
                result = apply_definition(
                    session=session, yaml_text=text, applied_by=by or getpass.getuser()
                )
    except DefinitionError as exc:
        raise fail(f"{file}: {exc}") from None
    if result.already_applied:
        typer.echo(f"definition {result.version} is already applied")
    else:
        typer.echo(f"applied definition {result.version} (sha256 {result.checksum[:8]})")


@definition_app.command("show")
def definition_show(prompts: PromptsOption = None) -> None:
    """Print the definition in force: who agreed, rules per framework, SLA and routing."""
    from baton.services.catalog_summary import summarise_definition

    catalog, origin = _in_force(_prompts_dir(prompts))
    typer.echo(origin)
    for line in summarise_definition(catalog):
        typer.echo(line)


@definition_app.command("diff")
def definition_diff(
    file: Annotated[Path, typer.Argument(help="the proposed definition file")],
    prompts: PromptsOption = None,
) -> None:
    """Show how FILE differs from the definition in force, line by line and rule by rule."""
    import difflib

    from baton.services.catalog import describe_changes

    folder = _prompts_dir(prompts)
    current, origin = _in_force(folder)
    proposed = _catalog(folder, definition_file=file)
    diff = difflib.unified_diff(
        current.definition_text.splitlines(keepends=True),
        proposed.definition_text.splitlines(keepends=True),
        fromfile=f"in force: {current.definition.version}", tofile=str(file),
    )
    typer.echo("".join(diff), nl=False)
    changes = describe_changes(current.definition, proposed.definition)
    typer.echo("Changes:" if changes else "No changes to the definition.")
    for change in changes:
        typer.echo(f"  {change}")


def _in_force(folder: Path) -> tuple[Catalog, str]:
    """The catalog with the definition in force, and a line saying where that definition is."""
    import dataclasses

    from baton.services.definitions import current_definition
    from baton.store.db import make_engine, session_scope, upgrade

    catalog = _catalog(folder)
    url = _database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return catalog, "Not applied yet: Baton applies prompts/definition.yaml when it starts."
    engine = make_engine(url)
    with _reaching(engine):
        upgrade(engine)
        with session_scope(engine) as session:
            stored = current_definition(session=session)
    if stored is None:
        return catalog, "Not applied yet: Baton applies prompts/definition.yaml when it starts."
    in_force = dataclasses.replace(catalog, definition=stored.definition,
                                   definition_text=stored.yaml_text)
    when = stored.applied_at.strftime("%Y-%m-%d %H:%M UTC")
    return in_force, f"In force since {when}, applied by {stored.applied_by}."


def _catalog(folder: Path, definition_file: Path | None = None) -> Catalog:
    from baton.services.catalog import CatalogError, load_catalog

    try:
        return load_catalog(folder, definition_file=definition_file)
    except CatalogError as exc:
        raise fail(str(exc)) from None


def _database_url() -> str:
    from baton.settings import SettingsError, load_settings

    try:
        return load_settings().database_url
    except SettingsError as exc:
        raise fail(str(exc)) from None


@contextmanager
def _reaching(engine: sa.Engine) -> Iterator[None]:
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


@app.command()
def export(
    since: Annotated[str, typer.Option(help="first day, YYYY-MM-DD (UTC)")],
    until: Annotated[str | None, typer.Option(help="last day, included (default: today)")] = None,
    format: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",  # noqa: A002
    out: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
    prompts: PromptsOption = None,
) -> None:
    """Write one row per lead with its latest verdict, answers, handoff and outcome, for a CRM."""
    from baton.services import export as exporting
    from baton.store.db import make_engine, session_scope

    first, last = _day("--since", since), _day("--until", until) if until else None
    if format not in ("csv", "jsonl"):
        raise fail(f"--format: expected csv or jsonl, got {format!r}")
    if last is not None and last < first:
        raise fail(f"--until {last} is before --since {first}")
    keys = exporting.criterion_keys(_catalog(_prompts_dir(prompts)))
    write = exporting.write_csv if format == "csv" else exporting.write_jsonl
    engine = make_engine(_database_url())
    with _reaching(engine), session_scope(engine) as session, _output(out) as stream:
        rows = exporting.export_rows(session=session, since=first, until=last, keys=keys)
        written = write(rows, exporting.columns(keys), stream)
    typer.echo(f"exported {written} leads", err=True)


def _day(option: str, text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: expected a date as YYYY-MM-DD, got {text!r}") from None


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    """The file to write, or stdout; a file that cannot be written is one line naming --out."""
    import sys

    if out is None:
        yield sys.stdout
        return
    try:
        stream = out.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise fail(f"--out: cannot write {out} ({exc.strerror})") from None
    with stream:
        yield stream


def main() -> None:
    app()
