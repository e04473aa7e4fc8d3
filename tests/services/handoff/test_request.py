"""Handing a sales-ready lead to sales: one handoff per qualification, routed by the definition."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.lead import Answer, Lead
from baton.domain.scoring import judge
from baton.domain.verdict import Verdict
from baton.services.catalog import Catalog
from baton.services.handoff import request_handoff
from baton.store.db import session_scope
from baton.store.tables import EventLog, Handoff
from tests.services.conftest import StartFn, acme, count

STRONG = {"budget": "approved", "authority": "decision_maker", "need": "urgent",
          "timeline": "this_quarter"}


def _verdict(catalog: Catalog, lead: Lead, answers: dict[str, str]) -> Verdict:
    given = [Answer(criterion=key, choice=value) for key, value in answers.items()]
    return judge(catalog.frameworks["bant"], catalog.definition, lead, given,
                 today=dt.date(2026, 11, 23))


def test_requesting_twice_returns_the_one_handoff(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start(acme(region="NA", employees=5000))
    verdict = _verdict(catalog, step.lead, STRONG)
    requests = []
    for _ in range(2):
        with session_scope(engine) as session:
            requests.append(request_handoff(
                session=session, definition=catalog.definition,
                qualification_id=step.qualification_id, verdict=verdict,
                default_channel="C0SALES001"))
    assert [r.created for r in requests] == [True, False]
    assert requests[0].handoff_id == requests[1].handoff_id
    assert (requests[0].channel, requests[0].routing_rule) == ("C0ENT00001", "Enterprise desk")
    with Session(engine) as session:
        handoff = session.exec(select(Handoff)).one()
    assert (handoff.qualification_id, handoff.status) == (step.qualification_id, "pending")
    assert count(engine, EventLog, EventLog.kind == "handoff.requested") == 1


def test_a_lead_that_is_not_sales_ready_is_not_handed_off(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    verdict = _verdict(catalog, step.lead, {**STRONG, "need": "none"})
    assert verdict.sales_ready is False
    with pytest.raises(ValueError, match="only a sales-ready lead"), session_scope(engine) as s:
        request_handoff(session=s, definition=catalog.definition,
                        qualification_id=step.qualification_id, verdict=verdict,
                        default_channel="C0SALES001")
    assert count(engine, Handoff) == 0
