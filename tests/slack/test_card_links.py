"""A posted card's permalink is kept on its handoff, in the step that links the BDR to it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services import handoff
from baton.services.catalog import Catalog
from baton.services.pipeline import criterion_keys, export_rows
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import make_client, send_due
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.slack.sending import Delivery
from baton.store.tables import Handoff, OutboxMessage
from tests.services.conftest import STRONG_BANT, StartFn, click
from tests.slack_spec.server import FakeSlack

CARDS = HandoffViews(Renderer())  # the card presenter, as the composition root builds it

EMEA = "C0EMEA0001"  # where the routing rules send a lead from EMEA


def _sales_ready(engine: sa.Engine, catalog: Catalog, start: StartFn) -> None:
    step = start()
    for key, choice in STRONG_BANT.items():
        click(engine, catalog, step.qualification_id, key, choice)


def _deliver(engine: sa.Engine, catalog: Catalog, fake: FakeSlack) -> None:
    client = make_client(token=fake.token, base_url=fake.url, timeout=5)
    Delivery(UnitOfWork(engine), client, catalog, CARDS).send_all_due()


def _stored(engine: sa.Engine) -> tuple[str | None, str]:
    """The one handoff's permalink and the text of the link notice queued for its BDR."""
    with Session(engine) as session:
        handoff = session.exec(select(Handoff)).one()
        notice = session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"card-link:{handoff.id}")).one()
    return handoff.permalink, str(notice.payload["text"])


def test_the_permalink_slack_gives_for_the_card_is_kept_on_its_handoff(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    _sales_ready(engine, catalog, start)
    with FakeSlack() as fake:
        _deliver(engine, catalog, fake)
        _deliver(engine, catalog, fake)
        card = next(c for c in fake.calls_to("chat.postMessage") if "thread_ts" not in c.args
                    and c.args["channel"] == EMEA)
        answered = [c.response["permalink"] for c in fake.calls_to("chat.getPermalink")]

    permalink, notice = _stored(engine)
    assert answered == [permalink]
    assert permalink == f"https://fake.slack.com/archives/{EMEA}/p" \
                        f"{card.response['ts'].replace('.', '')}"
    assert permalink in notice
    exported = list(export_rows(uow=UnitOfWork(engine), since=dt.date(2026, 1, 1), until=None,
                                keys=criterion_keys(catalog)))
    assert [row["card_link"] for row in exported] == [permalink]


def test_without_slack_s_permalink_the_bdr_is_still_linked_and_nothing_is_kept(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    _sales_ready(engine, catalog, start)
    with FakeSlack() as fake:
        fake.fail("chat.getPermalink", error="internal_error")
        _deliver(engine, catalog, fake)

    permalink, notice = _stored(engine)
    assert permalink is None
    assert f"https://slack.com/archives/{EMEA}/p" in notice


def test_the_bdr_s_link_notice_is_queued_with_the_card_s_sent_mark(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    _sales_ready(engine, catalog, start)
    with FakeSlack() as fake:
        client = make_client(token=fake.token, base_url=fake.url, timeout=5)
        delivery = Delivery(UnitOfWork(engine), client, catalog, CARDS)
        handoff.queue_pending_cards(uow=delivery.uow, catalog=catalog, presenter=CARDS)
        # The card alone is sent; the process stops before anything else.
        send_due(uow=delivery.uow, client=client, limit=1, on_sent=delivery.on_sent)
        permalink, notice = _stored(engine)
        assert permalink is None
        assert f"https://slack.com/archives/{EMEA}/p" in notice

        delivery.send_all_due()
        [link] = [c for c in fake.calls_to("chat.postMessage") if "see the card" in str(c.args)]
    permalink, notice = _stored(engine)
    assert permalink is not None
    assert permalink in notice
    assert permalink in str(link.args["blocks"])
