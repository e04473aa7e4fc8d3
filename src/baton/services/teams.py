"""Who is on a team: the members of its Slack channel, listed page by page and kept briefly."""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.services.slack_members import KeptMembers

MEMBERS_TTL = 300.0
PAGE_SIZE = 200
# Slack errors that will not pass by waiting: Baton must be invited, or reinstalled with a scope.
_FINAL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "missing_scope",
                           "method_not_supported_for_channel_type", "not_allowed_token_type"})


class ChannelUnreadable(RuntimeError):
    """Slack refuses to list this channel's members until someone changes something."""

    def __init__(self, channel: str, error: str) -> None:
        super().__init__(f"channel {channel}: {error}")
        self.channel, self.error = channel, error


class ChannelsUnavailable(RuntimeError):
    """Slack could not say, for now, who is in a channel."""


class TeamChannels:
    """A channel's members as Slack lists them, kept for a few minutes per channel."""

    def __init__(self, client: WebClient, *, ttl: float = MEMBERS_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._channels = KeptMembers(what="channel", unavailable=ChannelsUnavailable, ttl=ttl,
                                     clock=clock)

    def members(self, channel: str) -> list[str]:
        """Every member's user id; raises ChannelUnreadable or ChannelsUnavailable."""
        # A refusal is not kept: once Baton is invited, the next ask succeeds.
        return self._channels.get(channel, lambda: self._list(channel))

    def _list(self, channel: str) -> list[str]:
        users: list[str] = []
        cursor = ""
        while True:
            try:
                page = self._client.conversations_members(channel=channel, limit=PAGE_SIZE,
                                                          cursor=cursor or None)
            except SlackApiError as error:
                code = str(error.response.get("error", ""))
                if code in _FINAL_ERRORS:
                    raise ChannelUnreadable(channel, code) from error
                raise
            users.extend(page["members"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return list(dict.fromkeys(users))
