"""What the code asks of Slack: commands, events, interactivity and Web API methods, read by ast."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from slack_sdk import WebClient

INTERACTIVE = {"action", "view", "view_submission", "view_closed", "shortcut", "options"}
# WebClient helpers that call more than one Web API method.
COMPOSITE = {"files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}


@dataclass
class Uses:
    """What a body of code registers with Bolt and calls on Slack's Web API."""

    commands: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    interactive: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)


def constants(trees: Iterable[ast.AST]) -> dict[str, str]:
    """Every `NAME = "text"` assignment, so listeners registered by constant resolve."""
    found: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        found[target.id] = node.value.value
    return found


def _text(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name | ast.Attribute):
        return names.get(node.id if isinstance(node, ast.Name) else node.attr)
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "type":
                return _text(value, names)
    return None


def web_api_methods(name: str) -> tuple[str, ...]:
    """The Web API methods one WebClient method calls (chat_postMessage -> chat.postMessage)."""
    if name in COMPOSITE:
        return COMPOSITE[name]
    if "_" in name and not name.startswith("_") and callable(getattr(WebClient, name, None)):
        return (name.replace("_", "."),)
    return ()


def _queued(call: ast.Call, names: dict[str, str]) -> str | None:
    """The Web API method an outbox `enqueue(kind=...)` call will send later."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name != "enqueue":
        return None
    kinds = [_text(k.value, names) for k in call.keywords if k.arg == "kind"]
    # A write queued for the team's CRM (crm.write) goes to the CRM, not to Slack.
    return kinds[0] if kinds and not str(kinds[0]).startswith("crm.") else None


def _record(call: ast.Call, names: dict[str, str], uses: Uses) -> None:
    func = call.func
    queued = _queued(call, names)
    if queued:
        uses.methods.add(queued)
    if isinstance(func, ast.Name) and func.id == "say":
        uses.methods.add("chat.postMessage")
    if not isinstance(func, ast.Attribute):
        return
    first = _text(call.args[0], names) if call.args else None
    receiver = func.value.id if isinstance(func.value, ast.Name) else ""
    # Bolt apps are named app or *_app; typer's apps register commands without a slash.
    bolt = receiver.endswith("app")
    if bolt and func.attr == "command" and first and first.startswith("/"):
        uses.commands.add(first)
    elif bolt and func.attr == "event" and first:
        uses.events.add(first)
    elif bolt and func.attr == "message":
        uses.events.add("message")
    elif bolt and func.attr in INTERACTIVE:
        uses.interactive.add(func.attr)
    elif func.attr == "api_call":
        # A method named at run time (the outbox sending what was queued) is counted where
        # it is queued, by enqueue(kind=...); only literal names count here.
        if first:
            uses.methods.add(first)
    else:
        uses.methods.update(web_api_methods(func.attr))


def scan_sources(sources: Iterable[str]) -> Uses:
    """What these Python sources register and call."""
    trees = [ast.parse(source) for source in sources]
    names = constants(trees)
    uses = Uses()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                _record(node, names, uses)
    return uses


def scan_package(root: Path) -> Uses:
    """What every module under `root` registers and calls."""
    return scan_sources(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py")))
