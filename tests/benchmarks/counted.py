"""`baton` with its database work counted, by the thread doing it, through SQLAlchemy events.

Usage: python -m tests.benchmarks.counted COUNTS_FILE run
Runs the `baton` command unchanged; on SIGUSR1 each of its processes (`baton run` and its
worker) writes its counts so far as JSON beside COUNTS_FILE, named with its pid
(processes.counts_path). Threads of the background sender and SLA tick count as "background",
all others as "requests".
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from tests.benchmarks.processes import counts_path

BACKGROUND_THREADS = ("baton-outbox", "baton-sla")
EVENTS = {"begin": "transactions", "commit": "commits", "rollback": "rollbacks",
          "savepoint": "savepoints", "before_cursor_execute": "statements"}

_counts: Counter[str] = Counter()
_lock = threading.Lock()


def _add(what: str) -> None:
    side = "background" if threading.current_thread().name.startswith(BACKGROUND_THREADS) \
        else "requests"
    with _lock:
        _counts[f"{side} {what}"] += 1


def _counting(what: str) -> Callable[..., None]:
    def listener(*_args: Any, **_kwargs: Any) -> None:
        _add(what)

    return listener


def _checkout(_dbapi_connection: Any, _record: Any, proxy: Any) -> None:
    _add("checkouts")
    # With pool_pre_ping, each checkout first asks the database whether the connection lives.
    if getattr(getattr(proxy, "_pool", None), "_pre_ping", False):
        _add("pings")


def listen() -> None:
    """Count on every engine and pool this process makes."""
    for name, what in EVENTS.items():
        event.listen(Engine, name, _counting(what))
    event.listen(Pool, "checkout", _checkout)


def dump_on_signal(path: Path) -> None:
    dumps = 0

    def dump(_signum: int, _frame: FrameType | None) -> None:
        nonlocal dumps
        dumps += 1
        with _lock:
            snapshot = {"dumps": dumps, "counts": dict(_counts)}
        final = counts_path(path, os.getpid())
        written = final.with_suffix(".tmp")
        written.write_text(json.dumps(snapshot))
        written.replace(final)

    signal.signal(signal.SIGUSR1, dump)


def main() -> None:
    path, arguments = Path(sys.argv[1]), sys.argv[2:]
    listen()
    dump_on_signal(path)
    sys.argv = ["baton", *arguments]
    from baton.cli import main as baton

    baton()


if __name__ == "__main__":
    main()
