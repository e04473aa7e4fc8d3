"""Claiming a handoff: one winner however many click, then owner-only decisions, each logged."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.errors import HandoffClosed, NotOwner
from baton.domain.lead import Answer
from baton.domain.scoring import judge
from baton.services.catalog import Catalog
from baton.services.handoff import card_key, on_card_posted, request_handoff
from baton.services.handoff.claims import (
    ClaimResult,
    accept,
    claim,
    record_outcome,
    reject,
    release,
)
from baton.services.outbox import enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import make_client, send_due
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.db import session_scope
from baton.store.tables import EventLog, Handoff, Outcome
from baton.store.types import utcnow
from tests.services.conftest import StartFn, count, run
from tests.slack_spec.server import FakeSlack

STRONG = {"budget": "approved", "authority": "decision_maker", "need": "urgent",
          "timeline": "this_quarter"}
REP, OTHER_REP = "U0REP0001", "U0REP0002"


@pytest.fixture
def handoff_id(engine: sa.Engine, catalog: Catalog, start: StartFn) -> int:
    """A pending handoff of a sales-ready Acme Corp, as the BDR's last answer leaves it."""
    step = start()
    given = [Answer(criterion=key, choice=value) for key, value in STRONG.items()]
    verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, given,
                    today=dt.date(2026, 11, 23))
    with session_scope(engine) as session:
        return request_handoff(session=session, definition=catalog.definition,
                               qualification_id=step.qualification_id, verdict=verdict,
                               default_channel="C0SALES001").handoff_id


def _handoff(engine: sa.Engine, handoff_id: int) -> Handoff:
    with Session(engine) as session:
        return session.exec(select(Handoff).where(Handoff.id == handoff_id)).one()


def _events(engine: sa.Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(EventLog).where(EventLog.subject_type == "handoff")
                            .order_by(EventLog.id)).all()
    return [(r.kind, r.actor) for r in rows]


def _claim(engine: sa.Engine, handoff_id: int, rep: str, now: dt.datetime | None = None,
           ) -> ClaimResult:
    return run(engine, claim, handoff_id=handoff_id, rep_user_id=rep, now=now or utcnow())


