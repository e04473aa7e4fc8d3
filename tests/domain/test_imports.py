"""The domain layer speaks only Python and pydantic: no Slack, database, templates or YAML."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import baton.domain

DOMAIN = Path(baton.domain.__file__).parent
FORBIDDEN = {"slack_bolt", "slack_sdk", "sqlmodel", "sqlalchemy", "jinja2", "yaml"}


def imported_modules(path: Path) -> list[str]:
    """Every absolute module name a file imports; relative imports stay inside the package."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def allowed(module: str) -> bool:
    top = module.partition(".")[0]
    if top in FORBIDDEN:
        return False
    return top in sys.stdlib_module_names or top == "pydantic" or (
        module == "baton.domain" or module.startswith("baton.domain.")
    )


MODULES = sorted(DOMAIN.rglob("*.py"))


def test_the_domain_has_modules_to_check() -> None:
    assert {"framework.py", "scoring.py", "parsing.py"} <= {p.name for p in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_domain_modules_import_only_stdlib_pydantic_and_the_domain(path: Path) -> None:
    bad = [name for name in imported_modules(path) if not allowed(name)]
    assert bad == [], f"{path.name} imports {', '.join(bad)}"


@pytest.mark.parametrize(
    ("module", "ok"),
    [("datetime", True), ("pydantic", True), ("baton.domain.lead", True), ("yaml", False),
     ("sqlmodel", False), ("slack_sdk.web", False), ("baton.store.tables", False),
     ("baton.services", False), ("requests", False)],
)
def test_the_check_tells_allowed_from_forbidden(module: str, ok: bool) -> None:
    assert allowed(module) is ok
