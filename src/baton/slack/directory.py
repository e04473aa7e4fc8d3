"""Who is who, as Slack lists it: the managers of BATON_MANAGERS and a team channel's members."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.services.pipeline import ChannelsUnavailable, ChannelUnreadable
from baton.services.runner import ManagerDirectory, ManagersUnavailable
from baton.services.slack_members import KeptMembers

log = logging.getLogger(__name__)

MEMBERS_TTL = 300.0
PAGE_SIZE = 200
# Slack errors that will not pass by waiting: Baton must be invited, or reinstalled with a scope.
_FINAL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "missing_scope",
                           "method_not_supported_for_channel_type", "not_allowed_token_type"})


class Managers:
    """Answers "may this person see the team's numbers?", failing closed when Slack cannot say."""

    def __init__(self, directory: ManagerDirectory, named: list[str]) -> None:
        self._directory = directory
        self._people = {item for item in named if not item.startswith("S")}

    def is_manager(self, user_id: str) -> bool:
        """True for a manager named directly or, as Slack last listed it, through a user group."""
        if user_id in self._people:
            return True
        try:
            return user_id in self._directory.users()
        except ManagersUnavailable as error:
            # Never show team numbers on a guess: this person sees their own until Slack answers.
            log.warning("Could not check whether %s is a manager: %s", user_id, error)
            return False


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
