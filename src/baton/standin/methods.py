"""The workspace behind the stand-in Web API: what each method answers and the state it keeps."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from baton.standin import payloads
from baton.standin.channels import Channel, Channels
from baton.standin.errors import Answer, SlackError

__all__ = ["Answer", "SlackError", "Workspace"]


class Workspace(Channels):
    """Messages, DMs, views, users, user groups and uploads of one stand-in Slack workspace."""

    def __init__(self, *, team_id: str, bot_user_id: str, upload_base: str) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.upload_base = upload_base
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.dms: dict[str, str] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.members: dict[str, list[str]] = {}
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        # Hands out a Socket Mode URL; the stand-in sets it (see SlackStandIn.socket_mode).
        self.socket_url: Callable[[], str] | None = None
        self._lock = threading.Lock()
        self._exchanged: set[str] = set()
        self._last_ts = 0
        self._ids = itertools.count(1)

    def next_ts(self) -> str:
        """A message ts as Slack's: the time it was posted, strictly increasing, never repeated."""
        with self._lock:
            self._last_ts = max(int(time.time() * 1_000_000), self._last_ts + 1)
            seconds, micros = divmod(self._last_ts, 1_000_000)
            return f"{seconds}.{micros:06d}"

    def new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}{next(self._ids):08d}"

    def dm_for(self, user: str) -> str:
        """The D... channel of the bot's DM with a user, the same on every call."""
        with self._lock:
            return self.dms.setdefault(user, f"D{user.lstrip('UW')}{len(self.dms):03d}")

    def channel_of(self, channel: str) -> str:
        return self.dm_for(channel) if channel[:1] in {"U", "W"} else channel

    def handler(self, method: str) -> Callable[[dict[str, Any]], Answer] | None:
        return getattr(self, method.replace(".", "_"), None)

    def _message(self, channel: str, ts: str) -> dict[str, Any]:
        found = self.messages.get((channel, ts))
        if found is None:
            raise SlackError("message_not_found")
        return found

    def auth_test(self, args: dict[str, Any]) -> Answer:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "user": "baton",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": "B0BATON",
        }

    def apps_connections_open(self, args: dict[str, Any]) -> Answer:
        if self.socket_url is None:
            raise SlackError("internal_error")
        return {"url": self.socket_url()}

    def chat_postMessage(self, args: dict[str, Any]) -> Answer:
        channel = self.channel_of(str(args["channel"]))
        self.check_post(channel)
        ts = self.next_ts()
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": "B0BATON",
            "ts": ts,
            "text": args.get("text", ""),
            "blocks": args.get("blocks") or [],
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        if isinstance(args.get("metadata"), dict):
            message["metadata"] = args["metadata"]
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def chat_update(self, args: dict[str, Any]) -> Answer:
        channel, ts = str(args["channel"]), str(args["ts"])
        message = self._message(channel, ts)
        message.update({k: args[k] for k in ("text", "blocks") if k in args})
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def chat_postEphemeral(self, args: dict[str, Any]) -> Answer:
        return {"message_ts": self.next_ts()}

    def chat_delete(self, args: dict[str, Any]) -> Answer:
        channel, ts = str(args["channel"]), str(args["ts"])
        self._message(channel, ts)
        del self.messages[(channel, ts)]
        return {"channel": channel, "ts": ts}

    def chat_getPermalink(self, args: dict[str, Any]) -> Answer:
        channel, ts = str(args["channel"]), str(args["message_ts"])
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def conversations_open(self, args: dict[str, Any]) -> Answer:
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if len(users) != 1:
            raise SlackError("users_list_not_supplied" if not users else "not_supported")
        return {"channel": {"id": self.dm_for(users[0])}}

    def conversations_members(self, args: dict[str, Any]) -> Answer:
        """A channel's members a page at a time; the cursor is the next member's position."""
        channel = str(args["channel"])
        if channel not in self.members:
            raise SlackError("channel_not_found")
        cursor, limit = str(args.get("cursor") or "0"), int(args.get("limit") or 100)
        if not cursor.isdigit():
            raise SlackError("invalid_cursor")
        start, members = int(cursor), self.members[channel]
        following = str(start + limit) if start + limit < len(members) else ""
        return {"members": members[start:start + limit],
                "response_metadata": {"next_cursor": following}}

    def conversations_replies(self, args: dict[str, Any]) -> Answer:
        channel, ts = str(args["channel"]), str(args["ts"])
        parent = self._message(channel, ts)
        replies = [
            m
            for (c, _), m in sorted(self.messages.items())
            if c == channel and m.get("thread_ts") == ts
        ]
        return {"messages": [parent, *replies], "has_more": False}

    def _store_view(self, args: dict[str, Any], view_id: str) -> Answer:
        view = {
            **args["view"],
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": self.next_ts(),
        }
        self.views[view_id] = view
        return {"view": view}

    def views_open(self, args: dict[str, Any]) -> Answer:
        self._exchange(str(args.get("trigger_id", "")))
        return self._store_view(args, self.new_id("V"))

    views_push = views_open

    def _exchange(self, trigger: str) -> None:
        """Refuse a trigger_id the stand-in issued (payloads.trigger_id) as Slack does: once it
        was used, or 3 seconds after it was issued. Any other, written by hand, is let through."""
        issued = payloads.trigger_issued(trigger)
        if issued is None:
            return
        with self._lock:
            if trigger in self._exchanged:
                raise SlackError("exchanged_trigger_id")
            if time.time() - issued > payloads.TRIGGER_SECONDS:
                raise SlackError("expired_trigger_id")
            self._exchanged.add(trigger)

    def views_update(self, args: dict[str, Any]) -> Answer:
        view_id = args.get("view_id") or next(
            (
                v["id"]
                for v in self.views.values()
                if args.get("external_id") and v.get("external_id") == args["external_id"]
            ),
            None,
        )
        if view_id not in self.views:
            raise SlackError("not_found")
        return self._store_view(args, str(view_id))

    def views_publish(self, args: dict[str, Any]) -> Answer:
        return self._store_view(args, f"VHOME{args['user_id']}")

    def users_info(self, args: dict[str, Any]) -> Answer:
        user = str(args["user"])
        default = {
            "id": user,
            "team_id": self.team_id,
            "name": user.lower(),
            "real_name": f"User {user}",
            "tz": "Europe/London",
            "is_bot": False,
            "profile": {
                "real_name": f"User {user}",
                "display_name": user.lower(),
                "email": f"{user.lower()}@example.com",
            },
        }
        return {"user": {**default, **self.users.get(user, {})}}

    def usergroups_users_list(self, args: dict[str, Any]) -> Answer:
        group = str(args["usergroup"])
        if group not in self.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def files_getUploadURLExternal(self, args: dict[str, Any]) -> Answer:
        file_id = self.new_id("F")
        self.files[file_id] = {"id": file_id, "name": args["filename"], "title": args["filename"]}
        return {"upload_url": f"{self.upload_base}{file_id}", "file_id": file_id}

    def files_completeUploadExternal(self, args: dict[str, Any]) -> Answer:
        files = args["files"] if isinstance(args["files"], list) else []
        if not files or any(f.get("id") not in self.uploads for f in files):
            raise SlackError("file_not_found")
        done = [
            {**self.files[f["id"]], **f, "channels": [args.get("channel_id", "")]} for f in files
        ]
        return {"files": done}

    def reactions_add(self, args: dict[str, Any]) -> Answer:
        return {}

    def pins_add(self, args: dict[str, Any]) -> Answer:
        return {}
