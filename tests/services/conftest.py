"""A way to start qualifying; `engine` and `catalog` come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from baton.services.catalog import Catalog
from baton.services.qualification import (
    Intake,
    Move,
    Step,
    answer,
    attach_conversation,
    start_qualification,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.db import session_scope

BDR = "U0BDR0001"
OTHER_BDR = "U0BDR0002"
# The BDR's DM with Baton, where every question message of these tests lies.
DM = "D0DM"
STRONG_BANT = {"budget": "approved", "authority": "decision_maker", "need": "urgent",
               "timeline": "this_quarter"}


def acme(**changes: object) -> Intake:
    """A lead that fits the definition: software, 500 people, EMEA."""
    fields: dict[str, object] = {
        "company": "Acme Corp", "contact_name": "Dana Whitfield", "title": "VP Sales",
        "email": "dana@acme.example", "source": "webinar", "region": "EMEA",
        "industry": "software", "employees": 500, "framework": "bant",
    }
    fields.update(changes)
    return Intake(**fields)  # type: ignore[arg-type]


StartFn = Callable[..., Step]


@pytest.fixture
def start(engine: sa.Engine, catalog: Catalog) -> StartFn:
    """Start a qualification and attach its conversation in DM, as the intake listener does."""
    def _start(intake: Intake | None = None, bdr: str = BDR) -> Step:
        uow = UnitOfWork(engine)
        step = start_qualification(uow=uow, catalog=catalog, intake=intake or acme(),
                                   bdr_user_id=bdr, team_id="T0TEAM001")
        attach_conversation(uow=uow, qualification_id=step.qualification_id, dm_channel=DM,
                            thread_ts="1700000000.000001")
        return replace(step, dm_channel=DM, thread_ts="1700000000.000001")
    return _start


def count(engine: sa.Engine, table: type, *where: object) -> int:
    """How many rows of `table` match, read in a fresh session."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table).where(*where)).one()


def run(engine: sa.Engine, service: Callable[..., Any], **arguments: Any) -> Any:
    """Call a service's building block in a transaction of its own."""
    with session_scope(engine) as session:
        return service(session=session, **arguments)


def use(engine: sa.Engine, service: Callable[..., Any], **arguments: Any) -> Any:
    """Call a use case, which opens its own unit of work, as a listener does."""
    return service(uow=UnitOfWork(engine), **arguments)


def click(engine: sa.Engine, catalog: Catalog, qid: int, key: str, choice: str | None = None,
          typed: str | None = None, ask: str | None = None, bdr: str = BDR) -> Move:
    """The BDR answering one question message (a button, or the typed-answer modal)."""
    return use(engine, answer, catalog=catalog, qualification_id=qid, bdr_user_id=bdr,
               criterion_key=key, ask_key=ask or f"D0DM:{qid}.{key}", choice=choice,
               typed=typed, default_channel="C0SALES001")
