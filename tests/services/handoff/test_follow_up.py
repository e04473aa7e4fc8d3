"""The owner's follow-up timed by the SLA: accepting within its minutes of holding the lead,
first contact within its minutes of accepting; medians and late ones in the pipeline summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session

from baton.domain.errors import HandoffClosed, NotOwner
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.handoff import set_follow_up_deadlines
from baton.services.handoff.claims import accept, claim, record_first_contact
from baton.services.pipeline import summarise
from baton.services.qualification import Judged
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff
from tests.services.conftest import STRONG_BANT, StartFn, acme, click

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=NEW_YORK)
SAM, ALEX = "U0SAM00001", "U0ALEX0001"


def timed(catalog: Catalog) -> Catalog:
    sla = catalog.definition.sla.model_copy(update={"accept_within_minutes": 30,
                                                    "contact_within_minutes": 60})
    return dataclasses.replace(catalog, definition=catalog.definition.model_copy(
        update={"sla": sla}))


def at(minutes: int) -> dt.datetime:
    return MONDAY + dt.timedelta(minutes=minutes)


def handed_off(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str) -> int:
    step = start(acme(company=company, email=f"jo@{company.lower()}.example"))
    with freeze_time(at(0)):
        for key, choice in STRONG_BANT.items():
            move = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(move, Judged)
    assert move.handoff_id is not None
    return move.handoff_id


def act(engine: sa.Engine, minutes: int, do: object, **arguments: object) -> object:
    with freeze_time(at(minutes)), UnitOfWork(engine).writing() as session:
        return do(session=session, now=at(minutes), **arguments)  # type: ignore[operator]


def tick(engine: sa.Engine, catalog: Catalog, minutes: int) -> int:
    return set_follow_up_deadlines(uow=UnitOfWork(engine), catalog=catalog, now=at(minutes))


def test_deadlines_are_set_from_the_claim_and_the_acceptance_in_business_minutes(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    sla = timed(catalog)
    handoff_id = handed_off(engine, sla, start, "Globex")
    act(engine, 5, claim, handoff_id=handoff_id, rep_user_id=SAM)
    assert tick(engine, sla, 6) == 1
    act(engine, 50, accept, handoff_id=handoff_id, rep_user_id=SAM)
    assert tick(engine, sla, 51) == 1
    assert tick(engine, sla, 52) == 0  # set once

    with Session(engine) as session:
        row = session.get(Handoff, handoff_id)
    assert row is not None
    assert (row.accept_by, row.contact_by) == (at(35), at(110))
    assert tick(engine, catalog, 53) == 0  # the shipped definition times neither


def test_the_summary_counts_medians_and_late_follow_ups(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    sla = timed(catalog)
    late = handed_off(engine, sla, start, "Globex")
    waiting = handed_off(engine, sla, start, "Initech")
    act(engine, 5, claim, handoff_id=late, rep_user_id=SAM)
    act(engine, 10, claim, handoff_id=waiting, rep_user_id=ALEX)
    tick(engine, sla, 11)
    act(engine, 50, accept, handoff_id=late, rep_user_id=SAM)  # 15 minutes after 10:35
    tick(engine, sla, 51)
    act(engine, 90, record_first_contact, handoff_id=late, rep_user_id=SAM,
        kind="meeting_booked")  # within the hour after accepting

    with freeze_time(at(120)):
        figures = summarise(uow=UnitOfWork(engine),
                            period=parse_period("today", now=at(120), tz="America/New_York")
                            ).figures
    assert (figures.accept_median_seconds, figures.contact_median_seconds) == (2700.0, 2400.0)
    assert (figures.accepted_late, figures.contacted_late) == (2, 0)


def test_first_contact_is_the_owners_once_accepted_and_counts_once(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    handoff_id = handed_off(engine, catalog, start, "Globex")
    act(engine, 5, claim, handoff_id=handoff_id, rep_user_id=SAM)
    with pytest.raises(HandoffClosed, match="accept it first"):
        act(engine, 6, record_first_contact, handoff_id=handoff_id, rep_user_id=SAM,
            kind="contacted")
    act(engine, 7, accept, handoff_id=handoff_id, rep_user_id=SAM)
    with pytest.raises(NotOwner):
        act(engine, 8, record_first_contact, handoff_id=handoff_id, rep_user_id=ALEX,
            kind="contacted")
    first = act(engine, 9, record_first_contact, handoff_id=handoff_id, rep_user_id=SAM,
                kind="contacted")
    again = act(engine, 10, record_first_contact, handoff_id=handoff_id, rep_user_id=SAM,
                kind="meeting_booked")
    assert (first.changed, again.changed) == (True, False)  # type: ignore[attr-defined]
    with Session(engine) as session:
        row = session.get(Handoff, handoff_id)
    assert row is not None
    assert (row.contact_kind, row.contacted_at) == ("contacted", at(9))
