"""The outbox's sender: each due call made through Slack's Web API, Slack's errors read as
worth retrying or final, and a posted card followed up with Slack's permalink to it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from baton.services import handoff, outbox
from baton.services.catalog import Catalog
from baton.services.handoff import CardPresenter
from baton.services.outbox import FollowUp, Leased, OnSent, SendReport, SentMessage
from baton.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Slack errors that a later try can cure; every other error is final.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def make_client(*, token: str, base_url: str, timeout: int = 30) -> WebClient:
    """A WebClient that never retries by itself: the outbox decides when to try again."""
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])


def send_due(
    *, uow: UnitOfWork, client: WebClient, now: dt.datetime | None = None, limit: int = 20,
    on_sent: OnSent | None = None, follow_up: FollowUp | None = None,
) -> SendReport:
    """Deliver the due rows this sender leased; retry what Slack may take later."""
    if client.retry_handlers:
        raise ValueError("client: the outbox retries by itself; build it with retry_handlers=[]"
                         " (baton.slack.delivery.make_client) so no call is sent twice")
    now = now or dt.datetime.now(dt.UTC)
    report = SendReport()
    for row in outbox.lease_due(uow=uow, now=now, limit=limit):
        sent = _deliver(uow, client, row, now, report, on_sent)
        if sent is not None and follow_up is not None:
            _follow(follow_up, sent)
    return report


def _deliver(uow: UnitOfWork, client: WebClient, row: Leased, now: dt.datetime,
             report: SendReport, on_sent: OnSent | None) -> SentMessage | None:
    arguments = outbox.arguments(uow=uow, row=row)
    if arguments is None:
        outbox.wait_for_parent(uow=uow, row=row, now=now)
        report.retrying.append(row.id)
        return None
    try:
        response = client.api_call(row.kind, json=arguments)
    except SlackApiError as error:
        if not _transient(error):
            outbox.failed(uow=uow, row=row, error=_describe(error))
            report.failed.append(row.id)
            return None
        outbox.retry(uow=uow, row=row, now=now, error=_describe(error),
                     after=_retry_after(error))
        report.retrying.append(row.id)
        return None
    except (OSError, SlackClientError) as error:
        # OSError covers URLError, refused connections and timeouts: Slack may come back.
        outbox.retry(uow=uow, row=row, now=now, error=repr(error))
        report.retrying.append(row.id)
        return None
    result = {key: response.get(key) for key in ("channel", "ts") if response.get(key)}
    report.sent.append(row.id)
    return outbox.sent(uow=uow, row=row, arguments=arguments, result=result, now=now,
                       on_sent=on_sent)


def _transient(error: SlackApiError) -> bool:
    """Whether a later try may succeed: rate limits, Slack's own failures and outages."""
    status = error.response.status_code
    return status == 429 or status >= 500 or _error_code(error) in TRANSIENT_ERRORS


def _retry_after(error: SlackApiError) -> dt.timedelta | None:
    """How long Slack asked Baton to wait, when it said; None leaves it to the outbox."""
    if error.response.status_code != 429:
        return None
    headers = error.response.headers
    value = headers.get("Retry-After") or headers.get("retry-after")
    seconds = int(value) if str(value or "").isdigit() else 0
    return dt.timedelta(seconds=seconds) if seconds else None


def _error_code(error: SlackApiError) -> str:
    answer = error.response.data if isinstance(error.response.data, dict) else {}
    return str(answer.get("error", "no error code"))


def _describe(error: SlackApiError) -> str:
    return f"HTTP {error.response.status_code}: {_error_code(error)}"


def _follow(follow_up: FollowUp, message: SentMessage) -> None:
    """Run what follows a send; a failure there never sends the message again."""
    try:
        follow_up(message)
    except Exception:
        log.exception("outbox: message %s was sent, but what follows it failed",
                      message.dedupe_key)


@dataclass(frozen=True)
class CardLinks:
    """Once a card is posted: Slack's permalink to it kept on its handoff, its BDR linked."""

    uow: UnitOfWork
    client: WebClient
    presenter: CardPresenter

    def __call__(self, message: SentMessage) -> None:
        handoff_id = handoff.handoff_of(message.dedupe_key)
        if handoff_id is None:
            return
        channel, ts = message.result.get("channel", ""), message.result.get("ts", "")
        handoff.link_card(uow=self.uow, presenter=self.presenter, handoff_id=handoff_id,
                          channel=channel, ts=ts, permalink=self._permalink(channel, ts))

    def _permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except (SlackClientError, OSError, KeyError):
            # The card is up either way; its BDR is sent a link built by hand instead.
            log.warning("chat.getPermalink failed for the card in %s at %s", channel, ts,
                        exc_info=True)
            return None


@dataclass(frozen=True)
class Delivery:
    """One pass of the sender: decided cards queued, then every due row sent."""

    uow: UnitOfWork
    client: WebClient
    catalog: Catalog
    presenter: CardPresenter

    def send_pass(self, now: dt.datetime | None = None) -> tuple[int, SendReport]:
        """Queue the cards of handoffs decided since the last pass, then deliver what is due."""
        queued = handoff.queue_pending_cards(uow=self.uow, catalog=self.catalog,
                                             presenter=self.presenter)
        return queued, send_due(uow=self.uow, client=self.client, now=now,
                                on_sent=handoff.card_posted,
                                follow_up=CardLinks(self.uow, self.client, self.presenter))

    def send_all_due(self, now: dt.datetime | None = None) -> int:
        """Queue pending cards and deliver every row due now (for cron); how many Slack took."""
        sent = 0
        while True:
            queued, report = self.send_pass(now)
            sent += len(report.sent)
            if queued == 0 and report.handled == 0:
                return sent
