"""What an operator's metrics read from the database: the outbox's backlog and the SLA."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from freezegun import freeze_time

from baton.domain.scoring import judge
from baton.services.catalog import Catalog
from baton.services.handoff import request_handoff, tick
from baton.services.handoff.claims import claim
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.services.vitals import Vitals, read_vitals
from baton.store.db import session_scope
from tests.services.conftest import StartFn, acme
from tests.services.handoff.test_sla import STRONG, TUESDAY_10, et

NOTHING = Vitals(outbox_pending=0, outbox_set_aside=0, oldest_pending_seconds=0.0,
                 sla_breached_unclaimed=0, sla_breaches=0)


def _hand_off(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str) -> int:
    step = start(acme(company=company))
    verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, STRONG,
                    today=TUESDAY_10.date())
    with freeze_time(TUESDAY_10), session_scope(engine) as session:
        return request_handoff(session=session, definition=catalog.definition,
                               qualification_id=step.qualification_id, verdict=verdict,
                               default_channel="C0SALES001").handoff_id


def test_an_empty_database_reads_nothing_waiting(engine: sa.Engine) -> None:
    assert read_vitals(uow=UnitOfWork(engine)) == NOTHING


def test_the_outbox_counts_what_waits_and_how_long_the_oldest_has(engine: sa.Engine) -> None:
    with freeze_time(TUESDAY_10), session_scope(engine) as session:
        for n in range(3):
            enqueue(session=session, kind="chat.postMessage", dedupe_key=f"note:{n}",
                    payload={"channel": "C0SALES001", "text": f"note {n}"})

    later = TUESDAY_10 + dt.timedelta(minutes=2)
    vitals = read_vitals(uow=UnitOfWork(engine), now=later)

    assert (vitals.outbox_pending, vitals.outbox_set_aside) == (3, 0)
    assert vitals.oldest_pending_seconds == 120.0


def test_handoffs_past_their_claim_by_time_are_breaches_until_and_after_a_claim(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    first = _hand_off(engine, catalog, start, "Acme Corp")
    _hand_off(engine, catalog, start, "Globex")
    uow = UnitOfWork(engine)
    tick(uow=uow, definition=catalog.definition, now=TUESDAY_10)  # deadlines: 10:15 and 11:00
    assert read_vitals(uow=uow, now=et(2026, 10, 13, 10, 14)).sla_breached_unclaimed == 0

    reminded = tick(uow=uow, definition=catalog.definition, now=et(2026, 10, 13, 10, 16))
    assert len(reminded.reminded) == 2
    with session_scope(engine) as session:
        claim(session=session, handoff_id=first, rep_user_id="U0REP0001",
              now=et(2026, 10, 13, 10, 17))
    vitals = read_vitals(uow=uow, now=et(2026, 10, 13, 10, 17))

    assert (vitals.sla_breached_unclaimed, vitals.sla_breaches) == (1, 2)
