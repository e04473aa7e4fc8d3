"""Checks on what reaches /slack/events before anything reads it: the signature, then the shape."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qsl

# Slack's own rule: a request signed more than five minutes from now may be a replay.
MAX_AGE_SECONDS = 5 * 60
# A form body is one of these: a slash command, an interactive payload, or Slack's SSL check.
FORM_KINDS = ("command", "payload", "ssl_check")


def unsigned_reason(
    body: bytes, timestamp: str | None, signature: str | None, *, secret: str, now: float
) -> str | None:
    """Why these raw bytes were not signed by Slack with `secret`; None when they were."""
    if not timestamp:
        return "no X-Slack-Request-Timestamp header"
    if not (timestamp.isascii() and timestamp.isdigit()):
        return "a request timestamp that is not a number"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "a request timestamp more than five minutes away"
    if not signature:
        return "no X-Slack-Signature header"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "a signature that does not match the signing secret"
    return None


def malformed_reason(text: str, content_type: str) -> str | None:
    """Why a signed body is not a request Slack sends; None when it reads as one."""
    # Bolt reads a body as JSON on this same rule, so both agree on what the body is.
    if content_type == "application/json" or text.startswith("{"):
        return _object_reason(text, "the JSON body")
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _object_reason(fields["payload"], "the payload field")
    if not any(kind in fields for kind in FORM_KINDS):
        return "a form that is neither a slash command nor an interactive payload"
    return None


def _object_reason(text: str, what: str) -> str | None:
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return f"{what} is not JSON"
    if not isinstance(parsed, dict):
        return f"{what} is a JSON {type(parsed).__name__}, not an object"
    return _shape_reason(parsed, what)


def _shape_reason(body: dict[str, Any], what: str) -> str | None:
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return f"{what} has no type"
    if kind == "block_actions" and not _actions(body.get("actions")):
        return f"{what} is a block_actions with no actions"
    if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
        return f"{what} is a {kind} with no view"
    if kind == "event_callback" and not _event(body.get("event")):
        return f"{what} is an event_callback with no event"
    return None


def _actions(actions: Any) -> bool:
    return (isinstance(actions, list) and bool(actions)
            and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions))


def _event(event: Any) -> bool:
    return isinstance(event, dict) and isinstance(event.get("type"), str)
