"""What the tables promise callers: history kept, duplicates refused, times exact."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from baton.store.events import record_event
from baton.store.tables import (
    AnswerEntry,
    EventLog,
    Handoff,
    Lead,
    ProcessedRequest,
    Qualification,
    VerdictRecord,
)
from baton.store.types import utcnow

PARIS = dt.timezone(dt.timedelta(hours=2))


def _qualification(session: Session, company: str = "Acme Corp") -> Qualification:
    lead = Lead(company=company, email="jo@acme.example")
    session.add(lead)
    session.flush()
    qualification = Qualification(
        lead_id=lead.id, bdr_user_id="U0BDR0001", team_id="T0TEAM001", framework="bant"
    )
    session.add(qualification)
    session.flush()
    return qualification


def _current_answer(session: Session, qualification_id: int, key: str) -> AnswerEntry | None:
    query = select(AnswerEntry).where(
        AnswerEntry.qualification_id == qualification_id,
        AnswerEntry.criterion_key == key,
        AnswerEntry.is_current,
    )
    return session.exec(query).one_or_none()


def test_a_corrected_answer_keeps_its_history(engine: sa.Engine) -> None:
    with Session(engine) as session:
        q = _qualification(session)
        q_id = q.id
        first = AnswerEntry(qualification_id=q_id, criterion_key="budget", choice="none",
                            answered_by="U0BDR0001")
        session.add(first)
        session.commit()

        first.is_current, first.superseded_at = False, utcnow()
        session.add(AnswerEntry(qualification_id=q_id, criterion_key="budget",
                                choice="approved", typed_value="$40k",
                                normalised_value="40000", answered_by="U0BDR0001"))
        session.commit()

    with Session(engine) as session:
        current = _current_answer(session, q_id, "budget")
        assert current is not None
        assert current.choice == "approved"
        history = session.exec(select(AnswerEntry).order_by(AnswerEntry.id)).all()
        assert [(row.choice, row.is_current) for row in history] == [
            ("none", False), ("approved", True)]
        assert history[0].superseded_at is not None


def test_a_second_current_answer_to_one_criterion_is_refused(engine: sa.Engine) -> None:
    with Session(engine) as session:
        q = _qualification(session)
        for choice in ("none", "approved"):
            session.add(AnswerEntry(qualification_id=q.id, criterion_key="budget",
                                    choice=choice, answered_by="U0BDR0001"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_a_replayed_request_key_is_refused(engine: sa.Engine) -> None:
    key = "event:Ev0123ABCD"
    with Session(engine) as session:
        session.add(ProcessedRequest(key=key))
        session.commit()
    # Another process handling Slack's retry of the same event.
    with Session(engine) as session:
        session.add(ProcessedRequest(key=key))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ProcessedRequest)).one() == 1


def test_events_are_appended_in_order_with_their_payload(engine: sa.Engine) -> None:
    with Session(engine) as session:
        record_event(session, actor="U0BDR0001", kind="qualification.started",
                     subject_type="qualification", subject_id=7, payload={"framework": "bant"})
        record_event(session, actor="U0REP0001", kind="handoff.claimed",
                     subject_type="handoff", subject_id=3)
        session.commit()

    with Session(engine) as session:
        rows = session.exec(select(EventLog).order_by(EventLog.id)).all()
        assert [(r.kind, r.subject_id, r.payload) for r in rows] == [
            ("qualification.started", "7", {"framework": "bant"}),
            ("handoff.claimed", "3", {}),
        ]
        assert rows[0].at <= rows[1].at


def test_times_come_back_as_the_same_moment_in_utc(engine: sa.Engine) -> None:
    claim_by = dt.datetime(2026, 11, 23, 17, 45, 30, 123000, tzinfo=PARIS)
    with Session(engine) as session:
        q = _qualification(session)
        session.add(Handoff(qualification_id=q.id, lead_id=q.lead_id, channel="C0SALES01",
                            claim_by=claim_by))
        session.commit()

    with Session(engine) as session:
        stored = session.exec(select(Handoff)).one().claim_by
        assert stored == claim_by
        assert stored is not None
        assert stored.utcoffset() == dt.timedelta(0)
        assert stored.hour == 15
        overdue = select(Handoff).where(Handoff.claim_by < claim_by + dt.timedelta(seconds=1))
        assert session.exec(overdue).one_or_none() is not None


def test_a_naive_time_is_refused(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(ProcessedRequest(key="k", created_at=dt.datetime(2026, 11, 23, 12, 0)))
        with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
            session.commit()


def test_a_lead_is_found_again_by_company_in_any_case(engine: sa.Engine) -> None:
    with Session(engine) as session:
        _qualification(session, company="Acme Corp")
        session.commit()
        query = select(Lead).where(func.lower(Lead.company) == "ACME CORP".lower())
        assert [lead.company for lead in session.exec(query)] == ["Acme Corp"]


def test_one_handoff_per_qualification(engine: sa.Engine) -> None:
    with Session(engine) as session:
        q = _qualification(session)
        for _ in range(2):
            session.add(Handoff(qualification_id=q.id, lead_id=q.lead_id, channel="C0SALES01"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_an_answer_for_a_missing_qualification_is_refused(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(AnswerEntry(qualification_id=999, criterion_key="budget",
                                answered_by="U0BDR0001"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_a_verdict_keeps_its_criteria_and_definition_version(engine: sa.Engine) -> None:
    criteria = [{"key": "need", "status": "met", "reason": "Pain is urgent", "points": 30}]
    with Session(engine) as session:
        q = _qualification(session)
        session.add(VerdictRecord(qualification_id=q.id, sales_ready=True, score=72,
                                  definition_version="2026-Q4.1", framework="bant",
                                  criteria=criteria, missing=["timeline"]))
        session.commit()

    with Session(engine) as session:
        verdict = session.exec(select(VerdictRecord)).one()
        assert (verdict.definition_version, verdict.criteria, verdict.missing) == (
            "2026-Q4.1", criteria, ["timeline"])
