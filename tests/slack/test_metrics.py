"""GET /metrics of a Baton built by the composition root: the figures move as requests come."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from baton.runtime import Runtime, build_runtime
from baton.services.crm import CrmError, LeadRecord
from baton.services.outbox import enqueue
from baton.slack import ids
from baton.slack.metrics import Metrics
from baton.slack.server import create_asgi, serving_locally
from baton.standin.client import SlackClient
from baton.standin.hubspot import TOKEN, HubSpotStandin, rate_limited
from baton.store.db import session_scope
from tests.slack.test_conversation_harness import (
    SIGNING_SECRET,
    intake_values,
    new_user,
    settings_for,
    settle,
    watch,
)
from tests.slack_spec.server import FakeSlack

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@dataclass(frozen=True)
class Measured:
    """A running Baton, Slack's side of it, and its /metrics."""

    runtime: Runtime
    slack: SlackClient
    fake: FakeSlack
    url: str

    def scrape(self) -> tuple[str, Samples]:
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=5) as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = answer.read().decode()
        samples = {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
                   for family in text_string_to_metric_families(text)
                   for sample in family.samples}
        return text, samples

    def value(self, name: str, **labels: str) -> float:
        return self.scrape()[1].get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def measured(shared_fake: FakeSlack, database: str) -> Iterator[Measured]:
    runtime = build_runtime(settings_for(shared_fake, database))
    watch(runtime.app, shared_fake)
    asgi = create_asgi(runtime.app, runtime.engine, signing_secret=SIGNING_SECRET,
                       metrics=runtime.metrics)
    with serving_locally(asgi) as url, SlackClient(
        url, SIGNING_SECRET, response_base=shared_fake.root
    ) as slack:
        yield Measured(runtime, slack, shared_fake, url)
    runtime.engine.dispose()


def test_every_figure_is_there_before_any_request(measured: Measured) -> None:
    text, samples = measured.scrape()

    for family in ("baton_ack_seconds", "baton_slack_errors_total", "baton_crm_errors_total",
                   "baton_outbox_messages", "baton_outbox_oldest_pending_seconds",
                   "baton_sla_breached_unclaimed", "baton_sla_breaches_total",
                   "baton_work_waiting", "baton_work_oldest_waiting_seconds"):
        assert f"# TYPE {family.removesuffix('_total')}" in text, family
    assert ("baton_outbox_messages", (("state", "set_aside"),)) in samples


def test_acks_are_counted_and_timed_by_kind(measured: Measured) -> None:
    commands = measured.value("baton_ack_seconds_count", kind="command")
    modals = measured.value("baton_ack_seconds_count", kind="view_submission")

    for _ in range(2):
        assert measured.slack.command("/qualify", "help", user_id=new_user()).status_code == 200
    refused = measured.slack.view_submission(ids.INTAKE_MODAL, intake_values(""),
                                             user_id=new_user())
    assert refused.json()["response_action"] == "errors"

    assert measured.value("baton_ack_seconds_count", kind="command") == commands + 2
    assert measured.value("baton_ack_seconds_count", kind="view_submission") == modals + 1
    # Every ack took less than Slack's 3 seconds.
    assert measured.value("baton_ack_seconds_bucket", kind="command", le="3.0") == commands + 2


def test_what_slack_refuses_is_counted_by_method_and_error(measured: Measured) -> None:
    before = measured.value("baton_slack_errors_total", method="views.open",
                            error="expired_trigger_id")
    measured.fake.fail("views.open", error="expired_trigger_id")

    measured.slack.command("/qualify", "Acme Corp", user_id=new_user())
    settle(measured.fake)

    assert measured.value("baton_slack_errors_total", method="views.open",
                          error="expired_trigger_id") == before + 1


def test_work_acknowledged_and_not_done_is_counted_until_it_is(measured: Measured) -> None:
    assert measured.value("baton_work_waiting") == 0
    held = measured.fake.hold("views.open")  # Slack takes the modal and is slow to answer

    measured.slack.command("/qualify", "Acme Corp", user_id=new_user())

    assert held.taken.wait(10)
    time.sleep(0.05)
    assert measured.value("baton_work_waiting") == 1
    assert measured.value("baton_work_oldest_waiting_seconds") >= 0.05
    held.release()
    settle(measured.fake)
    assert measured.value("baton_work_waiting") == 0
    assert measured.value("baton_work_oldest_waiting_seconds") == 0


def test_the_outbox_is_read_from_the_database_at_each_scrape(measured: Measured) -> None:
    before = measured.value("baton_outbox_messages", state="pending")

    with session_scope(measured.runtime.engine) as session:
        enqueue(session=session, kind="chat.postMessage", dedupe_key=f"note:{new_user()}",
                payload={"channel": "C0SALES", "text": "Acme Corp is sales-ready"})

    assert measured.value("baton_outbox_messages", state="pending") == before + 1
    assert measured.value("baton_outbox_oldest_pending_seconds") >= 0


def test_what_the_crm_fails_is_counted_by_operation_and_error(shared_fake: FakeSlack,
                                                              database: str) -> None:
    with HubSpotStandin() as hubspot:
        runtime = build_runtime(settings_for(shared_fake, database, baton_crm="hubspot",
                                             hubspot_access_token=TOKEN,
                                             hubspot_api_url=hubspot.url))
        assert runtime.crm is not None
        crm = runtime.crm.crm
        try:
            hubspot.fail_next(rate_limited())
            with pytest.raises(CrmError):
                crm.look_up(email="ana@initech.example", domain="initech.example",
                            company="Initech", timeout=5)
            crm.look_up(email="ana@initech.example", domain="initech.example",
                        company="Initech", timeout=5)  # answered: nothing counted
            hubspot.token = "pat-na1-revoked"
            with pytest.raises(CrmError):
                crm.upsert(LeadRecord(email="ana@initech.example", first_name="Ana",
                                      last_name="Lima", title="CFO", company="Initech"),
                           known=None)
            samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
                       for family in text_string_to_metric_families(
                           runtime.metrics.scrape()[0].decode())
                       for s in family.samples if s.name == "baton_crm_errors_total"}
        finally:
            runtime.engine.dispose()

    assert samples == {
        ("baton_crm_errors_total", (("error", "429"), ("operation", "look_up"))): 1.0,
        ("baton_crm_errors_total", (("error", "401"), ("operation", "upsert"))): 1.0,
    }


def test_what_a_worker_process_counts_is_served_where_metrics_are_scraped() -> None:
    served, worker = Metrics(), Metrics()
    relayed: list[tuple[str, str, str]] = []
    worker.relay_to(relayed.append)  # in baton run, a queue between the two processes

    worker.slack_failed("chat.update", "message_not_found")
    worker.crm_failed("look_up", "429")
    for counted in relayed:
        served.count(counted)

    text = served.scrape()[0].decode()
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples[("baton_slack_errors_total",
                    (("error", "message_not_found"), ("method", "chat.update")))] == 1
    assert samples[("baton_crm_errors_total", (("error", "429"), ("operation", "look_up")))] == 1
    assert "baton_crm_errors_total{" not in worker.scrape()[0].decode()
