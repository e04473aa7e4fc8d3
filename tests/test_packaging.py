"""A regular install (a wheel, as in a Docker image) carries the prompts and finds them itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baton.cli import app
from tests.conftest import PROMPTS_DIR, REPO

SKIPPED = shutil.ignore_patterns("__pycache__", "*.egg-info")


def _pip(*args: str) -> None:
    # No index and no build isolation: the dev install already holds setuptools, so this
    # needs no network.
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args,
                    "--no-index", "--no-deps", "--quiet"], check=True)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy so the build leaves nothing behind in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("src", "prompts"):
        shutil.copytree(REPO / name, source / name, ignore=SKIPPED)
    out = tmp_path_factory.mktemp("dist")
    _pip("wheel", "--no-build-isolation", "--wheel-dir", str(out), str(source))
    return next(out.glob("baton-*.whl"))


def _files(folder: Path) -> set[Path]:
    return {
        path.relative_to(folder) for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_source_file_and_the_shipped_prompts(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {name for name in archive.namelist() if ".dist-info/" not in name}
    package = {Path("baton") / path for path in _files(REPO / "src" / "baton")}
    prompts = {Path("baton/prompts") / path for path in _files(PROMPTS_DIR)}
    assert {Path(name) for name in names} == package | prompts


def test_an_installed_baton_checks_its_own_prompts_with_no_setting(
    wheel: Path, tmp_path: Path
) -> None:
    target, elsewhere = tmp_path / "site-packages", tmp_path / "elsewhere"
    elsewhere.mkdir()
    _pip("install", "--target", str(target), str(wheel))
    env = {key: value for key, value in os.environ.items() if key != "BATON_PROMPTS_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", "from baton.cli import main; main()", "check"],
        cwd=elsewhere, env={**env, "PYTHONPATH": str(target)},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"prompts OK: 5 frameworks, definition 2026-Q4.3 in {target / 'baton' / 'prompts'}\n"
    )


def test_from_the_checkout_baton_check_names_the_checkouts_prompts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    monkeypatch.delenv("BATON_PROMPTS_DIR", raising=False)
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0
    assert result.output == f"prompts OK: 5 frameworks, definition 2026-Q4.3 in {PROMPTS_DIR}\n"
