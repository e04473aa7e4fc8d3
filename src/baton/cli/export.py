"""`baton export`: leads and verdicts for the CRM, as CSV or JSON lines."""

from __future__ import annotations

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
from baton.cli.progress import counted, on_terminal, progress_bar

if TYPE_CHECKING:
    import datetime as dt
    from typing import TextIO


def export(
    since: Annotated[str, typer.Option(help="first day, YYYY-MM-DD (UTC)")],
    until: Annotated[str | None, typer.Option(help="last day, included (default: today)")] = None,
    format: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",  # noqa: A002
    out: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
    prompts: PromptsOption = None,
) -> None:
    """Write one row per lead with its latest verdict, answers, handoff and outcome, for a CRM."""
    from baton.services import pipeline as exporting
    from baton.services.unit_of_work import UnitOfWork
    from baton.store.db import make_engine

    first, last = _day("--since", since), _day("--until", until) if until else None
    if format not in ("csv", "jsonl"):
        raise fail(f"--format: expected csv or jsonl, got {format!r}")
    if last is not None and last < first:
        raise fail(f"--until {last} is before --since {first}")
    keys = exporting.criterion_keys(catalog_in(prompts_dir(prompts)))
    write = exporting.write_csv if format == "csv" else exporting.write_jsonl
    engine = make_engine(database_url())
    # Rows written to the terminal itself would be mixed with the bar.
    shown = out is not None and on_terminal()
    with reaching(engine), _output(out) as stream:
        uow = UnitOfWork(engine)
        total = exporting.export_count(uow=uow, since=first, until=last) if shown else None
        rows = exporting.export_cells(uow=uow, since=first, until=last, keys=keys)
        with progress_bar("Exporting leads", total, shown=shown) as advance:
            written = write(counted(rows, advance), exporting.columns(keys), stream)
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
