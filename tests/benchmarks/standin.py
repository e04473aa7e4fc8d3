"""The Slack stand-in in a process of its own, writing each call it answers as a JSON line.

Usage: python -m tests.benchmarks.standin TRANSCRIPT_FILE
Prints the Web API base URL on its first line, then serves until stopped. A process of its
own keeps the stand-in's work off the interpreter that times the requests. It plays Slack,
whose servers are not Baton's: on Linux it runs in the idle scheduling class, answering in the
CPU time that Baton, the floor and the load leave, so that what it spends checking each call
(0.5-0.8 ms of CPU) is not counted against Baton's acks.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

from baton.standin import Call
from tests.slack_spec.server import FakeSlack


class RecordingSlack(FakeSlack):
    """FakeSlack that writes its transcript to a file instead of keeping it in memory."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.out = out
        self._writing = threading.Lock()

    def record(self, call: Call) -> None:
        line = {"method": call.method, "args": call.args, "status": call.status,
                "response": call.response}
        with self._writing:
            self.out.write(json.dumps(line, default=str) + "\n")
            self.out.flush()


def main() -> None:
    if hasattr(os, "SCHED_IDLE"):  # before any thread: those it starts inherit the class
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    stopped = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with Path(sys.argv[1]).open("a", encoding="utf-8") as out, RecordingSlack(out) as slack:
        print(slack.url, flush=True)
        stopped.wait()


if __name__ == "__main__":
    main()
