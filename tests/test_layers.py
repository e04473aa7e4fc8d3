"""One direction of dependencies: slack -> services -> domain <- store, imports in functions too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "baton"
FORBIDDEN = {
    "domain": ("baton.store", "baton.services", "baton.slack", "baton.cli", "baton.runtime"),
    "store": ("baton.services", "baton.slack", "baton.cli", "baton.runtime"),
    "services": ("baton.slack", "slack_bolt", "slack_sdk", "baton.cli", "baton.runtime"),
    "slack": ("baton.store", "baton.cli", "baton.runtime"),
}


def imported(source: str, module: str) -> Iterator[tuple[int, str]]:
    """Every module a source imports, with its line: at the top, in functions, when typing."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            yield node.lineno, base
            # `from baton import slack` imports the module baton.slack.
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def violations(layer: str) -> list[str]:
    """Each import of a layer that points the wrong way, as "file:line imports name"."""
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        for line, name in imported(path.read_text(encoding="utf-8"), module):
            if any(name == banned or name.startswith(f"{banned}.")
                   for banned in FORBIDDEN[layer]):
                found.append(f"{path.relative_to(SRC)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(layer: str) -> None:
    assert len(list((PACKAGE / layer).rglob("*.py"))) > 1
    assert violations(layer) == []


def test_the_walk_sees_lazy_relative_and_from_package_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from baton.slack.views import Message\n"
        "def render():\n    from baton.slack import handoff_views\n"
        "from ..slack import ids\n"
        "from baton import runtime\n"
        "import slack_bolt.app\n"
    )
    names = {name for _, name in imported(source, "baton.services.card")}
    assert {"baton.slack.views", "baton.slack.handoff_views", "baton.slack.ids",
            "baton.runtime", "slack_bolt.app"} <= names
