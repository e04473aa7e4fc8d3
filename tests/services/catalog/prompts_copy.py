"""A throwaway copy of the shipped prompts/ that a test can break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PROMPTS_DIR


def copy_prompts(tmp_path: Path) -> Path:
    """Copy prompts/ to tmp_path/prompts so problems are named 'prompts/...'."""
    target = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, target)
    return target


def edit(file: Path, old: str, new: str) -> None:
    """Replace one exact piece of text, failing loudly if the shipped file changed under us."""
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {file}"
    file.write_text(text.replace(old, new), encoding="utf-8")
