"""Reading the stand-in's transcript: what Baton sent one person, waited for as it arrives."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from baton.demo.stage import DemoError
from baton.standin import Call, SlackStandIn

T = TypeVar("T")
TIMEOUT_SECONDS = 15.0


def replies(standin: SlackStandIn) -> list[str]:
    """What Baton said to one person only: ephemeral messages and response_url posts."""
    said = [c.args.get("text", "") for c in standin.calls_to("chat.postEphemeral")]
    return said + [c.args.get("text", "") for c in standin.calls_to("response_url")]


def until(standin: SlackStandIn, found: Callable[[], T], what: str, *, quiet: bool = True) -> T:
    """Poll until `found` gives something; a refused payload, or with `quiet` a reply, ends it."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    said_before = len(replies(standin))
    while not (result := found()):
        if standin.invalid:
            raise DemoError(f"the stand-in refused a payload from Baton: {standin.invalid[0]}")
        said = replies(standin)[said_before:]
        if quiet and said:
            raise DemoError(f"Baton answered instead of showing {what}: {said[-1]}")
        if time.monotonic() > deadline:
            made = ", ".join(c.method for c in standin.calls) or "none"
            raise DemoError(f"waited {TIMEOUT_SECONDS:.0f}s for {what}; Baton's calls: {made}")
        time.sleep(0.02)
    return result


def posted_in(standin: SlackStandIn, channel: str) -> list[Call]:
    """Messages Slack took in a channel, thread replies included, oldest first."""
    calls = standin.calls_to("chat.postMessage")
    return [c for c in calls if c.response.get("ok") and c.response.get("channel") == channel]


def updates_of(standin: SlackStandIn, message: Call) -> list[Call]:
    """Every edit Slack took of a posted message, oldest first."""
    ts = message.response.get("ts")
    edits = standin.calls_to("chat.update")
    return [c for c in edits if c.response.get("ok") and c.args.get("ts") == ts]


def ephemerals_to(standin: SlackStandIn, user: str) -> list[Call]:
    """Messages only `user` saw, oldest first."""
    return [c for c in standin.calls_to("chat.postEphemeral") if c.args.get("user") == user]


@dataclass(frozen=True)
class Watch:
    """The calls Baton made towards one person: DM posts, updates, modals, ephemeral replies."""

    standin: SlackStandIn
    user: str

    @property
    def dm(self) -> str:
        return self.standin.workspace.dm_for(self.user)

    def posts(self) -> list[Call]:
        """Messages posted in the person's DM with Baton, oldest first."""
        return posted_in(self.standin, self.dm)

    def update_of(self, message: Call) -> Call | None:
        """The latest edit of a posted message, if Baton edited it."""
        edits = updates_of(self.standin, message)
        return edits[-1] if edits else None

    def modals(self) -> list[Call]:
        return [c for c in self.standin.calls_to("views.open") if c.response.get("ok")]

    def next_post(self, seen: int) -> Call:
        """The first DM post after the `seen` already there."""
        return until(self.standin, lambda: self.posts()[seen:], "a message in the DM")[0]

    def next_modal(self, seen: int) -> dict[str, Any]:
        """The view of the first modal opened after the `seen` already open."""
        opened = until(self.standin, lambda: self.modals()[seen:], "a modal")
        return opened[0].response["view"]
