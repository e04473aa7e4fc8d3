"""The weekly digest is queued once a week for each manager, even with two processes ticking
at the same moment on one database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.definition import WeeklyDigest
from baton.services.catalog import Catalog
from baton.services.pipeline.digest import DigestSent, send_digest
from baton.services.unit_of_work import UnitOfWork
from baton.slack.pipeline_views import PipelineViews
from baton.slack.render import Renderer
from baton.store.tables import OutboxMessage

MANAGERS = ("U0MAX00001", "U0MAX00002")
MONDAY_10 = dt.datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("America/New_York"))


def digesting(catalog: Catalog, **setting: object) -> Catalog:
    return dataclasses.replace(catalog, definition=catalog.definition.model_copy(
        update={"digest": WeeklyDigest.model_validate(setting)}))


def rows(engine: sa.Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(row.payload["channel"] for row in session.exec(select(OutboxMessage))
                      if row.dedupe_key.startswith("digest:"))


def test_two_processes_ticking_at_once_queue_one_digest_per_manager(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    weekly = digesting(catalog)
    results: list[DigestSent | None] = []

    def tick() -> None:
        results.append(send_digest(uow=UnitOfWork(engine), catalog=weekly,
                                   presenter=PipelineViews(Renderer()), managers=MANAGERS,
                                   now=MONDAY_10))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result is not None for result in results) == 1
    assert rows(engine) == list(MANAGERS)


def test_a_digest_set_to_a_channel_goes_there_and_none_without_the_setting(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    none = send_digest(uow=UnitOfWork(engine), catalog=dataclasses.replace(
        catalog, definition=catalog.definition.model_copy(update={"digest": None})),
        presenter=PipelineViews(Renderer()), managers=MANAGERS, now=MONDAY_10)
    sent = send_digest(uow=UnitOfWork(engine), catalog=digesting(catalog, channel="C0MGRS0001"),
                       presenter=PipelineViews(Renderer()), managers=MANAGERS, now=MONDAY_10)
    assert none is None
    assert sent is not None
    assert sent.targets == ("C0MGRS0001",)
    assert rows(engine) == ["C0MGRS0001"]
