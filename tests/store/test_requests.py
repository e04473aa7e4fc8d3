"""A retried Slack event or a double click is handled once."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, func, select

from baton.store.requests import first_time
from baton.store.tables import EventLog, ProcessedRequest


def test_a_key_is_new_once_across_sessions(engine: sa.Engine) -> None:
    with Session(engine) as session:
        assert first_time(session, "event:Ev01")
        session.commit()
    with Session(engine) as session:
        assert not first_time(session, "event:Ev01")
        assert first_time(session, "event:Ev02")
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ProcessedRequest)).one() == 2


def test_work_done_after_a_replay_is_still_saved(engine: sa.Engine) -> None:
    with Session(engine) as session:
        first_time(session, "click:U0REP0001:1732350000.1234:claim")
        session.commit()
    with Session(engine) as session:
        assert not first_time(session, "click:U0REP0001:1732350000.1234:claim")
        session.add(EventLog(actor="U0REP0001", kind="handoff.claim_repeated",
                             subject_type="handoff", subject_id="1"))
        session.commit()
    with Session(engine) as session:
        assert [e.kind for e in session.exec(select(EventLog))] == ["handoff.claim_repeated"]


def test_a_key_whose_work_failed_can_be_tried_again(engine: sa.Engine) -> None:
    with Session(engine) as session:
        assert first_time(session, "event:Ev03")
        session.rollback()
    with Session(engine) as session:
        assert first_time(session, "event:Ev03")
