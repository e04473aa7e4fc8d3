"""The outbox's sender: each due call made through Slack's Web API, Slack's errors read as worth
retrying or final, one bad row set aside while every other keeps flowing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from baton.services import outbox
from baton.services.outbox import Leased, OnSent, SendReport
from baton.services.unit_of_work import UnitOfWork
from baton.slack.failures import describe, retry_after, transient
from baton.slack.web import OnFailure, PooledWebClient

log = logging.getLogger(__name__)

# Fills in, just before a row is sent, what only Slack can say (a permalink, say).
Prepare = Callable[[Leased, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Posted:
    """Slack took the call: the arguments it took and what it answered."""

    arguments: dict[str, Any]
    result: dict[str, Any]
    on_sent: OnSent | None = None


@dataclass(frozen=True)
class Refused:
    """Slack refused the call for good: why, and what to record with the row set aside."""

    reason: str
    then: Callable[[Any], None] | None = None


class Rescue(Protocol):
    """Rows that have a way out when Slack refuses them for good, and that can be found on
    Slack when a sender died before saying whether it posted them."""

    def takes(self, row: Leased) -> bool: ...

    def recover(self, row: Leased, arguments: dict[str, Any]) -> Posted | None: ...

    def rescue(self, row: Leased, arguments: dict[str, Any], error: SlackApiError,
               ) -> Posted | Refused: ...


def make_client(*, token: str, base_url: str, timeout: int = 10,
                on_failure: OnFailure | None = None) -> WebClient:
    """A WebClient that never retries by itself: the outbox decides when to try again. Its
    calls time out well within a row's lease, so a slow Slack never gets a row sent twice."""
    return PooledWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[],
                           on_failure=on_failure)


def send_due(
    *, uow: UnitOfWork, client: WebClient, now: dt.datetime | None = None, limit: int = 20,
    on_sent: OnSent | None = None, prepare: Prepare | None = None, rescue: Rescue | None = None,
) -> SendReport:
    """Deliver the due rows this sender leased; retry what Slack may take later."""
    if client.retry_handlers:
        raise ValueError("client: the outbox retries by itself; build it with retry_handlers=[]"
                         " (baton.slack.delivery.make_client) so no call is sent twice")
    sender = Sender(uow, client, now or dt.datetime.now(dt.UTC), on_sent, prepare, rescue)
    for _ in range(limit):
        # One row leased at a time, just before it is sent: no row waits out its lease in a
        # batch behind a slow call, to be taken and sent again by another sender meanwhile.
        leased = outbox.lease_due(uow=uow, now=sender.now, limit=1, kinds=outbox.METHODS)
        if not leased:
            break
        sender.handle(leased[0])
    return sender.report


@dataclass
class Sender:
    """One pass of the sender over the rows it leased."""

    uow: UnitOfWork
    client: WebClient
    now: dt.datetime
    on_sent: OnSent | None
    prepare: Prepare | None
    rescue: Rescue | None
    report: SendReport = field(default_factory=SendReport)

    def handle(self, row: Leased) -> None:
        """Deliver one row; whatever goes wrong with it, the pass goes on with the next."""
        try:
            self._deliver(row)
        except Exception as error:
            # A row that breaks the sender (a bug, a payload no call can take) is kept aside
            # with its reason, so it is looked at once and never blocks the rows behind it.
            if self._set_aside(row, f"could not be sent: {describe(error)}"):
                log.error("outbox: %s set aside", row.dedupe_key, exc_info=error)

    def _deliver(self, row: Leased) -> None:
        arguments = outbox.arguments(uow=self.uow, row=row)
        if isinstance(arguments, outbox.Wait):
            outbox.wait_for_parent(uow=self.uow, row=row, now=self.now, wait=arguments)
            self.report.retrying.append(row.id)
            return
        queued = arguments
        if self.prepare is not None:
            arguments = self.prepare(row, arguments)
        try:
            outcome = self._attempt(row, arguments)
        except (SlackClientError, OSError) as error:
            if not transient(error):
                self._refused(row, Refused(describe(error)))
                return
            outbox.retry(uow=self.uow, row=row, now=self.now, error=describe(error),
                         after=retry_after(error))
            self.report.retrying.append(row.id)
            return
        if isinstance(outcome, Refused):
            self._refused(row, outcome)
            return
        self._sent(row, queued, outcome)

    def _attempt(self, row: Leased, arguments: dict[str, Any]) -> Posted | Refused:
        """Make the call, unless a sender that died made it already; a refusal may be rescued."""
        rescue = self.rescue if self.rescue is not None and self.rescue.takes(row) else None
        if rescue is not None and row.expired:
            found = rescue.recover(row, arguments)
            if found is not None:
                return found
        try:
            response = self.client.api_call(row.kind, json=arguments)
        except SlackApiError as error:
            if rescue is None or transient(error):
                raise
            return rescue.rescue(row, arguments, error)
        return Posted(arguments, {k: response.get(k) for k in ("channel", "ts") if response.get(k)})

    def _sent(self, row: Leased, queued: dict[str, Any], posted: Posted) -> None:
        hooks = [hook for hook in (self.on_sent, posted.on_sent) if hook is not None]

        def on_sent(session: Any, message: outbox.SentMessage) -> None:
            for hook in hooks:
                hook(session, message)

        # What Slack took is kept when it differs from what was queued (a card redirected, a
        # link notice given Slack's permalink).
        taken = posted.arguments if posted.arguments != queued else None
        outbox.sent(uow=self.uow, row=row, arguments=posted.arguments, result=posted.result,
                    now=self.now, on_sent=on_sent, payload=taken)
        self.report.sent.append(row.id)

    def _refused(self, row: Leased, refused: Refused) -> None:
        if self._set_aside(row, refused.reason, refused.then):
            log.warning("outbox: %s set aside: %s", row.dedupe_key, refused.reason)

    def _set_aside(self, row: Leased, reason: str,
                   then: Callable[[Any], None] | None = None) -> bool:
        self.report.set_aside.append(row.id)
        return outbox.set_aside(uow=self.uow, row=row, reason=reason, now=self.now, then=then)
