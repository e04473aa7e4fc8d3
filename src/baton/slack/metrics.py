"""What an operator's Prometheus scrapes at GET /metrics: how fast Slack is acknowledged, what
Slack refused, and, read from the database at each scrape, the outbox and the SLA."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from baton.services.unit_of_work import UnitOfWork
from baton.services.vitals import read_vitals
from baton.slack.acks import Backlog

log = logging.getLogger(__name__)

# A failure counted in another process, relayed here: ("slack" or "crm", label, label).
Counted = tuple[str, str, str]
# Slack waits 3 s for an ack; the floor of a bare Bolt app is around a millisecond.
ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


def request_kind(body: dict[str, Any]) -> str:
    """What kind of Slack request a body is: command, block_actions, view_submission, event..."""
    if "command" in body:
        return "command"
    if body.get("type") == "event_callback":
        return "event"
    return str(body.get("type") or "unknown")


class Metrics:
    """The figures of one running Baton, in a registry of its own."""

    def __init__(self, uow: UnitOfWork | None = None) -> None:
        self.registry = CollectorRegistry()
        self.acks = Histogram(
            "baton_ack_seconds", "Time from a Slack request reaching Baton to its ack, by kind",
            ["kind"], buckets=ACK_BUCKETS, registry=self.registry)
        self.slack_errors = Counter(
            "baton_slack_errors", "Web API calls Slack refused or that never reached it, by "
            "method and error (Slack's code, or the connection's failure); retries count too",
            ["method", "error"], registry=self.registry)
        self.crm_errors = Counter(
            "baton_crm_errors", "Calls to the CRM that failed, by operation and error (the "
            "HTTP status the CRM answered, or unreachable); retries count too",
            ["operation", "error"], registry=self.registry)
        if uow is not None:
            self.registry.register(_Stored(uow))
        # In a worker process: where what it counts goes, to the process that serves /metrics.
        self._relay: Callable[[Counted], None] | None = None

    def relay_to(self, send: Callable[[Counted], None]) -> None:
        """From now on, send each failure counted to `send` (to be given to count() where the
        figures are served) instead of counting it here."""
        self._relay = send

    def watch_work(self, backlog: Callable[[], Backlog]) -> None:
        """Serve, read at each scrape, the work acknowledged and not done yet."""
        self.registry.register(_Work(backlog))

    def count(self, counted: Counted) -> None:
        """Count a failure another process relayed."""
        what, first, second = counted
        {"slack": self.slack_failed, "crm": self.crm_failed}[what](first, second)

    def acked(self, body: dict[str, Any], seconds: float) -> None:
        self.acks.labels(request_kind(body)).observe(seconds)

    def slack_failed(self, method: str, error: str) -> None:
        if self._relay is not None:
            self._relay(("slack", method, error))
        else:
            self.slack_errors.labels(method, error or "unknown").inc()

    def crm_failed(self, operation: str, error: str) -> None:
        if self._relay is not None:
            self._relay(("crm", operation, error))
        else:
            self.crm_errors.labels(operation, error).inc()

    def scrape(self, accept: str = "") -> tuple[bytes, str]:
        """The registry in the format the scraper's Accept header asks for, and its content
        type (reads the database: not on the event loop)."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class _Stored(Collector):
    """The outbox and the SLA as the database has them, across every Baton process."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def collect(self) -> Iterator[Metric]:
        try:
            vitals = read_vitals(uow=self.uow)
        except sa.exc.SQLAlchemyError as error:
            # The scrape still answers, with what this process knows; /healthz says why.
            log.warning("Metrics: the database did not answer (%s)", type(error).__name__)
            return
        outbox = GaugeMetricFamily("baton_outbox_messages", "Slack messages the outbox holds, "
                                   "waiting to be sent or set aside", labels=["state"])
        outbox.add_metric(["pending"], vitals.outbox_pending)
        outbox.add_metric(["set_aside"], vitals.outbox_set_aside)
        yield outbox
        yield GaugeMetricFamily("baton_outbox_oldest_pending_seconds",
                                "Age of the oldest message waiting to be sent (0 when none)",
                                value=vitals.oldest_pending_seconds)
        yield GaugeMetricFamily("baton_sla_breached_unclaimed",
                                "Handoffs past their claim-by time and still unclaimed",
                                value=vitals.sla_breached_unclaimed)
        yield CounterMetricFamily("baton_sla_breaches",
                                  "Handoffs whose claim-by time passed unclaimed, ever",
                                  value=vitals.sla_breaches)


class _Work(Collector):
    """The work after the acks still to do, in the worker process or this one."""

    def __init__(self, backlog: Callable[[], Backlog]) -> None:
        self.backlog = backlog

    def collect(self) -> Iterator[Metric]:
        count, oldest = self.backlog()
        yield GaugeMetricFamily("baton_work_waiting", "Requests acknowledged whose work (what "
                                "the listener does after its ack) is not done yet", value=count)
        yield GaugeMetricFamily("baton_work_oldest_waiting_seconds", "How long the oldest of "
                                "them has waited (0 when none)", value=oldest)
