"""The sales side of the demo: the card delivered to its channel, claimed by one rep, accepted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baton.demo.blocks import Narrating, mrkdwn, render_blocks
from baton.demo.conversation import buttons, click
from baton.demo.stage import Stage
from baton.demo.watch import Watch, ephemerals_to, posted_in, until, updates_of
from baton.domain.lifecycle import HandoffStatus
from baton.runtime import build_machinery
from baton.services.handoff import load_handoff
from baton.slack import ids
from baton.standin import Call

WINNER, WINNER_NAME = "U0SAM", "Sam"
LATE, LATE_NAME = "U0ALEX", "Alex"
REPS = {WINNER: WINNER_NAME, LATE: LATE_NAME}


@dataclass
class SalesFloor(Narrating):
    """One handoff's second leg: the card, the race to claim it, the owner's Accept."""

    stage: Stage
    handoff_id: int
    channel: str
    bdr_name: str
    echo: Callable[[str], None]

    def run(self) -> None:
        """Deliver the card, let two reps click Claim, then the winner accepts."""
        card = self.deliver_card()
        self.act(WINNER, card, ids.CARD_CLAIM, HandoffStatus.CLAIMED)
        self.too_late(card)
        claimed = self.deliver_update(card, 1)
        self.act(WINNER, claimed, ids.CARD_ACCEPT, HandoffStatus.ACCEPTED)
        self.deliver_update(card, 2)

    def __post_init__(self) -> None:
        # Not started: the demo makes each pass itself, so the output follows the clicks in order.
        self.machinery = build_machinery(self.stage.runtime)

    def deliver(self) -> int:
        """One delivery pass of Baton's sender, composed as a running Baton composes it."""
        return self.machinery.delivery.send_all_due()

    def delivered(self, found: Callable[[], list[Call]], what: str) -> Call:
        """Pass after pass until Slack took what was expected; the first of it."""

        def sent() -> list[Call]:
            self.deliver()
            return found()

        return until(self.stage.standin, sent, what)[0]

    def deliver_card(self) -> Call:
        """The card, its Q&A thread and the BDR's link, as the channel and the BDR see them."""
        bdr = Watch(self.stage.standin, self.stage.slack.who.user_id)
        seen = len(bdr.posts())
        self.say("Baton's sender makes a delivery pass: the card goes to the sales channel.")
        card = self.delivered(lambda: self.in_thread(None), "the card")
        thread = self.delivered(lambda: self.in_thread(card.response["ts"]), "the card's thread")
        link = self.delivered(lambda: bdr.posts()[seen:], "the BDR's link to the card")
        self.show(f"#{self.channel} sees the card:", self.lines(card.args["blocks"]))
        self.show("In the card's thread:", self.lines(thread.args["blocks"]))
        self.show(f"{self.bdr_name} sees in her DM:", self.lines(link.args["blocks"]))
        return card

    def act(self, rep: str, message: Call, action_id: str, status: HandoffStatus) -> None:
        """A rep clicks a card's button; wait until the handoff reached `status`."""
        button = self.button(message, action_id)
        self.say(f"{REPS[rep]} (AE) clicks [{button['text']['text']}] on the card.")
        click(self.stage, message, button, user_id=rep)
        until(self.stage.standin, lambda: self.status() == status, f"the handoff {status}")

    def too_late(self, card: Call) -> None:
        """A second rep clicks Claim on the card as it still reads, and is told it is taken."""
        self.say(f"A moment later {LATE_NAME} (AE) clicks [Claim] on the card too.")
        click(self.stage, card, self.button(card, ids.CARD_CLAIM), user_id=LATE)
        told = until(self.stage.standin, lambda: ephemerals_to(self.stage.standin, LATE),
                     f"what {LATE_NAME} is told", quiet=False)[0]
        self.show(f"Only {LATE_NAME} sees:", [mrkdwn(told.args.get("text", ""), self.names())])

    def deliver_update(self, card: Call, count: int) -> Call:
        """Another delivery pass edits the card; its status and buttons as the channel sees them."""
        update = self.delivered(lambda: updates_of(self.stage.standin, card)[count - 1:],
                                "the card's update")
        state = [b for b in update.args["blocks"] if b.get("block_id") in _STATE_BLOCKS]
        self.show("Another delivery pass; the card now ends:", self.lines(state))
        return update

    def in_thread(self, ts: str | None) -> list[Call]:
        """Posts in the sales channel: top-level ones (ts None) or the replies to `ts`."""
        posts = posted_in(self.stage.standin, self.channel)
        return [c for c in posts if c.args.get("thread_ts") == ts]

    def status(self) -> HandoffStatus:
        with self.stage.runtime.uow.reading() as session:
            return load_handoff(session, self.handoff_id).status

    def button(self, message: Call, action_id: str) -> dict[str, Any]:
        return next(b for b in buttons(message.args["blocks"]) if b["action_id"] == action_id)

    def names(self) -> dict[str, str]:
        return {self.stage.slack.who.user_id: self.bdr_name, **REPS}

    def lines(self, blocks: list[dict[str, Any]]) -> list[str]:
        return render_blocks(blocks, self.names())


_STATE_BLOCKS = (ids.CARD_STATE, ids.CARD_ACTIONS)
