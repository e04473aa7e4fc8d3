"""Reading the stand-in's transcript as it grows: the modals, DMs and questions Baton sent."""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baton.slack import ids

APOLOGY = "Sorry, something went wrong"
# Longer than the background sender's 1 s pause, so cards of finished qualifications go out too.
QUIET_SECONDS = 1.2


@dataclass(frozen=True)
class Question:
    """A question message in a BDR's DM, with the buttons that answer it."""

    user: str
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    qualification_id: int

    def choices(self) -> list[tuple[str, dict[str, Any]]]:
        """(block_id, button) of each answer button, in reading order."""
        return [(block.get("block_id", ""), element) for block in self.blocks
                if block.get("type") == "actions" for element in block["elements"]
                if ids.ANSWER_CHOICE_PATTERN.match(element.get("action_id", ""))]


class Transcript:
    """What Baton asked of Slack so far, read from the stand-in's transcript file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""
        self.calls = 0
        self.dm_users: dict[str, str] = {}
        self.views: list[dict[str, Any]] = []
        self.fresh: deque[Question] = deque()
        self.recent: deque[Question] = deque(maxlen=500)
        self.asked = 0
        self.refused: list[str] = []
        self.apologies = 0

    def poll(self) -> int:
        """Read the calls recorded since the last poll; how many there were."""
        with self.path.open("rb") as source:
            source.seek(self._offset)
            data = source.read()
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:
            self._take(json.loads(line))
        self.calls += len(lines)
        return len(lines)

    def settle(self, quiet: float = QUIET_SECONDS, timeout: float = 120.0) -> None:
        """Wait until Baton has called Slack for nothing for `quiet` seconds."""
        deadline, last = time.monotonic() + timeout, time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() < deadline:
            time.sleep(0.05)
            if self.poll():
                last = time.monotonic()

    def _take(self, call: dict[str, Any]) -> None:
        method, args, answer = call["method"], call["args"], call.get("response") or {}
        if call["status"] != 200 or answer.get("ok") is False:
            self.refused.append(f"{method}: {answer.get('error', call['status'])}")
            return
        if APOLOGY in str(args.get("text", "")):
            self.apologies += 1
        if method == "conversations.open":
            self.dm_users[answer["channel"]["id"]] = str(args["users"])
        elif method == "views.open":
            self.views.append(answer["view"])
        elif method == "chat.postMessage":
            self._question(args, answer)

    def _question(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        buttons = [e for b in args.get("blocks") or [] if b.get("type") == "actions"
                   for e in b["elements"]]
        if not any(b.get("action_id") == ids.ANSWER_SKIP for b in buttons):
            return
        channel = answer["channel"]
        value = ids.ButtonValue.unpack(buttons[0]["value"])
        question = Question(self.dm_users.get(channel, ""), channel, answer["ts"],
                            args.get("text", ""), args["blocks"], value.qualification_id)
        self.fresh.append(question)
        self.recent.append(question)
        self.asked += 1

    def summary(self) -> str:
        """One line on what Baton asked of Slack: calls, refusals and apologies."""
        refused = f" (first: {self.refused[0]})" if self.refused else ""
        return (f"Baton called Slack {self.calls} times and asked {self.asked} questions; "
                f"Slack refused {len(self.refused)} calls{refused}; "
                f"Baton apologised for {self.apologies} failures.")

    def intake_view(self) -> dict[str, Any]:
        """The latest intake modal Baton opened."""
        found = [v for v in self.views if v.get("callback_id") == ids.INTAKE_MODAL]
        if not found:
            raise LookupError("Baton has opened no intake modal yet")
        return found[-1]
