"""A message Baton may have posted already, found in its channel by the metadata it carries."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.slack.failures import error_code, transient

log = logging.getLogger(__name__)

# Slack's clock and this machine's may differ a little; a message is searched for from earlier.
CLOCK_SKEW = dt.timedelta(minutes=5)
HISTORY_PAGE = 200


def find_posted(client: WebClient, channel: str, metadata: Any,
                since: dt.datetime) -> dict[str, Any] | None:
    """The message in `channel` carrying `metadata`, posted since `since`; None if there is none
    (or Baton cannot read the channel, where it could not have posted either)."""
    if not isinstance(metadata, dict):
        return None
    oldest, cursor = f"{(since - CLOCK_SKEW).timestamp():.6f}", None
    while True:
        try:
            page = client.conversations_history(channel=channel, oldest=oldest, cursor=cursor,
                                                include_all_metadata=True, limit=HISTORY_PAGE)
        except SlackApiError as error:
            if transient(error):
                raise
            log.warning("Could not look for a card in %s (%s)", channel, error_code(error))
            return None
        for message in page.get("messages") or []:
            if _same(message.get("metadata"), metadata):
                return dict(message)
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None


def _same(found: Any, metadata: dict[str, Any]) -> bool:
    return isinstance(found, dict) and all(found.get(k) == metadata.get(k)
                                           for k in ("event_type", "event_payload"))
