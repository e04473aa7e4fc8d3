"""`baton definition`: the agreed SRL definition shown, compared with a proposal, applied."""

from __future__ import annotations

import getpass
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
    from baton.services.catalog import Catalog

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
    catalog_in(prompts_dir(prompts), definition_file=file)
    engine = make_engine(database_url())
    try:
        with reaching(engine):
            upgrade(engine)
            result = apply_definition(uow=UnitOfWork(engine), yaml_text=text,
                                      applied_by=by or getpass.getuser())
    except DefinitionError as exc:
        raise fail(f"{file}: {exc}") from None
    if result.already_applied:
        typer.echo(f"definition {result.version} is already applied")
    else:
        typer.echo(f"applied definition {result.version} (sha256 {result.checksum[:8]})")


@app.command("show")
def definition_show(prompts: PromptsOption = None) -> None:
    """Print the definition in force: who agreed, rules per framework, SLA and routing."""
    from baton.services.catalog import summarise_definition

    catalog, origin = _in_force(prompts_dir(prompts))
    typer.echo(origin)
    for line in summarise_definition(catalog):
        typer.echo(line)


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


def _in_force(folder: Path) -> tuple[Catalog, str]:
    """The catalog with the definition in force, and a line saying where that definition is."""
    import dataclasses

    from baton.services.catalog import current_definition
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    catalog = catalog_in(folder)
    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return catalog, "Not applied yet: Baton applies prompts/definition.yaml when it starts."
    engine = make_engine(url)
    with reaching(engine):
        upgrade(engine)
        stored = current_definition(uow=UnitOfWork(engine))
    if stored is None:
        return catalog, "Not applied yet: Baton applies prompts/definition.yaml when it starts."
    in_force = dataclasses.replace(catalog, definition=stored.definition,
                                   definition_text=stored.yaml_text)
    when = stored.applied_at.strftime("%Y-%m-%d %H:%M UTC")
    return in_force, f"In force since {when}, applied by {stored.applied_by}."
