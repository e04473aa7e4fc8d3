"""The background machinery of a running Baton: the outbox sender and the tick (SLA timers and
recheck reminders), in threads."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from baton.services import handoff, verdicts
from baton.services.catalog import Catalog, remind_review
from baton.services.crm import Connection
from baton.services.handoff import TickReport
from baton.services.pipeline import funnel_png, funnel_stages
from baton.services.pipeline.digest import DigestPresenter, DigestSent, send_digest
from baton.services.requests import forget_old_events
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts import RecheckPresenter
from baton.slack.crm_sync import run_crm
from baton.slack.directory import ManagerDirectory, ManagersUnavailable
from baton.slack.handoff_views import HandoffViews
from baton.slack.sending import Delivery

log = logging.getLogger(__name__)

TICK_INTERVAL = 30.0
SEND_INTERVAL = 1.0


def tick_once(*, uow: UnitOfWork, catalog: Catalog, managers: ManagerDirectory,
              rechecks: RecheckPresenter, delivery: Delivery | None = None,
              now: dt.datetime | None = None,
              digests: DigestPresenter | None = None) -> TickReport:
    """BDRs reminded of the rechecks due, cards still waiting sent again, unclaimed handoffs
    reminded and escalated, assigned ones not accepted in time moved on, then managers told
    once a week when the definition's review is due; ManagersUnavailable while Slack cannot
    name the managers (what comes before is done first)."""
    now = now or dt.datetime.now(dt.UTC)
    forget_old_events(uow=uow, now=now)
    rechecked = verdicts.remind_rechecks(uow=uow, catalog=catalog, presenter=rechecks, now=now)
    retried = delivery.retry_waiting(now) if delivery is not None else 0
    report = handoff.tick_due(uow=uow, catalog=catalog, now=now, managers=managers.users())
    handoff.set_follow_up_deadlines(uow=uow, catalog=catalog, now=now)
    moved = delivery.move_expired(now) if delivery is not None else []
    if moved:
        log.info("SLA: assigned leads not accepted in time moved on: %s", moved)
    remind_review(uow=uow, catalog=catalog, managers=managers.users(), now=now)
    if digests is not None:
        sent = send_digest(uow=uow, catalog=catalog, presenter=digests,
                           managers=managers.users(), now=now)
        if sent is not None and delivery is not None:
            digest_chart(delivery.client, sent)
    report.rechecked, report.retried = rechecked, retried
    return report


def digest_chart(client: WebClient, sent: DigestSent) -> None:
    """The week's funnel beside each digest; the digest stands alone if this fails."""
    summary = sent.digest.summary
    try:
        png = funnel_png(funnel_stages(summary.figures), f"Pipeline: {summary.period.label}")
        for target in sent.targets:
            channel = target if target.startswith(("C", "G")) else str(
                client.conversations_open(users=target)["channel"]["id"])
            client.files_upload_v2(channel=channel, content=png, filename="weekly-funnel.png",
                                   title=f"Pipeline funnel: {summary.period.label}")
    except (SlackClientError, OSError, ValueError):
        log.warning("The weekly digest's chart could not be uploaded", exc_info=True)


def run_ticker(*, uow: UnitOfWork, catalog: Catalog, managers: ManagerDirectory,
               rechecks: RecheckPresenter, stop: threading.Event, delivery: Delivery | None = None,
               interval: float = TICK_INTERVAL, digests: DigestPresenter | None = None) -> None:
    """Tick every `interval` seconds until `stop` is set; a failed tick is logged and retried."""
    while not stop.is_set():
        try:
            report = tick_once(uow=uow, catalog=catalog, managers=managers, rechecks=rechecks,
                               delivery=delivery, digests=digests)
            if report.reminded or report.escalated or report.rechecked:
                log.info("SLA: reminded %s, escalated %s; rechecks due %s", report.reminded,
                         report.escalated, report.rechecked)
        except ManagersUnavailable as error:
            log.warning("SLA tick postponed: Slack did not list the managers (%s)", error)
        except Exception:
            # Whatever went wrong this time, the next tick may succeed: the loop must live on.
            log.exception("SLA tick failed; trying again in %.0f s", interval)
        stop.wait(interval)


@dataclass
class Machinery:
    """A sender thread and a tick thread sharing one stop event; start with the runtime."""

    uow: UnitOfWork
    client: WebClient
    catalog: Catalog
    managers: ManagerDirectory
    presenter: HandoffViews
    rechecks: RecheckPresenter
    # BATON_SALES_CHANNEL: where a card goes when Slack refuses its routed channel.
    fallback: str = ""
    # Renders the weekly digest; no digest without it.
    digests: DigestPresenter | None = None
    # The team's CRM: written and read in a thread of its own; none when None.
    crm: Connection | None = None
    tick_interval: float = TICK_INTERVAL
    send_interval: float = SEND_INTERVAL
    stop_event: threading.Event = field(default_factory=threading.Event, init=False)

    def __post_init__(self) -> None:
        self.delivery = Delivery(self.uow, self.client, self.catalog, self.presenter,
                                 self.fallback, self.managers)
        self._threads: list[threading.Thread] = []

    def start(self) -> Machinery:
        """Start both loops in daemon threads, so a hard exit never waits on them."""
        self.stop_event.clear()
        self._threads = [
            threading.Thread(target=self._send, name="baton-outbox", daemon=True),
            threading.Thread(target=run_ticker, name="baton-sla", daemon=True, kwargs={
                "uow": self.uow, "catalog": self.catalog, "managers": self.managers,
                "rechecks": self.rechecks, "stop": self.stop_event,
                "delivery": self.delivery, "interval": self.tick_interval,
                "digests": self.digests}),
        ]
        if self.crm is not None:
            self._threads.append(threading.Thread(target=run_crm, name="baton-crm", daemon=True,
                                                  kwargs={"uow": self.uow, "connection": self.crm,
                                                          "client": self.client,
                                                          "managers": self.managers,
                                                          "stop": self.stop_event}))
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask both loops to stop and wait for them to finish what they are doing."""
        self.stop_event.set()
        for thread in self._threads:
            thread.join(timeout=timeout)
            if thread.is_alive():
                log.warning("%s did not stop within %.0f s", thread.name, timeout)

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def __enter__(self) -> Machinery:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _send(self) -> None:
        while not self.stop_event.is_set():
            try:
                queued, report = self.delivery.send_pass()
                busy = queued + report.handled
            except Exception:
                # A database away or a bad row this time; the sender must live on regardless.
                log.exception("outbox sender failed; trying again in %.1f s", self.send_interval)
                busy = 0
            if not busy:
                self.stop_event.wait(self.send_interval)
