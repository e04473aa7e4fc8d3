"""`baton report`: what the stored pipeline says about the definition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from baton.cli.common import PromptsOption, catalog_in, database_url, fail, prompts_dir, reaching

if TYPE_CHECKING:
    import datetime as dt

app = typer.Typer(no_args_is_help=True, help="Reports on the stored pipeline.")


@app.command("criteria")
def criteria(
    since: Annotated[str, typer.Option("--since", help="first day the leads were qualified "
                                       "(default: 365 days ago)")] = "",
    until: Annotated[str, typer.Option("--until", help="last day included (default: today)")
                     ] = "",
    prompts: PromptsOption = None,
) -> None:
    """For each framework criterion and answer: leads qualified in the period and how many sales
    accepted, turned into an opportunity and won since; whether "met" predicts a won deal."""
    import datetime as dt

    from baton.services.pipeline.criteria import criteria_report
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    today = dt.datetime.now(dt.UTC).date()
    first = _day("--since", since) if since else today - dt.timedelta(days=365)
    last = _day("--until", until) if until else today
    catalog = catalog_in(prompts_dir(prompts))
    engine = make_engine(database_url())
    with reaching(engine):
        upgrade(engine)
        reports = criteria_report(
            uow=UnitOfWork(engine), catalog=catalog,
            since=dt.datetime.combine(first, dt.time(), dt.UTC),
            until=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC))
    typer.echo(f"Criteria of the leads qualified {first} to {last}, followed to what became "
               "of them (rates among the leads handed off):")
    if not reports:
        typer.echo("No lead was qualified in that period.")
    for report in reports:
        typer.echo(f"{report.framework} · {report.title}: {report.finding}")
        for row in report.answers:
            c = row.counts
            typer.echo(f"  {row.answer} ({row.status}): {c.leads} leads, {c.handed_off} handed "
                       f"off; accepted {_pct(c.rate(c.accepted))}, opportunity "
                       f"{_pct(c.rate(c.opportunities))}, won {_pct(c.rate(c.won))}")
    looking = [f"{r.framework} {r.title}" for r in reports if r.to_look_at]
    if looking:
        typer.echo("To look at in the review: " + ", ".join(looking))


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _day(option: str, text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: expected a day such as 2026-07-01, got {text!r}") from None
