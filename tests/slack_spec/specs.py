"""Slack's published specifications (manifest schema, Web API methods, events) as test oracles."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# Copied from Slack's published references (data/README.md names the sources and licences).
SPECS_DIR = Path(__file__).resolve().parent / "data"
# events.json spells this one scope with a dot; Slack's real scope name has a colon.
SCOPE_SPELLING = {"app_mentions.read": "app_mentions:read"}


@cache
def _load(relative: str) -> Any:
    path = SPECS_DIR / relative
    if not path.is_file():
        raise FileNotFoundError(f"Slack spec {path} is missing from tests/slack_spec/data")
    return json.loads(path.read_text(encoding="utf-8"))


def manifest_schema(version: str = "1.0.0") -> dict[str, Any]:
    """The JSON Schema of Slack's app manifest."""
    return _load(f"manifest.schema.{version}.json")


@cache
def known_methods() -> tuple[str, ...]:
    """Every Web API method with a spec file."""
    return tuple(sorted(p.stem for p in (SPECS_DIR / "methods").glob("*.json")))


def method_spec(method: str) -> dict[str, Any] | None:
    """The spec of one Web API method, or None when Slack's reference here lacks it."""
    if method not in known_methods():
        return None
    return _load(f"methods/{method}.json")


def required_args(method: str) -> list[str]:
    """Arguments Slack refuses the call without (the token included)."""
    spec = method_spec(method)
    return list(spec["args"].get("required", [])) if spec else []


def bot_scopes(method: str) -> list[str]:
    """Bot scopes of which a method needs one (empty when it needs none)."""
    spec = method_spec(method)
    if spec is None:
        raise KeyError(f"no spec for Web API method {method!r} in {SPECS_DIR / 'methods'}")
    return list(spec.get("scope", {}).get("bot", []))


@cache
def _events() -> dict[str, list[str]]:
    return {
        event["name"]: [SCOPE_SPELLING.get(s, s) for s in event.get("scopes", [])]
        for event in _load("events.json")
    }


def event_scopes(event: str) -> list[str]:
    """Scopes of which an Events API event (e.g. `message.im`) needs one."""
    events = _events()
    if event not in events:
        raise KeyError(f"unknown Events API event {event!r} (not in {SPECS_DIR / 'events.json'})")
    return events[event]


# Slack needs one of these although its spec marks none of them required.
ONE_OF_ARGS = {
    "views.open": ("trigger_id", "interactivity_pointer"),
    "views.push": ("trigger_id", "interactivity_pointer"),
    "views.update": ("view_id", "external_id"),
    "conversations.open": ("users", "channel"),
}


def missing_args(method: str, args: dict[str, Any]) -> list[str]:
    """The required arguments of a call that are absent or empty."""
    missing = [a for a in required_args(method) if a != "token" and args.get(a) in (None, "")]
    alternatives = ONE_OF_ARGS.get(method, ())
    if alternatives and all(args.get(a) in (None, "") for a in alternatives):
        missing.append(" or ".join(alternatives))
    return missing
