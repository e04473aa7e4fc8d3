"""A Baton with a CRM connected, run against a CRM stand-in, and the CRM loop's passes as
`baton run` makes them; shared by the HubSpot and Salesforce round-trip tests."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from baton.runtime import connection
from baton.services.catalog import Catalog
from baton.services.crm import Connection
from baton.services.pipeline import criterion_keys, export_rows
from baton.services.unit_of_work import UnitOfWork
from baton.slack.crm_sync import sync_once
from baton.slack.delivery import make_client
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    running,
    settings_for,
    shown,
)
from tests.slack.test_handoff_harness import deliver
from tests.slack_spec.server import FakeSlack

LEAD = "U0LEAD0CRM"  # the managers' one member: told of refusals, asks /pipeline


@contextmanager
def crm_baton(fake: FakeSlack, database: str, **crm: str) -> Iterator[tuple[Baton, Connection]]:
    """A Baton with the CRM of the `crm` settings connected, started as `baton run` starts."""
    settings = settings_for(fake, database, baton_managers=LEAD, **crm)
    found = connection(settings)
    assert found is not None
    with running(settings, fake, crm=found) as (client, engine):
        baton = Baton(fake, client, engine, settings)
        sync(baton, found)  # as `baton run` does when it starts: the CRM hears from now on
        yield baton, found


def sync(baton: Baton, crm: Connection, *, pull: bool = False) -> None:
    """One pass of the CRM's loop, as `baton run` makes every second (deals every 5 minutes),
    once what the clicks recorded has settled."""
    deliver(baton)
    client = make_client(token=baton.fake.token, base_url=baton.fake.url)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    for _ in range(4):  # a write waits for the one queued before it, for the same lead
        sync_once(uow=UnitOfWork(baton.engine), connection=crm, client=client, managers=None,
                  now=later)
        later += dt.timedelta(seconds=3)
    if pull:
        sync_once(uow=UnitOfWork(baton.engine), connection=crm, client=client, managers=None,
                  pull=True)


def passes(baton: Baton, crm: Connection, start: dt.datetime, seconds: int,
           every: int = 5) -> None:
    """The CRM loop's passes over `seconds`, one every `every` seconds from `start`."""
    client = make_client(token=baton.fake.token, base_url=baton.fake.url)
    for step in range(0, seconds, every):
        sync_once(uow=UnitOfWork(baton.engine), connection=crm, client=client, managers=None,
                  now=start + dt.timedelta(seconds=step))


def domain() -> str:
    return f"{uuid.uuid4().hex[:8]}.example"


def check_won_once(baton: Baton, crm: Connection, catalog: Catalog, name: str,
                   amount: str) -> None:
    """`name`'s lead is won (by the CRM, with `amount`) in the export and in a manager's
    /pipeline; a second pull records nothing more."""
    rows = [r for r in export_rows(uow=UnitOfWork(baton.engine), since=dt.date.today(),
                                   until=None, keys=criterion_keys(catalog))
            if r["company"] == name]
    assert [(r["outcome"], r["outcome_by"], r["outcome_amount"]) for r in rows] == [
        ("won", crm.key, amount)]
    response = baton.slack.command("/pipeline", "", user_id=LEAD, channel_id="C0SALES")
    assert response.status_code == 200
    assert "sales-ready, 1 won" in shown(baton.fake.wait_for("response_url")[-1]).splitlines()[0]
    sync(baton, crm, pull=True)
    assert count_rows(baton.engine, "SELECT count(*) FROM outcome o JOIN handoff h ON "
                      "h.id = o.handoff_id JOIN lead l ON l.id = h.lead_id WHERE "
                      "l.company = :c", c=name) == 2  # opportunity created, won: once each
