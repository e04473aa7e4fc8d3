"""An event Slack delivers more than once is recorded once, in any process, on each database."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from freezegun import freeze_time

from baton.services.requests import first_delivery, forget_old_events
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import make_engine


def test_an_event_is_a_first_delivery_once(engine: sa.Engine) -> None:
    assert first_delivery(uow=UnitOfWork(engine), event_id="Ev01") is True
    assert first_delivery(uow=UnitOfWork(engine), event_id="Ev01") is False
    assert first_delivery(uow=UnitOfWork(engine), event_id="Ev02") is True


def test_another_process_sees_the_event_was_delivered(engine: sa.Engine, database_url: str) -> None:
    other_process = make_engine(database_url)
    try:
        assert first_delivery(uow=UnitOfWork(engine), event_id="Ev03") is True
        assert first_delivery(uow=UnitOfWork(other_process), event_id="Ev03") is False
    finally:
        other_process.dispose()


def test_of_deliveries_racing_each_other_exactly_one_is_first(engine: sa.Engine) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        firsts = list(pool.map(lambda _: first_delivery(uow=UnitOfWork(engine), event_id="Ev04"),
                               range(12)))

    assert firsts.count(True) == 1


def test_an_event_is_remembered_for_a_day_then_let_go(engine: sa.Engine) -> None:
    uow = UnitOfWork(engine)
    handled = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with freeze_time(handled):
        assert first_delivery(uow=uow, event_id="Ev05") is True

    assert forget_old_events(uow=uow, now=handled + dt.timedelta(hours=23)) == 0
    assert first_delivery(uow=uow, event_id="Ev05") is False
    assert forget_old_events(uow=uow, now=handled + dt.timedelta(days=1, minutes=1)) == 1
    assert first_delivery(uow=uow, event_id="Ev05") is True
