"""`baton seed` and `baton export` show a progress bar on a terminal and nothing when piped."""

from __future__ import annotations

import datetime as dt
import errno
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

BATON = Path(sys.executable).with_name("baton")
SINCE = (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).date().isoformat()
# Colours and cursor moves, so what remains reads as the terminal shows it.
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = "━"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A terminal's environment, with a SQLite database in the test's folder."""
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith(("BATON_", "DATABASE_URL", "FORCE_COLOR", "NO_COLOR", "TTY_"))}
    return kept | {"DATABASE_URL": f"sqlite:///{tmp_path / 'baton.db'}", "TERM": "xterm",
                   "COLUMNS": "120"}


def piped(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BATON), *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done


def on_a_terminal(env: dict[str, str], *args: str) -> str:
    """Run the command with stdout and stderr on a pseudo-terminal; all it showed there."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(BATON), *args], env=env, stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError as exc:  # Linux says EIO once the command has closed the terminal.
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0, shown.decode(errors="replace")
    return ESCAPES.sub("", shown.decode("utf-8", errors="replace"))


def test_piped_the_commands_print_their_one_line_and_no_bar(env: dict[str, str],
                                                            tmp_path: Path) -> None:
    seeded = piped(env, "seed", "--leads", "40", "--seed", "2")
    exported = piped(env, "export", "--since", SINCE, "--out", str(tmp_path / "leads.csv"))

    assert seeded.stdout.startswith("seeded sqlite:///")
    assert "40 leads" in seeded.stdout
    assert seeded.stdout.count("\n") == 1
    assert seeded.stderr == ""
    assert exported.stdout == ""
    assert re.fullmatch(r"exported \d+ leads\n", exported.stderr)


def test_rows_written_to_stdout_come_alone(env: dict[str, str]) -> None:
    piped(env, "seed", "--leads", "20")

    rows = piped(env, "export", "--since", SINCE).stdout

    assert rows.startswith("lead_id,company,")
    assert BAR not in rows
    assert "Exporting" not in rows


def test_on_a_terminal_seed_and_export_draw_a_bar(env: dict[str, str], tmp_path: Path) -> None:
    seeding = on_a_terminal(env, "seed", "--leads", "40", "--seed", "2")
    out = tmp_path / "leads.csv"
    exporting = on_a_terminal(env, "export", "--since", SINCE, "--out", str(out))

    assert "Seeding leads" in seeding
    assert "40/40" in seeding
    assert BAR in seeding
    assert "seeded sqlite:///" in seeding
    exported = len(out.read_text(encoding="utf-8").splitlines()) - 1
    assert "Exporting leads" in exporting
    assert f"{exported}/{exported}" in exporting
    assert f"exported {exported} leads" in exporting
