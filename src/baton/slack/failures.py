"""How Slack failed a call: worth trying again later, or final, and in what words."""

from __future__ import annotations

import datetime as dt

from slack_sdk.errors import SlackApiError, SlackClientError

# Slack errors that a later try can cure; every other error is final.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def transient(error: Exception) -> bool:
    """Whether a later try may succeed: rate limits, Slack's own failures and outages, and
    connections refused, dropped or timed out."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status == 429 or status >= 500 or error_code(error) in TRANSIENT_ERRORS
    # OSError covers URLError, refused connections and timeouts: Slack may come back.
    return isinstance(error, OSError | SlackClientError)


def error_code(error: SlackApiError) -> str:
    """Slack's error code, as its answer gave it."""
    answer = error.response.data if isinstance(error.response.data, dict) else {}
    return str(answer.get("error", "no error code"))


def describe(error: Exception) -> str:
    """A failure in one line, for the log and for the outbox row: `HTTP 200: is_archived`."""
    if isinstance(error, SlackApiError):
        return f"HTTP {error.response.status_code}: {error_code(error)}"
    return repr(error)


def retry_after(error: Exception) -> dt.timedelta | None:
    """How long Slack asked Baton to wait, when it said; None leaves it to the outbox."""
    if not isinstance(error, SlackApiError) or error.response.status_code != 429:
        return None
    headers = error.response.headers
    value = headers.get("Retry-After") or headers.get("retry-after")
    seconds = int(value) if str(value or "").isdigit() else 0
    return dt.timedelta(seconds=seconds) if seconds else None
