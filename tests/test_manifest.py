"""app_manifest.yaml creates a Slack app with exactly what the code registers and calls."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.slack_spec.scan import Uses, scan_package, scan_sources
from tests.slack_spec.specs import bot_scopes, event_scopes, manifest_schema

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "app_manifest.yaml"


def schema_problems(manifest: dict[str, Any]) -> list[str]:
    """Where the manifest breaks Slack's manifest schema 1.0.0."""
    validator = jsonschema.Draft7Validator(manifest_schema("1.0.0"))
    return [
        f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(manifest)
    ]


def _declared_events(manifest: dict[str, Any]) -> set[str]:
    subscriptions = manifest.get("settings", {}).get("event_subscriptions", {})
    return set(subscriptions.get("bot_events", []))


def listener_problems(manifest: dict[str, Any], uses: Uses) -> list[str]:
    """Commands, events and interactivity the code and the manifest disagree on."""
    problems: list[str] = []
    declared = {c["command"]: c for c in manifest.get("features", {}).get("slash_commands", [])}
    for command in sorted(uses.commands - set(declared)):
        problems.append(f"features.slash_commands: {command} is registered but not declared")
    for command in sorted(set(declared) - uses.commands):
        problems.append(f"features.slash_commands: {command} is declared but nothing handles it")
    for command in sorted(uses.commands & set(declared)):
        if not str(declared[command].get("usage_hint", "")).strip():
            problems.append(f"features.slash_commands: {command} has no usage_hint")
    events = _declared_events(manifest)
    heard = {e.split(".")[0] for e in events}
    for event in sorted(uses.events - heard):
        problems.append(f"settings.event_subscriptions.bot_events: {event} is listened to, missing")
    for event in sorted(e for e in events if e.split(".")[0] not in uses.events):
        problems.append(f"settings.event_subscriptions.bot_events: {event} has no listener")
    enabled = bool(manifest.get("settings", {}).get("interactivity", {}).get("is_enabled"))
    if enabled != bool(uses.interactive):
        problems.append(
            f"settings.interactivity.is_enabled is {enabled} but the code has "
            f"{sorted(uses.interactive) or 'no'} interactive listeners"
        )
    return problems


def scope_problems(manifest: dict[str, Any], uses: Uses) -> list[str]:
    """Scopes missing for what the code calls and hears, and scopes nothing needs."""
    declared = set(manifest.get("oauth_config", {}).get("scopes", {}).get("bot", []))
    needs = {f"Web API method {m}": bot_scopes(m) for m in sorted(uses.methods)}
    needs |= {f"event {e}": event_scopes(e) for e in sorted(_declared_events(manifest))}
    if uses.commands:
        needs["slash commands"] = ["commands"]
    if "users.info" in uses.methods:
        # Slack's users.info answers profile.email only with this scope as well.
        needs["users.info's profile.email"] = ["users:read.email"]
    problems = [
        f"oauth_config.scopes.bot: {what} needs one of {scopes}"
        for what, scopes in needs.items()
        if scopes and not declared & set(scopes)
    ]
    wanted = {scope for scopes in needs.values() for scope in scopes}
    problems += [
        f"oauth_config.scopes.bot: {scope} is declared but nothing needs it"
        for scope in sorted(declared - wanted)
    ]
    return problems


def readme_socket_mode(readme: str) -> bool | None:
    """Whether the README runs Baton in Socket Mode (None when it does not say)."""
    if re.search(r"socket[ -]mode", readme, re.IGNORECASE):
        return True
    if re.search(r"/slack/events", readme):
        return False
    return None


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    assert MANIFEST.is_file(), f"{MANIFEST} is missing"
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def uses() -> Uses:
    return scan_package(REPO / "src" / "baton")


def test_manifest_matches_slack_schema(manifest: dict[str, Any]) -> None:
    problems = schema_problems(manifest)
    assert not problems, "\n".join(problems)


def test_manifest_declares_the_listeners_the_code_has(manifest: dict[str, Any], uses: Uses) -> None:
    problems = listener_problems(manifest, uses)
    assert not problems, "\n".join(problems)


def test_manifest_scopes_are_exactly_the_needed_ones(manifest: dict[str, Any], uses: Uses) -> None:
    problems = scope_problems(manifest, uses)
    assert not problems, "\n".join(problems)


def test_socket_mode_matches_the_readme(manifest: dict[str, Any]) -> None:
    says = readme_socket_mode((REPO / "README.md").read_text(encoding="utf-8"))
    if says is None:
        pytest.skip("README.md does not say whether Baton runs in Socket Mode or over HTTP")
    assert manifest["settings"].get("socket_mode_enabled", False) is says


SAMPLE_CODE = """
QUALIFY = "/qualify"

def register(app):
    app.command(QUALIFY)(qualify)
    app.event("app_mention")(mention)
    app.event("message")(note)
    app.action("claim")(claim)

def claim(ack, client):
    client.chat_postMessage(channel=client.conversations_open(users="U1")["channel"]["id"])
"""


def sample_manifest() -> dict[str, Any]:
    return {
        "display_information": {"name": "Baton"},
        "features": {
            "bot_user": {"display_name": "Baton"},
            "slash_commands": [
                {"command": "/qualify", "description": "Qualify", "usage_hint": "[company]"}
            ],
        },
        "oauth_config": {
            "scopes": {
                "bot": ["commands", "chat:write", "im:write", "app_mentions:read", "im:history"]
            }
        },
        "settings": {
            "event_subscriptions": {"bot_events": ["app_mention", "message.im"]},
            "interactivity": {"is_enabled": True},
            "socket_mode_enabled": True,
        },
    }


def all_problems(manifest: dict[str, Any]) -> list[str]:
    uses = scan_sources([SAMPLE_CODE])
    found = schema_problems(manifest)
    return found + listener_problems(manifest, uses) + scope_problems(manifest, uses)


def test_a_manifest_matching_the_code_passes() -> None:
    assert all_problems(sample_manifest()) == []


def test_each_disagreement_is_named() -> None:
    manifest = sample_manifest()
    del manifest["features"]["slash_commands"][0]["usage_hint"]
    manifest["settings"]["event_subscriptions"]["bot_events"] = ["message.im"]
    manifest["settings"]["interactivity"]["is_enabled"] = False
    manifest["oauth_config"]["scopes"]["bot"] = ["commands", "im:write", "im:history", "pins:write"]
    assert all_problems(manifest) == [
        "features.slash_commands: /qualify has no usage_hint",
        "settings.event_subscriptions.bot_events: app_mention is listened to, missing",
        "settings.interactivity.is_enabled is False but the code has ['action'] interactive"
        " listeners",
        "oauth_config.scopes.bot: Web API method chat.postMessage needs one of ['chat:write']",
        "oauth_config.scopes.bot: pins:write is declared but nothing needs it",
    ]


def test_schema_problems_name_the_field() -> None:
    manifest = sample_manifest()
    manifest["settings"]["socket_mode_enabled"] = "yes"
    del manifest["display_information"]
    problems = schema_problems(manifest)
    assert any(p.startswith("settings.socket_mode_enabled") for p in problems)
    assert any("display_information" in p for p in problems)


def test_readme_socket_mode_reading() -> None:
    assert readme_socket_mode("Runs in Socket Mode when SLACK_APP_TOKEN is set") is True
    assert readme_socket_mode("Slack posts to https://host/slack/events") is False
    assert readme_socket_mode("Baton qualifies leads") is None
