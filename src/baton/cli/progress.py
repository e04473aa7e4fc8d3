"""A progress bar for long commands, drawn on a terminal only: piped, they stay quiet."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

Advance = Callable[[int], None]
T = TypeVar("T")


def on_terminal() -> bool:
    """Both stdout and stderr are a terminal that can redraw a line."""
    from rich.console import Console

    return (sys.stdout.isatty() and sys.stderr.isatty()
            and not Console(stderr=True).is_dumb_terminal)


@contextmanager
def progress_bar(description: str, total: int | None, *, shown: bool) -> Iterator[Advance]:
    """Yield a function that moves the bar on by n; without `shown` it does nothing."""
    if not shown:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), redirect_stdout=False,
                  redirect_stderr=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


def counted(items: Iterable[T], advance: Advance, every: int = 1000) -> Iterator[T]:
    """The items, moving the bar on every `every` of them and at the end."""
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            advance(pending)
            pending = 0
    advance(pending)
