"""`baton definition`: the agreed SRL definition shown, compared with a proposal, applied, its
versions listed, and an older one put back in force."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from baton.cli.common import (
    PromptsOption,
    catalog_in,
    database_url,
    fail,
    prompts_dir,
    reaching,
)

if TYPE_CHECKING:
    import datetime as dt

    from baton.services.catalog import Catalog
    from baton.services.pipeline.whatif import WhatIf
    from baton.services.unit_of_work import UnitOfWork

app = typer.Typer(no_args_is_help=True, help="The agreed SRL definition.")


@app.command("apply")
def definition_apply(
    file: Annotated[Path, typer.Argument(help="the definition, e.g. prompts/definition.yaml")],
    by: Annotated[str, typer.Option("--by", help="who applies it, for the event log")] = "",
    prompts: PromptsOption = None,
) -> None:
    """Store a new version of the SRL definition; applying the same file again changes nothing."""
    from baton.services.catalog import DefinitionError, apply_definition
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: cannot read the file ({exc})") from None
    # Checked against the question sets first: a rule naming a criterion no framework asks
    # would make every verdict of that framework fail, so nothing is stored.
    catalog = catalog_in(prompts_dir(prompts), definition_file=file)
    engine = make_engine(database_url())
    try:
        with reaching(engine):
            upgrade(engine)
            result = apply_definition(uow=UnitOfWork(engine), yaml_text=text,
                                      applied_by=by or getpass.getuser(),
                                      frameworks=catalog.framework_texts)
    except DefinitionError as exc:
        raise fail(f"{file}: {exc}") from None
    if result.already_applied and result.in_force != result.version:
        typer.echo(f"definition {result.version} is already applied; {result.in_force} is in "
                   f"force: `baton definition use {result.version}` puts it back")
    elif result.already_applied:
        typer.echo(f"definition {result.version} is already applied")
    else:
        typer.echo(f"applied definition {result.version} (sha256 {result.checksum[:8]})")


@app.command("show")
def definition_show(prompts: PromptsOption = None) -> None:
    """Print the definition in force: who agreed, rules per framework, SLA and routing."""
    import datetime as dt

    from baton.services.catalog import summarise_definition

    catalog, origin = _in_force(prompts_dir(prompts))
    typer.echo(origin)
    today = dt.datetime.now(dt.UTC).date()
    for line in summarise_definition(catalog, today):
        typer.echo(line)


@app.command("whatif")
def definition_whatif(
    file: Annotated[Path, typer.Argument(help="the proposed definition file")],
    since: Annotated[str, typer.Option("--since", help="first day, e.g. 2026-07-01 "
                                       "(default: 90 days ago)")] = "",
    until: Annotated[str, typer.Option("--until", help="last day included (default: today)")
                     ] = "",
    output: Annotated[str, typer.Option("--format", help="table or csv")] = "table",
    prompts: PromptsOption = None,
) -> None:
    """Judge every stored qualification of a period again by FILE (and the question sets in
    prompts/), storing nothing: which leads flip, why, and what they became."""
    import csv
    import datetime as dt
    import sys

    from baton.services.pipeline.whatif import what_if

    if output not in ("table", "csv"):
        raise fail(f"--format: expected table or csv, got {output!r}")
    today = dt.datetime.now(dt.UTC).date()
    first = _day("--since", since) if since else today - dt.timedelta(days=90)
    last = _day("--until", until) if until else today
    if last < first:
        raise fail(f"--until: {last} is before --since {first}")
    proposed = catalog_in(prompts_dir(prompts), definition_file=file)
    with _applied() as uow:
        if uow is None:
            raise fail("DATABASE_URL: no qualification is stored there yet")
        result = what_if(uow=uow, proposed=proposed,
                         since=dt.datetime.combine(first, dt.time(), dt.UTC),
                         until=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(),
                                                   dt.UTC))
    if output == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["qualification_id", "company", "bdr", "old_verdict", "old_score",
                         "old_version", "new_verdict", "new_score", "why", "became"])
        for flip in result.flips:
            writer.writerow([flip.qualification_id, flip.company, flip.bdr, _ready(flip.old_ready),
                             flip.old_score, flip.old_version, _ready(flip.new_ready),
                             flip.new_score, flip.why, flip.became])
        return
    for line in _whatif_lines(result, first, last):
        typer.echo(line)


def _day(option: str, text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: expected a day such as 2026-07-01, got {text!r}") from None


def _ready(ready: bool) -> str:
    return "sales-ready" if ready else "not sales-ready"


def _whatif_lines(result: WhatIf, first: dt.date, last: dt.date) -> list[str]:
    change = result.ready_after - result.ready_before
    lines = [
        f"What if {result.proposed_version} had judged the {result.judged} qualifications "
        f"finished {first} to {last}:",
        f"  sales-ready: {result.ready_before} before, {result.ready_after} after "
        f"({change:+d})",
    ]
    if result.overridden:
        lines.append(f"  kept as managers overrode them: {result.overridden}")
    if result.unjudged:
        lines.append(f"  not judged (no rule or question set for their framework): "
                     f"{result.unjudged}")
    lines.append(result.sentence())
    for title, flips in (("dropped", result.dropped), ("added", result.added)):
        if flips:
            fates = result.became(flips).most_common()
            lines.append(f"What the {title} leads became: "
                         + " · ".join(f"{fate} {count}" for fate, count in fates))
    if result.flips:
        lines.append("Leads that flip:")
    for flip in result.flips:
        lines.append(f"  {flip.company} (BDR {flip.bdr}): {_ready(flip.old_ready)} "
                     f"{flip.old_score} by {flip.old_version} -> {_ready(flip.new_ready)} "
                     f"{flip.new_score}: {flip.why} · became {flip.became}")
    return lines


@app.command("history")
def definition_history() -> None:
    """List every version applied: who applied it and when, when it was in force, and how many
    verdicts it judged."""
    from baton.services.catalog import definition_history as history_of

    with _applied() as uow:
        versions = history_of(uow=uow) if uow is not None else []
    if not versions:
        typer.echo(NOT_APPLIED)
    for version in versions:
        mark = "  (in force)" if version.in_force else ""
        typer.echo(f"{version.version}{mark}: applied {_when(version.applied_at)} by "
                   f"{version.applied_by}; {version.verdicts} verdict"
                   f"{'' if version.verdicts == 1 else 's'}")
        for period in version.periods:
            until = _when(period.until) if period.until else "now"
            how = "" if period.cause == "applied" else f" ({period.cause} by {period.by})"
            typer.echo(f"  in force {_when(period.since)} to {until}{how}")


@app.command("use")
def definition_use(
    label: Annotated[str, typer.Argument(help="the version label to put back in force")],
    by: Annotated[str, typer.Option("--by", help="who puts it back, for the event log")] = "",
) -> None:
    """Put an applied version back in force, with the question sets it was applied with; the
    next verdicts record it. Recorded in the event log and in `baton definition history`."""
    from baton.services.catalog import DefinitionError, put_back

    try:
        with _applied() as uow:
            if uow is None:
                raise fail(f"{label}: no version has been applied to this database yet")
            result = put_back(uow=uow, version=label, by=by or getpass.getuser())
    except DefinitionError as exc:
        raise fail(f"{label}: {exc}") from None
    if result.already_in_force:
        typer.echo(f"definition {label} is already in force; nothing changed")
    else:
        typer.echo(f"definition {label} is in force again, in place of {result.previous}; "
                   "running Baton processes judge by it from their next verdict")


@app.command("diff")
def definition_diff(
    file: Annotated[Path, typer.Argument(help="the proposed definition file")],
    prompts: PromptsOption = None,
) -> None:
    """Show how FILE differs from the definition in force, line by line and rule by rule."""
    import difflib

    from baton.services.catalog import describe_changes

    folder = prompts_dir(prompts)
    current, origin = _in_force(folder)
    proposed = catalog_in(folder, definition_file=file)
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


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@contextmanager
def _applied() -> Iterator[UnitOfWork | None]:
    """The database at DATABASE_URL, migrated, while the command reads it; None when it is a
    SQLite file not created yet, so nothing was applied."""
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        yield None
        return
    engine = make_engine(url)
    with reaching(engine):
        upgrade(engine)
        yield UnitOfWork(engine)


NOT_APPLIED = "Not applied yet: Baton applies prompts/definition.yaml when it starts."


def _in_force(folder: Path) -> tuple[Catalog, str]:
    """The catalog with the definition in force (and the question sets it judges with), and a
    line saying since when and who put it in force."""
    from baton.services.catalog import catalog_in_force, definition_history

    catalog = catalog_in(folder)
    with _applied() as uow:
        if uow is None:
            return catalog, NOT_APPLIED
        with uow.reading() as session:
            in_force = catalog_in_force(session=session, catalog=catalog)
        current = next((v for v in definition_history(uow=uow) if v.in_force), None)
    if current is None:
        return catalog, NOT_APPLIED
    period = current.periods[-1]
    how = "applied" if period.cause == "applied" else period.cause
    return in_force, f"In force since {_when(period.since)}, {how} by {period.by}."
