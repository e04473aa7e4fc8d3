"""What the fault suite drives and reads: a lead handed off over signed HTTP, the outbox sender
as the product builds it, and what each person saw in Slack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from baton.cli.common import delivery_for
from baton.services.catalog import Catalog, load_catalog
from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids
from baton.slack.handoff_views import HandoffViews
from baton.slack.sending import Delivery
from baton.standin.calls import Call
from baton.store.types import utcnow
from tests.conftest import PROMPTS_DIR
from tests.slack.test_conversation_harness import Baton, Bdr, settle, shown
from tests.slack.test_handoff_harness import EMEA, company, qualify

BOSS = "U0BOSS0001"  # BATON_MANAGERS
FALLBACK = "C0SALES"  # BATON_SALES_CHANNEL
RULE = "EMEA team"  # the routing rule that sends a lead from EMEA to EMEA

__all__ = ["BOSS", "EMEA", "FALLBACK", "RULE", "Faulty", "company"]


@cache
def _catalog() -> Catalog:
    return load_catalog(PROMPTS_DIR)


@dataclass
class Faulty:
    """The running Baton, with what the fault suite does to it and reads from it."""

    baton: Baton

    @property
    def fake(self) -> Any:
        return self.baton.fake

    def qualify(self, name: str) -> Bdr:
        """A BDR qualifies a strong EMEA lead up to its verdict, over signed HTTP."""
        bdr = qualify(self.baton, name)
        settle(self.fake)
        return bdr

    def sender(self, *, fallback: str | None = None,
               presenter: HandoffViews | None = None) -> Delivery:
        """The outbox's sender as `baton tick` builds it (BATON_SALES_CHANNEL may be changed)."""
        settings = self.baton.settings
        if fallback is not None:
            settings = settings.model_copy(update={"baton_sales_channel": fallback})
        delivery = delivery_for(settings, UnitOfWork(self.baton.engine), _catalog())
        if presenter is not None:
            delivery.presenter = presenter
        return delivery

    def deliver(self, *, fallback: str | None = None, presenter: HandoffViews | None = None,
                later: dt.timedelta = dt.timedelta(0)) -> int:
        """Once Baton has done what its acks promised, queue decided cards and send everything
        due (`later` than now); how many were sent."""
        settle(self.fake)
        now = utcnow() + later if later else None
        return self.sender(fallback=fallback, presenter=presenter).send_all_due(now)

    def cards(self, name: str) -> list[Call]:
        """Every card of the lead Slack took, wherever it was posted."""
        return [c for c in self.fake.calls_to("chat.postMessage")
                if c.response.get("ok") and str(c.response.get("channel", "")).startswith("C")
                and not c.args.get("thread_ts") and name in str(c.args.get("text"))]

    def card(self, name: str) -> Call:
        """The one card of the lead Slack took."""
        found = self.cards(name)
        assert len(found) == 1, [(c.response["channel"], c.args.get("text")) for c in found]
        return found[0]

    def thread_of(self, card: Call) -> list[Call]:
        """What Slack took in the card's thread."""
        return [c for c in self.fake.calls_to("chat.postMessage")
                if c.response.get("ok") and c.args.get("thread_ts") == card.response["ts"]
                and c.response["channel"] == card.response["channel"]]

    def told(self, user: str, about: str) -> list[str]:
        """What `user` was told in their DM about the lead `about`'s card not reaching sales."""
        dm = self.fake.workspace.dm_for(user)
        return [shown(c) for c in self.fake.calls_to("chat.postMessage")
                if c.response.get("ok") and c.response.get("channel") == dm
                and "could not go to" in shown(c) and about in shown(c)]

    def home(self, user: str) -> Call:
        """Open the Home tab as `user`; the view Baton published."""
        before = self._published(user)
        event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
        assert self.baton.slack.event(event).status_code == 200
        return self.fake.wait_for("views.publish", before + 1,
                                  where=lambda c: c.args["user_id"] == user)[-1]

    def retry_from_home(self, user: str, home: Call) -> Call:
        """Press Retry under the cards not delivered; the Home published after it."""
        before = self._published(user)
        button = next(e for b in home.args["view"]["blocks"] if b["type"] == "actions"
                      for e in b["elements"] if e["action_id"] == ids.HOME_RETRY_CARDS)
        view = {"id": f"VHOME{user}", "type": "home", "blocks": home.args["view"]["blocks"]}
        reply = self.baton.slack.block_action(button["action_id"], button["value"],
                                              user_id=user, view=view)
        assert reply.status_code == 200, reply.text
        return self.fake.wait_for("views.publish", before + 1,
                                  where=lambda c: c.args["user_id"] == user)[-1]

    def _published(self, user: str) -> int:
        return len([c for c in self.fake.calls_to("views.publish")
                    if c.args["user_id"] == user])
