"""`baton crm`: the connected CRM checked against prompts/crm.yaml, what waits to be written to
it and why, writes set aside sent again, and deals read back now."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from baton.cli.common import PromptsOption, fail, prompts_dir, reaching

if TYPE_CHECKING:
    from baton.services.crm import Connection
    from baton.settings import Settings

app = typer.Typer(no_args_is_help=True, help="The team's CRM (BATON_CRM): HubSpot or Salesforce.")


@app.command("check")
def check(prompts: PromptsOption = None) -> None:
    """Ask the CRM whether the credentials work and every field and value prompts/crm.yaml
    names exists: one line per problem."""
    from baton.services.crm import CrmError

    connection = _connection(prompts)
    try:
        problems = connection.crm.problems(connection.mapping)
    except CrmError as error:
        raise fail(f"baton crm check: {error}") from None
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(code=1)
    typer.echo(f"{connection.crm.name}: the credentials work and every mapped field and value "
               "exists")


@app.command("status")
def status(prompts: PromptsOption = None) -> None:
    """Leads written, writes waiting (and why they are retried), writes set aside, and how the
    last read of deals went."""
    from baton.cli.outbox import line
    from baton.services.crm import crm_status
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    settings = _settings()
    key = _key(settings)
    engine = make_engine(settings.database_url)
    with reaching(engine):
        upgrade(engine)
        found = crm_status(uow=UnitOfWork(engine), key=key)
    typer.echo(f"{key}: {found.leads} lead(s) written, {found.waiting} write(s) waiting, "
               f"{len(found.set_aside)} set aside")
    if found.retrying:
        typer.echo(f"retrying: {len(found.retrying)}, the oldest because {found.retrying[0]}")
    pulled = _moment(found.pulled_at)
    typer.echo(f"deals last read {pulled}" + (f", failed: {found.pull_error}"
                                                if found.pull_error else ""))
    for row in found.set_aside:
        typer.echo(line(row))


@app.command("retry")
def retry() -> None:
    """Send every write set aside again (a running Baton sends them)."""
    from baton.services.crm import retry_set_aside
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    settings = _settings()
    engine = make_engine(settings.database_url)
    with reaching(engine):
        upgrade(engine)
        released = retry_set_aside(uow=UnitOfWork(engine), key=_key(settings))
    typer.echo(f"retried {len(released)} write(s); a running Baton sends them")


@app.command("pull")
def pull(prompts: PromptsOption = None) -> None:
    """Read the deals changed since the last read now, and record what they say."""
    from baton.services.crm import pull_deals
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    settings, connection = _settings(), _connection(prompts)
    engine = make_engine(settings.database_url)
    with reaching(engine):
        upgrade(engine)
        pulled = pull_deals(uow=UnitOfWork(engine), crm=connection.crm, key=connection.key,
                            mapping=connection.mapping)
    if pulled.error:
        raise fail(f"baton crm pull: {pulled.error}")
    typer.echo(f"{pulled.deals} deal(s) read, {len(pulled.recorded)} outcome(s) recorded")


def _settings() -> Settings:
    from baton.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None


def _key(settings: Settings) -> str:
    if not settings.baton_crm:
        raise fail("BATON_CRM: expected hubspot or salesforce; no CRM is connected")
    return settings.baton_crm


def _connection(prompts: PromptsOption) -> Connection:
    from baton.runtime import StartupError, connection

    settings = _settings()
    _key(settings)
    if prompts is not None:
        settings = settings.model_copy(update={"baton_prompts_dir": prompts_dir(prompts)})
    try:
        found = connection(settings)
    except StartupError as exc:
        raise fail(str(exc)) from None
    assert found is not None
    return found


def _moment(when: dt.datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%MZ") if when else "never"
