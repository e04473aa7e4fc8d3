"""A sales floor around the running Baton: a lead handed off, the outbox sent, reps clicking."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from baton.services.catalog import Catalog, load_catalog
from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids
from baton.slack.delivery import make_client
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.slack.sending import Delivery
from baton.standin.calls import Call
from baton.standin.client import SlackClient
from tests.conftest import PROMPTS_DIR
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    buttons,
    new_user,
    settle,
    shown,
)

CARDS = HandoffViews(Renderer())  # the card presenter, as the composition root builds it

EMEA = "C0EMEA0001"
STRONG_BANT = ["Approved budget", "They decide", "Urgent, costing them now", "This quarter"]


@cache
def _catalog() -> Catalog:
    return load_catalog(PROMPTS_DIR)


def deliver(baton: Baton, now: dt.datetime | None = None) -> None:
    """Queue decided cards and send every due row, as `baton run`'s sender does, once Baton
    has finished what the clicks and submissions before it asked."""
    settle(baton.fake)
    client = make_client(token=baton.fake.token, base_url=baton.fake.url)
    Delivery(UnitOfWork(baton.engine), client, _catalog(), CARDS).send_all_due(now)


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Deliver the outbox until `check` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, "waited for the outbox to deliver what the clicks decided"
            return found
        time.sleep(0.05)


def company(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


@dataclass
class Floor:
    """One handed-off lead: its BDR, its card as posted, and the card's handoff id."""

    baton: Baton
    bdr: Bdr
    name: str
    card: Call

    @property
    def handoff_id(self) -> int:
        return int(next(b["value"] for b in buttons(self.card)))

    def updates(self) -> list[Call]:
        ts = self.card.response["ts"]
        return [c for c in self.baton.fake.calls_to("chat.update") if c.args.get("ts") == ts]

    def click(self, label: str, rep: str, via: SlackClient | None = None) -> None:
        """A rep clicks a button of the card as it now stands."""
        current = self.updates()[-1] if self.updates() else self.card
        button = next(b for b in buttons(current) if b.get("text", {}).get("text") == label)
        self.act(button["action_id"], button["value"], rep, via)

    def act(self, action_id: str, value: str, rep: str, via: SlackClient | None = None) -> None:
        """A click on the card, acknowledged; returns once Baton has done what it asked, as a
        rep sees its effect before clicking again."""
        message = {"ts": self.card.response["ts"], "type": "message", "text": "", "blocks": []}
        response = (via or self.baton.slack).block_action(
            action_id, value, user_id=rep, channel_id=EMEA, message=message)
        assert response.status_code == 200, response.text
        settle(self.baton.fake)

    def outcome(self, kind: str, rep: str) -> None:
        self.act(ids.CARD_OUTCOME, f"{self.handoff_id}|{kind}", rep)

    def next_update(self, seen: int) -> str:
        """What the card reads after its next update is delivered."""
        def check() -> list[Call]:
            deliver(self.baton)
            return self.updates()[seen:]
        return shown(eventually(check)[-1])

    def ephemeral_to(self, rep: str) -> str:
        found = self.baton.fake.wait_for("chat.postEphemeral",
                                         where=lambda c: c.args.get("user") == rep)
        return str(found[-1].args["text"])


def qualify(baton: Baton, name: str, **more: str) -> Bdr:
    """A BDR qualifies a strong BANT lead in EMEA (with `more` intake fields, an email say), up
    to the verdict in their DM."""
    bdr = Bdr(baton)
    question = bdr.start(name, **STRONG_FIT, **more)
    for label in STRONG_BANT:
        question = bdr.answer(question, label)
    return bdr


def card_of(baton: Baton, bdr: Bdr, name: str) -> Floor:
    """The one card of the lead posted in the EMEA channel."""
    cards = [c for c in baton.fake.calls_to("chat.postMessage")
             if c.args.get("channel") == EMEA and not c.args.get("thread_ts")
             and name in str(c.args.get("text")) and c.status == 200]
    assert len(cards) == 1, [c.args for c in cards]
    return Floor(baton, bdr, name, cards[0])


def hand_off(baton: Baton, name: str | None = None) -> Floor:
    """A strong lead qualified, and its card delivered to the EMEA channel."""
    name = name or company("Acme Corp")
    bdr = qualify(baton, name)
    deliver(baton)
    return card_of(baton, bdr, name)


def reps(count: int) -> list[str]:
    return [new_user() for _ in range(count)]
