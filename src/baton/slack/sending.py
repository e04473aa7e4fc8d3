"""One pass of Baton's outbox sender, as `baton run` and `baton tick` make it: decided handoffs
turned into queued cards, then every due row sent; neither step's failure skips the other."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlmodel import Session

from baton.services import handoff, qualification
from baton.services.catalog import Catalog
from baton.services.outbox import Leased, SendReport, SentMessage
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import send_due
from baton.slack.directory import ManagerDirectory, UserGroups
from baton.slack.handoff_views import HandoffViews
from baton.slack.rescue import CardRescue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardLinks:
    """Just before a BDR's link notice goes out: Slack's permalink to the card, kept on its
    handoff and put in the notice (queued with a link built by hand, which also works)."""

    uow: UnitOfWork
    client: WebClient
    presenter: HandoffViews

    def __call__(self, row: Leased, arguments: dict[str, Any]) -> dict[str, Any]:
        handoff_id = handoff.link_of(row.dedupe_key)
        card = handoff.posted_card(uow=self.uow, handoff_id=handoff_id) if handoff_id else None
        if handoff_id is None or card is None:
            return arguments
        permalink = card.permalink or self._permalink(card.channel, card.ts)
        if permalink is None:
            return arguments
        return handoff.link_card(uow=self.uow, presenter=self.presenter, handoff_id=handoff_id,
                                 channel=card.channel, ts=card.ts, permalink=permalink)

    def _permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except (SlackClientError, OSError, KeyError):
            log.warning("chat.getPermalink failed for the card in %s at %s", channel, ts,
                        exc_info=True)
            return None


@dataclass
class Delivery:
    """One pass of the sender: decided cards queued, then every due row sent."""

    uow: UnitOfWork
    client: WebClient
    catalog: Catalog
    presenter: HandoffViews
    # BATON_SALES_CHANNEL: where a card goes when Slack refuses its routed channel.
    fallback: str = ""
    managers: ManagerDirectory | None = None
    _last_failure: str = field(default="", init=False)
    # The user groups round robins name, as Slack lists them.
    _groups: UserGroups = field(init=False)

    def __post_init__(self) -> None:
        self._groups = UserGroups(self.client)

    def send_pass(self, now: dt.datetime | None = None) -> tuple[int, SendReport]:
        """Queue the cards of handoffs decided since the last pass, then deliver what is due."""
        try:
            queued = handoff.queue_pending_cards(uow=self.uow, catalog=self.catalog,
                                                 presenter=self.presenter,
                                                 members_of=self._groups.members)
            self._last_failure = ""
        except Exception as error:
            # The rows already queued still go; the cards are queued on a later pass.
            if repr(error) != self._last_failure:
                log.exception("Could not queue the cards of decided handoffs")
            self._last_failure, queued = repr(error), 0
        rescue = CardRescue(self.client, self.presenter, self.fallback, self.managers)
        report = send_due(uow=self.uow, client=self.client, now=now, on_sent=self.on_sent,
                          prepare=CardLinks(self.uow, self.client, self.presenter),
                          rescue=rescue)
        return queued, report

    def send_all_due(self, now: dt.datetime | None = None) -> int:
        """Queue pending cards and deliver every row due now (for cron); how many Slack took."""
        sent = 0
        while True:
            queued, report = self.send_pass(now)
            sent += len(report.sent)
            if queued == 0 and report.handled == 0:
                return sent

    def move_expired(self, now: dt.datetime) -> list[int]:
        """Assigned leads not accepted by their deadline moved to the next rep, or released."""
        return handoff.move_expired_assignments(uow=self.uow, catalog=self.catalog,
                                                presenter=self.presenter, now=now,
                                                members_of=self._groups.members)

    def retry_waiting(self, now: dt.datetime | None = None) -> int:
        """Send every card still waiting again; how many are on their way."""
        return handoff.retry_cards(uow=self.uow, catalog=self.catalog,
                                   presenter=self.presenter, now=now)

    def on_sent(self, session: Session, message: SentMessage) -> None:
        """The outbox hook of each pass: a card posted marks its handoff and queues its link
        notice; a conversation's root message posted late attaches the conversation."""
        handoff.on_card_posted(self.presenter)(session, message)
        qualification.conversation_posted(session, message)
