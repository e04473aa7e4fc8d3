"""`baton seed`: a year of synthetic pipeline history, for demos and benchmarks."""

from __future__ import annotations

from typing import Annotated

import typer

from baton.cli.common import (
    PromptsOption,
    catalog_in,
    database_url,
    fail,
    prompts_dir,
    reaching,
)
from baton.cli.progress import on_terminal, progress_bar


def seed_command(
    leads: Annotated[int, typer.Option("--leads", help="how many leads to add")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same history")] = 0,
    prompts: PromptsOption = None,
) -> None:
    """Fill the database at DATABASE_URL with a year of synthetic pipeline history."""
    import datetime as dt
    import time

    from baton.services.seed import SeedError, seed_history
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import display_url, make_engine, upgrade

    catalog = catalog_in(prompts_dir(prompts))
    engine = make_engine(database_url())
    started = time.perf_counter()
    try:
        with reaching(engine):
            upgrade(engine)
            with progress_bar("Seeding leads", leads, shown=leads > 0 and on_terminal()) as bar:
                report = seed_history(uow=UnitOfWork(engine), catalog=catalog, leads=leads,
                                      seed=seed, now=dt.datetime.now(dt.UTC), progress=bar)
            where = display_url(engine)
    except SeedError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"seeded {where} in {time.perf_counter() - started:.1f}s: {report.leads} leads, "
               f"{report.answers} answers, {report.verdicts} verdicts, "
               f"{report.handoffs} handoffs, {report.outcomes} outcomes")
