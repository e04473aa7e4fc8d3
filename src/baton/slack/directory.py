"""Who is who, as Slack lists it: the managers of BATON_MANAGERS and a team channel's members,
each list kept briefly and used through Slack's outages."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from baton.services.handoff import MembersUnavailable
from baton.services.pipeline import ChannelsUnavailable, ChannelUnreadable

log = logging.getLogger(__name__)

KEPT_FOR = 300.0
MEMBERS_TTL = 300.0
GROUP_TTL = 300.0
PAGE_SIZE = 200
# Slack errors that say a group will never expand (a wrong id, a missing scope), unlike an outage.
_FINAL_GROUP_ERRORS = frozenset(
    {"no_such_subteam", "missing_scope", "not_allowed_token_type", "invalid_arguments"})
# Slack errors that will not pass by waiting: Baton must be invited, or reinstalled with a scope.
_FINAL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "missing_scope",
                           "method_not_supported_for_channel_type", "not_allowed_token_type"})


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


def group_members(client: WebClient, group: str, *, whose: str, meaning: str) -> list[str]:
    """A user group's members as Slack lists them; none, logged with what that means, when
    Slack says the group will never expand (a wrong id, a missing scope)."""
    try:
        return list(client.usergroups_users_list(usergroup=group)["users"])
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        if code not in _FINAL_GROUP_ERRORS:
            raise
        log.error("%sSlack cannot list user group %s (%s); %s", whose, group, code, meaning)
        return []


class ManagersUnavailable(RuntimeError):
    """Slack could not say, for now, who is in a managers' user group."""


class ManagerDirectory:
    """BATON_MANAGERS as people: user groups (S...) expanded through Slack, kept briefly."""

    def __init__(self, client: WebClient, managers: Sequence[str], *, ttl: float = GROUP_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client, self._managers = client, list(managers)
        # Better the members Slack last named than escalating to nobody while it is failing.
        self._groups = KeptMembers(what="user group", unavailable=ManagersUnavailable, ttl=ttl,
                                   clock=clock)

    def users(self) -> list[str]:
        """Every manager's user id, once each, in the order BATON_MANAGERS names them."""
        found: list[str] = []
        for manager in self._managers:
            members = self._members(manager) if manager.startswith("S") else [manager]
            found.extend(user for user in members if user not in found)
        return found

    def _members(self, group: str) -> list[str]:
        return self._groups.get(group, lambda: self._list(group))

    def _list(self, group: str) -> list[str]:
        return group_members(self._client, group, whose="BATON_MANAGERS: ",
                             meaning="its members are not told of unclaimed handoffs")


class UserGroups:
    """A rotation's user groups (S...) as Slack lists their members, kept briefly."""

    def __init__(self, client: WebClient, *, ttl: float = GROUP_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._groups = KeptMembers(what="user group", unavailable=MembersUnavailable, ttl=ttl,
                                   clock=clock)

    def members(self, group: str) -> list[str]:
        """The group's members; MembersUnavailable while Slack cannot say and never has."""
        return self._groups.get(group, lambda: self._list(group))

    def _list(self, group: str) -> list[str]:
        return group_members(self._client, group, whose="",
                             meaning="the routing rule's round robin has none of its members")


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
