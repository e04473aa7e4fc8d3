"""`baton run` as an operator starts it: the installed command in a process of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.slack_spec.server import FakeSlack


def free_port() -> int:
    """A loopback port no one listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(port: int, timeout: float = 20.0) -> None:
    """Wait until `baton run` on `port` answers its health check."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                assert answer.status == 200
                return
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def start_baton_run(database_url: str, fake: FakeSlack, cwd: Path, port: int | None = None,
                    *, own_group: bool = False, **more: str) -> subprocess.Popen[str]:
    """`baton run` on `fake` over HTTP; with `own_group`, in a process group of its own, as a
    terminal's Ctrl-C reaches it."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("SLACK_", "BATON_", "DATABASE_URL", "PORT"))}
    environment.update(DATABASE_URL=database_url, SLACK_BOT_TOKEN=fake.token,
                       SLACK_SIGNING_SECRET="secret", SLACK_API_URL=fake.url,
                       PORT=str(port or free_port()), **more)
    baton = Path(sys.executable).parent / "baton"
    return subprocess.Popen([str(baton), "run"], cwd=cwd, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            process_group=0 if own_group else None)
