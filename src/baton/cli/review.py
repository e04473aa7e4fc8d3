"""`baton review --quarter 2026-Q4 [--proposed FILE]`: the quarterly review pack, one HTML file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from baton.cli.common import PromptsOption, catalog_in, database_url, fail, prompts_dir, reaching

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def review(
    quarter: Annotated[str, typer.Option("--quarter", help="the quarter, e.g. 2026-Q4")],
    proposed: Annotated[Path | None, typer.Option(
        "--proposed", help="a proposed definition to replay over the quarter")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", help="where to write it (default: baton-review-QUARTER.html)")] = None,
    prompts: PromptsOption = None,
) -> None:
    """Write the marketing and sales review of a quarter as one self-contained HTML file:
    its numbers and funnel, which criteria predict a won deal, why sales rejected leads, and
    the what-if of a proposed definition."""
    import base64
    import datetime as dt

    from jinja2 import Environment, PackageLoader, select_autoescape

    from baton.domain.periods import parse_period
    from baton.services.catalog import catalog_in_force
    from baton.services.pipeline import criteria_png, funnel_png, funnel_stages
    from baton.services.pipeline.criteria import CriteriaSeen, criteria_report
    from baton.services.pipeline.summary import summarise
    from baton.services.pipeline.whatif import what_if
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine, upgrade

    match = _QUARTER.match(quarter.strip())
    if match is None:
        raise fail(f"--quarter: expected a quarter such as 2026-Q4, got {quarter!r}")
    year, number = int(match[1]), int(match[2])
    first = dt.date(year, 3 * number - 2, 1)
    after = dt.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    folder = prompts_dir(prompts)
    catalog = catalog_in(folder)
    alternative = catalog_in(folder, definition_file=proposed) if proposed else None
    engine = make_engine(database_url())
    with reaching(engine):
        upgrade(engine)
        uow = UnitOfWork(engine)
        with uow.reading() as session:
            in_force = catalog_in_force(session=session, catalog=catalog)
        zone = in_force.definition.sla.timezone
        period = parse_period(f"{first} to {after - dt.timedelta(days=1)}",
                              now=dt.datetime.now(dt.UTC), tz=zone)
        summary = summarise(uow=uow, period=period)
        reports = criteria_report(uow=uow, catalog=catalog, since=period.start,
                                  until=period.end)
        replay = (what_if(uow=uow, proposed=alternative, since=period.start, until=period.end)
                  if alternative is not None else None)
    comparisons = CriteriaSeen(quarter, reports).comparisons()
    figures, before = summary.figures, summary.previous
    definition = in_force.definition
    page = Environment(loader=PackageLoader("baton.cli"),
                       autoescape=select_autoescape(["html", "j2"])).get_template(
        "review.html.j2").render(
        quarter=quarter, start=first, end=after - dt.timedelta(days=1),
        version=definition.version, agreed_by="; ".join(definition.agreed_by),
        review_by=definition.review_by, written=dt.date.today(),
        figures=_figures(figures, before),
        funnel=base64.b64encode(funnel_png(funnel_stages(figures), f"Funnel: {quarter}")
                                ).decode(),
        criteria=[_criterion(report) for report in reports],
        criteria_chart=base64.b64encode(criteria_png(
            comparisons, f"Won when met, and when not: {quarter}")).decode()
        if comparisons else "",
        reasons=figures.top_rejection_reasons, by_criterion=figures.rejected_by_criterion,
        whatif=replay)
    target = output or Path(f"baton-review-{quarter}.html")
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{target}: cannot write the review ({exc})") from None
    typer.echo(f"wrote {target}: {figures.qualified} leads qualified in {quarter}, "
               f"{len(reports)} criteria" + (f", what-if of {replay.proposed_version}: "
                                             f"{len(replay.flips)} flips" if replay else ""))


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _figures(now: Any, before: Any) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, Callable[[Any], str]]] = [
            ("Leads qualified", "qualified", str), ("Sales-ready", "sales_ready", str),
            ("Sales-ready rate", "srl_rate", _pct), ("Handoffs", "handoffs", str),
            ("Claimed", "claimed", str), ("Acceptance rate", "acceptance_rate", _pct),
            ("Opportunities", "opportunities", str), ("Won", "won", str),
            ("Sales-ready to opportunity", "srl_to_opportunity", _pct),
            ("Opportunity to won", "opportunity_to_won", _pct)]
    return [(label, shown(getattr(now, name)), shown(getattr(before, name)))
            for label, name, shown in rows]


def _criterion(report: Any) -> dict[str, Any]:
    met, not_met = report.of("met"), report.of("not_met")
    return {"framework": report.framework, "title": report.title, "leads": met.leads
            + not_met.leads + report.of("unknown").leads, "met": _pct(met.rate(met.won)),
            "not_met": _pct(not_met.rate(not_met.won)), "finding": report.finding,
            "look": report.to_look_at}
