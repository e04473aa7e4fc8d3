"""Member lists Slack gives (a user group's, a channel's), kept briefly and used through outages."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

KEPT_FOR = 300.0


class KeptMembers:
    """Lists fresh for `ttl` seconds each; while Slack fails, the last one it gave stands in."""

    def __init__(self, *, what: str, unavailable: type[Exception], ttl: float = KEPT_FOR,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._what, self._unavailable, self._ttl, self._clock = what, unavailable, ttl, clock
        self._kept: dict[str, tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], list[str]]) -> list[str]:
        """The list for `key`, loaded again once it is stale; `unavailable` when none can be had."""
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and self._clock() - kept[0] < self._ttl:
            return kept[1]
        try:
            users = load()
        except (SlackApiError, OSError, SlackClientError) as error:
            reason = _reason(error)
            if kept is None:
                raise self._unavailable(f"{self._what} {key}: {reason}") from error
            # The members Slack last named are closer to the truth than no answer while it fails.
            log.warning("Using the members Slack last listed for %s %s: %s", self._what, key,
                        reason)
            return kept[1]
        with self._lock:
            self._kept[key] = (self._clock(), users)
        return users


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"HTTP {error.response.status_code}: {error.response.get('error', '')}"
    return repr(error)