def test_twenty_reps_clicking_at_once_make_one_owner(engine: sa.Engine, handoff_id: int) -> None:
    reps = [f"U0REP{n:04d}" for n in range(20)]
    results: dict[str, ClaimResult] = {}
    go = threading.Barrier(len(reps))

    def click(rep: str) -> None:
        go.wait()
        results[rep] = _claim(engine, handoff_id, rep)

    threads = [threading.Thread(target=click, args=(rep,)) for rep in reps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [rep for rep, result in results.items() if result.won]
    assert len(results) == 20
    assert len(winners) == 1
    assert {r.owner for r in results.values()} == {winners[0]}
    assert not any(r.already_yours for r in results.values())
    assert _handoff(engine, handoff_id).claimed_by == winners[0]
    assert _events(engine) == [("handoff.requested", "U0BDR0001"), ("handoff.claimed", winners[0])]


def test_the_owner_clicking_claim_twice_changes_nothing(
    engine: sa.Engine, handoff_id: int
) -> None:
    created = _handoff(engine, handoff_id).created_at
    first = _claim(engine, handoff_id, REP, now=created + dt.timedelta(minutes=4, seconds=5))
    again = _claim(engine, handoff_id, REP, now=created + dt.timedelta(minutes=9))
    assert (first.won, first.seconds_to_claim, first.already_yours) == (True, 245, False)
    assert (again.won, again.already_yours, again.claimed_at) == (False, True, first.claimed_at)
    loser = _claim(engine, handoff_id, OTHER_REP)
    assert (loser.won, loser.owner, loser.already_yours) == (False, REP, False)
    assert count(engine, EventLog, EventLog.kind == "handoff.claimed") == 1


def test_only_the_owner_accepts_and_a_second_accept_changes_nothing(
    engine: sa.Engine, handoff_id: int
) -> None:
    _claim(engine, handoff_id, REP)
    with pytest.raises(NotOwner, match=r"^Only <@U0REP0001>, who claimed it, can accept or re"):
        run(engine, accept, handoff_id=handoff_id, rep_user_id=OTHER_REP, now=utcnow())
    assert run(engine, accept, handoff_id=handoff_id, rep_user_id=REP, now=utcnow()).changed
    assert not run(engine, accept, handoff_id=handoff_id, rep_user_id=REP, now=utcnow()).changed
    handoff = _handoff(engine, handoff_id)
    assert (handoff.status, handoff.decided_by) == ("accepted", REP)
    assert _events(engine)[-1] == ("handoff.accepted", REP)
    assert count(engine, EventLog, EventLog.kind == "handoff.accepted") == 1


def test_nobody_decides_an_unclaimed_handoff(engine: sa.Engine, handoff_id: int) -> None:
    with pytest.raises(NotOwner, match="Claim it first"):
        run(engine, accept, handoff_id=handoff_id, rep_user_id=REP, now=utcnow())
    assert _handoff(engine, handoff_id).status == "pending"


def test_a_rejection_keeps_reason_and_comment(engine: sa.Engine, handoff_id: int) -> None:
    _claim(engine, handoff_id, REP)
    with pytest.raises(ValueError, match="reason: expected one of not_a_fit, .* got 'bad'"):
        run(engine, reject, handoff_id=handoff_id, rep_user_id=REP, reason="bad", comment="",
            now=utcnow())
    with pytest.raises(NotOwner):
        run(engine, reject, handoff_id=handoff_id, rep_user_id=OTHER_REP, reason="no_budget",
            comment="", now=utcnow())
    run(engine, reject, handoff_id=handoff_id, rep_user_id=REP, reason="no_budget",
        comment=" Budget frozen until Q3 ", now=utcnow())
    handoff = _handoff(engine, handoff_id)
    assert (handoff.status, handoff.reject_reason, handoff.reject_comment) == (
        "rejected", "no_budget", "Budget frozen until Q3")
    with pytest.raises(HandoffClosed, match="already rejected"):
        run(engine, accept, handoff_id=handoff_id, rep_user_id=REP, now=utcnow())


def test_a_released_handoff_can_be_claimed_by_another_rep(
    engine: sa.Engine, handoff_id: int
) -> None:
    _claim(engine, handoff_id, REP)
    with pytest.raises(NotOwner, match="can release it"):
        run(engine, release, handoff_id=handoff_id, rep_user_id=OTHER_REP, now=utcnow())
    assert run(engine, release, handoff_id=handoff_id, rep_user_id=REP, now=utcnow()).changed
    assert not run(engine, release, handoff_id=handoff_id, rep_user_id=REP, now=utcnow()).changed
    handoff = _handoff(engine, handoff_id)
    assert (handoff.status, handoff.claimed_by, handoff.claimed_at) == ("released", None, None)
    assert _claim(engine, handoff_id, OTHER_REP).won
    assert [kind for kind, _ in _events(engine)][1:] == [
        "handoff.claimed", "handoff.released", "handoff.claimed"]


def test_outcomes_are_recorded_once_each_by_the_owner(
    engine: sa.Engine, handoff_id: int
) -> None:
    _claim(engine, handoff_id, REP)
    run(engine, accept, handoff_id=handoff_id, rep_user_id=REP, now=utcnow())
    with pytest.raises(NotOwner, match="can record its outcome"):
        run(engine, record_outcome, handoff_id=handoff_id, rep_user_id=OTHER_REP,
            kind="meeting_held", now=utcnow())
    with pytest.raises(ValueError, match="kind: expected one of meeting_held, "):
        run(engine, record_outcome, handoff_id=handoff_id, rep_user_id=REP, kind="maybe",
            now=utcnow())
    with pytest.raises(ValueError, match="reason: say why"):
        run(engine, record_outcome, handoff_id=handoff_id, rep_user_id=REP, kind="lost",
            now=utcnow())
    for kind in ("meeting_held", "meeting_held", "opportunity_created"):
        run(engine, record_outcome, handoff_id=handoff_id, rep_user_id=REP, kind=kind,
            now=utcnow())
    run(engine, record_outcome, handoff_id=handoff_id, rep_user_id=REP, kind="lost",
        reason="went with a competitor", now=utcnow())
    with Session(engine) as session:
        outcomes = session.exec(select(Outcome).order_by(Outcome.id)).all()
    assert [(o.kind, o.reason, o.recorded_by) for o in outcomes] == [
        ("meeting_held", "", REP), ("opportunity_created", "", REP),
        ("lost", "went with a competitor", REP)]
    assert count(engine, EventLog, EventLog.kind == "handoff.outcome") == 3


def test_a_sent_card_marks_its_handoff_posted_at_that_message(
    engine: sa.Engine, handoff_id: int
) -> None:
    with session_scope(engine) as session:
        for key in (card_key(handoff_id), f"{card_key(handoff_id)}:qa"):
            enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
                    payload={"channel": "C0EMEA0001", "text": "Acme Corp"})
    with FakeSlack() as fake:
        client = make_client(token=fake.token, base_url=fake.url, timeout=5)
        send_due(uow=UnitOfWork(engine), client=client,
                 on_sent=on_card_posted(HandoffViews(Renderer())))
        card_ts = fake.calls_to("chat.postMessage")[0].response["ts"]
    handoff = _handoff(engine, handoff_id)
    assert (handoff.status, handoff.message_ts) == ("posted", card_ts)
    assert _claim(engine, handoff_id, REP).won
