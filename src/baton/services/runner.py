"""The background machinery of a running Baton: the outbox sender and the SLA tick, in threads."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff_card import CardPresenter
from baton.services.handoff_card_queue import enqueue_pending_cards
from baton.services.handoff_card_queue import on_sent as card_on_sent
from baton.services.outbox import OnSent, SendReport, send_due
from baton.services.sla_timers import TickReport, tick
from baton.services.slack_members import KeptMembers
from baton.store.types import utcnow

log = logging.getLogger(__name__)

TICK_INTERVAL = 30.0
SEND_INTERVAL = 1.0
GROUP_TTL = 300.0
# Slack errors that say a group will never expand (a wrong id, a missing scope), unlike an outage.
_FINAL_GROUP_ERRORS = frozenset(
    {"no_such_subteam", "missing_scope", "not_allowed_token_type", "invalid_arguments"})


class ManagersUnavailable(RuntimeError):
    """Slack could not say, for now, who is in a managers' user group."""


class ManagerDirectory:
    """BATON_MANAGERS as people: user groups (S...) expanded through Slack, kept briefly."""

    def __init__(self, client: WebClient, managers: Sequence[str], *, ttl: float = GROUP_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client, self._managers = client, list(managers)
        # Better the members Slack last named than escalating to nobody while it is failing.
        self._groups = KeptMembers(what="user group", unavailable=ManagersUnavailable, ttl=ttl,
                                   clock=clock)

    def users(self) -> list[str]:
        """Every manager's user id, once each, in the order BATON_MANAGERS names them."""
        found: list[str] = []
        for manager in self._managers:
            members = self._members(manager) if manager.startswith("S") else [manager]
            found.extend(user for user in members if user not in found)
        return found

    def _members(self, group: str) -> list[str]:
        return self._groups.get(group, lambda: self._list(group))

    def _list(self, group: str) -> list[str]:
        try:
            return list(self._client.usergroups_users_list(usergroup=group)["users"])
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code not in _FINAL_GROUP_ERRORS:
                raise
            log.error("BATON_MANAGERS: Slack cannot list user group %s (%s); its members are "
                      "not told of unclaimed handoffs", group, code)
            return []


def after_sending(client: WebClient, presenter: CardPresenter) -> OnSent:
    """What follows Slack taking a message: a card marks its handoff posted, its BDR gets a link."""
    return card_on_sent(client, presenter)


def tick_once(*, engine: sa.Engine, catalog: Catalog, managers: ManagerDirectory,
              now: dt.datetime | None = None) -> TickReport:
    """Remind and escalate what is due now, by the definition in force."""
    with Session(engine) as session:
        definition = definition_in_force(session=session, catalog=catalog)
    return tick(engine=engine, definition=definition, now=now or utcnow(),
                managers=managers.users())


def send_pass(*, engine: sa.Engine, client: WebClient, catalog: Catalog,
              presenter: CardPresenter, on_sent: OnSent | None = None,
              now: dt.datetime | None = None) -> tuple[int, SendReport]:
    """Queue the cards of handoffs decided since the last pass, then deliver what is due."""
    queued = enqueue_pending_cards(engine=engine, catalog=catalog, presenter=presenter)
    return queued, send_due(engine=engine, client=client, now=now, on_sent=on_sent)


def send_all_due(*, engine: sa.Engine, client: WebClient, catalog: Catalog,
                 presenter: CardPresenter, on_sent: OnSent | None = None,
                 now: dt.datetime | None = None) -> int:
    """Queue pending cards and deliver every row due now (for cron); how many Slack took."""
    sent = 0
    while True:
        queued, report = send_pass(engine=engine, client=client, catalog=catalog,
                                   presenter=presenter, on_sent=on_sent, now=now)
        sent += len(report.sent)
        if queued == 0 and report.handled == 0:
            return sent


def run_ticker(*, engine: sa.Engine, catalog: Catalog, managers: ManagerDirectory,
               stop: threading.Event, interval: float = TICK_INTERVAL) -> None:
    """Tick every `interval` seconds until `stop` is set; a failed tick is logged and retried."""
    while not stop.is_set():
        try:
            report = tick_once(engine=engine, catalog=catalog, managers=managers)
            if report.reminded or report.escalated:
                log.info("SLA: reminded %s, escalated %s", report.reminded, report.escalated)
        except ManagersUnavailable as error:
            log.warning("SLA tick postponed: Slack did not list the managers (%s)", error)
        except Exception:
            # Whatever went wrong this time, the next tick may succeed: the loop must live on.
            log.exception("SLA tick failed; trying again in %.0f s", interval)
        stop.wait(interval)


@dataclass
class Machinery:
    """A sender thread and a tick thread sharing one stop event; start with the runtime."""

    engine: sa.Engine
    client: WebClient
    catalog: Catalog
    managers: ManagerDirectory
    presenter: CardPresenter
    on_sent: OnSent | None = None  # None: after_sending(client, presenter)
    tick_interval: float = TICK_INTERVAL
    send_interval: float = SEND_INTERVAL

    def __post_init__(self) -> None:
        if self.on_sent is None:
            self.on_sent = after_sending(self.client, self.presenter)
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Machinery:
        """Start both loops in daemon threads, so a hard exit never waits on them."""
        self.stop_event.clear()
        self._threads = [
            threading.Thread(target=self._send, name="baton-outbox", daemon=True),
            threading.Thread(target=run_ticker, name="baton-sla", daemon=True, kwargs={
                "engine": self.engine, "catalog": self.catalog, "managers": self.managers,
                "stop": self.stop_event, "interval": self.tick_interval}),
        ]
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
                queued, report = send_pass(
                    engine=self.engine, client=self.client, catalog=self.catalog,
                    presenter=self.presenter, on_sent=self.on_sent)
                busy = queued + report.handled
            except Exception:
                # A database away or a bad row this time; the sender must live on regardless.
                log.exception("outbox sender failed; trying again in %.1f s", self.send_interval)
                busy = 0
            if not busy:
                self.stop_event.wait(self.send_interval)
