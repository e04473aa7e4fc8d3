"""One pass of the sender: the card step and the send step, neither skipping the other."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa

from baton.services.catalog import Catalog
from baton.services.handoff import Card, CardState
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import make_client
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.slack.sending import Delivery
from baton.slack.views import Message
from baton.store.db import session_scope
from tests.services.conftest import STRONG_BANT, StartFn, click
from tests.slack_spec.server import FakeSlack


class DatabaseGoneWhileCarding(HandoffViews):
    """Cards that cannot be built because the database went away half-way through."""

    def card_message(self, card: Card, state: CardState) -> Message:
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))


def test_a_card_step_that_fails_never_stops_what_is_queued_from_going_out(
    engine: sa.Engine, catalog: Catalog, start: StartFn, caplog: pytest.LogCaptureFixture,
) -> None:
    step = start()
    for key, choice in STRONG_BANT.items():
        click(engine, catalog, step.qualification_id, key, choice)
    with session_scope(engine) as session:
        enqueue(session=session, kind="chat.postMessage", dedupe_key="note:1",
                payload={"channel": "U0BDR0001", "text": "Your lead is in"})
    with FakeSlack() as fake, caplog.at_level(logging.ERROR):
        client = make_client(token=fake.token, base_url=fake.url, timeout=5)
        delivery = Delivery(UnitOfWork(engine), client, catalog,
                            DatabaseGoneWhileCarding(Renderer()))
        reports: list[Any] = [delivery.send_pass()[1] for _ in range(3)]
        sent = [c.args["text"] for c in fake.calls_to("chat.postMessage")]

    assert sent == ["Your lead is in"]
    assert [len(r.sent) for r in reports] == [1, 0, 0]
    assert len([r for r in caplog.records if "Could not queue" in r.getMessage()]) == 1
