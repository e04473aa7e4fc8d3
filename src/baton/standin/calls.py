"""What the stand-in records of each request, and how it reads a request's arguments."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Arguments Slack accepts as JSON text inside a form field.
JSON_ARGS = ("blocks", "view", "attachments", "files", "metadata")


@dataclass(frozen=True)
class Call:
    """One request the stand-in received and what it answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """A scripted failure: the next `times` calls of a method get this status and error."""

    status: int
    error: str
    retry_after: int
    times: int


def decode_args(raw: dict[str, Any]) -> dict[str, Any]:
    """Arguments as the bot meant them: JSON-in-a-form-field decoded (left as text if invalid)."""
    args = dict(raw)
    for key in JSON_ARGS:
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except json.JSONDecodeError:
                pass
    return args
