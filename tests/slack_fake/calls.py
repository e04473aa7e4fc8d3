"""What FakeSlack records of each request, and the required arguments Slack's specs name."""

from __future__ import annotations

from typing import Any

from baton.standin.calls import JSON_ARGS, Call, Failure, decode_args
from tests.slack_fake.specs import required_args

__all__ = ["JSON_ARGS", "ONE_OF_ARGS", "Call", "Failure", "decode_args", "missing_args"]

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
