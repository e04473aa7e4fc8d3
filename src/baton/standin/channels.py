"""Channels of the stand-in workspace as Slack keeps them: deleted, archived, private, with or
without the bot in them; joining one, and reading its history with each message's metadata."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, replace
from typing import Any

from baton.standin.errors import Answer, SlackError

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class Channel:
    """A channel's state; a channel never set is public, open, and has the bot in it."""

    exists: bool = True
    archived: bool = False
    private: bool = False
    member: bool = True


def truthy(value: Any) -> bool:
    """A boolean argument as Slack reads it, from JSON (true) or a form or query (1, "true")."""
    return value is True or str(value).lower() in ("1", "true")


class Channels:
    """The part of the workspace that knows channels (mixed into Workspace)."""

    channels: dict[str, Channel]
    messages: dict[tuple[str, str], dict[str, Any]]

    def channel_of(self, channel: str) -> str:
        raise NotImplementedError

    def channel(self, channel: str) -> Channel:
        return self.channels.get(channel, Channel())

    def check_post(self, channel: str) -> None:
        """Slack's refusal to post in `channel` as it stands, if it refuses."""
        if channel[:1] not in ("C", "G"):
            return
        state = self.channel(channel)
        if not state.exists:
            raise SlackError("channel_not_found")
        if state.archived:
            raise SlackError("is_archived")
        if not state.member:
            raise SlackError("not_in_channel")

    def conversations_join(self, args: dict[str, Any]) -> Answer:
        channel = str(args["channel"])
        state = self.channel(channel)
        if not state.exists:
            raise SlackError("channel_not_found")
        if state.archived:
            raise SlackError("is_archived")
        if state.private:
            raise SlackError("method_not_supported_for_channel_type")
        self.channels[channel] = replace(state, member=True)
        answer: Answer = {"channel": self._info(channel)}
        if state.member:
            answer |= {"warning": "already_in_channel",
                       "response_metadata": {"warnings": ["already_in_channel"]}}
        return answer

    def conversations_info(self, args: dict[str, Any]) -> Answer:
        channel = str(args["channel"])
        if not self.channel(channel).exists:
            raise SlackError("channel_not_found")
        return {"channel": self._info(channel)}

    def _info(self, channel: str) -> dict[str, Any]:
        state, is_im = self.channel(channel), channel.startswith("D")
        return {"id": channel, "name": channel.lower(), "is_channel": not is_im,
                "is_im": is_im, "is_private": state.private, "is_archived": state.archived,
                "is_member": state.member}

    def conversations_history(self, args: dict[str, Any]) -> Answer:
        """Top-level messages newest first, a page at a time; metadata only when asked for."""
        channel = self.channel_of(str(args["channel"]))
        state = self.channel(channel)
        if not state.exists:
            raise SlackError("channel_not_found")
        if channel[:1] in ("C", "G") and not state.member:
            raise SlackError("not_in_channel")
        oldest, latest = float(args.get("oldest") or 0), _latest(args)
        inclusive = truthy(args.get("inclusive"))
        found = sorted(
            (m for (c, ts), m in self.messages.items()
             if c == channel and m.get("thread_ts", ts) == ts
             and (oldest <= float(ts) if inclusive else oldest < float(ts))
             and float(ts) < latest),
            key=lambda m: float(m["ts"]), reverse=True)
        limit = int(args.get("limit") or HISTORY_LIMIT)
        page, more = found[:limit], len(found) > limit
        keep = truthy(args.get("include_all_metadata"))
        return {
            "messages": [m if keep else {k: v for k, v in m.items() if k != "metadata"}
                         for m in page],
            "has_more": more, "pin_count": 0, "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": _cursor(page[-1]["ts"]) if more else ""},
        }


def _cursor(ts: str) -> str:
    """An opaque cursor, as Slack's are: the next page starts before this message."""
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _latest(args: dict[str, Any]) -> float:
    """Where the page ends: before the cursor's message, or `latest`, or now."""
    cursor = str(args.get("cursor") or "")
    if cursor:
        try:
            kind, _, ts = base64.b64decode(cursor, validate=True).decode().partition(":")
            if kind == "next_ts":
                return float(ts)
        except ValueError:
            pass
        raise SlackError("invalid_cursor")
    return float(args["latest"]) if args.get("latest") else math.inf
