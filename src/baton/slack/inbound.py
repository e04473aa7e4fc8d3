"""Checks on what reaches Baton before anything reads it: the signature, then the shape; and
the one place text from Slack is cleaned of what the database refuses."""

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


class Malformed(ValueError):
    """A signed body that is not a request Slack sends; str() says why."""


def read_body(text: str, content_type: str) -> dict[str, Any]:
    """The body as Slack meant it: the JSON object, the interactive payload, or the command's
    fields. Read by the field names, not by searching the text: a command whose text says
    "payload" is still a command. Malformed when it is not a request Slack sends."""
    if content_type == "application/json" or text.startswith("{"):
        return _object(text, "the JSON body")
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _object(fields["payload"], "the payload field")
    if not any(kind in fields for kind in FORM_KINDS):
        raise Malformed("a form that is neither a slash command nor an interactive payload")
    return fields


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise Malformed(f"{what} is not JSON") from None
    if not isinstance(parsed, dict):
        raise Malformed(f"{what} is a JSON {type(parsed).__name__}, not an object")
    reason = _shape_reason(parsed, what)
    if reason is not None:
        raise Malformed(reason)
    return parsed


def without_nul(value: Any) -> Any:
    """Text as PostgreSQL can store it: every NUL character, which it refuses in text, dropped."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


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
