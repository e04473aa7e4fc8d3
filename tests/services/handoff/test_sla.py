"""SLA timers: a reminder in the card's thread, then the managers, in business time, once each."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session, select

from baton.domain.lead import Answer
from baton.domain.scoring import judge
from baton.services.catalog import Catalog
from baton.services.handoff import TickReport, card_key, request_handoff, tick
from baton.services.handoff.claims import claim
from baton.services.handoff.sla import deadlines_for
from baton.services.outbox import THREAD_OF, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.slack.delivery import make_client, send_due
from baton.store.db import session_scope
from baton.store.tables import OutboxMessage
from tests.services.conftest import StartFn, acme, run
from tests.slack_spec.server import FakeSlack

NEW_YORK = ZoneInfo("America/New_York")
STRONG = [Answer(criterion="budget", choice="approved"),
          Answer(criterion="authority", choice="decision_maker"),
          Answer(criterion="need", choice="urgent"),
          Answer(criterion="timeline", choice="this_quarter")]
MANAGERS = ("U0MGR0001", "U0MGR0002")
HandOff = Callable[..., int]


def et(*parts: int) -> dt.datetime:
    """A New York wall-clock time as an aware UTC datetime."""
    return dt.datetime(*parts, tzinfo=NEW_YORK).astimezone(dt.UTC)


TUESDAY_10 = et(2026, 10, 13, 10, 0)
FRIDAY_1750 = et(2026, 10, 16, 17, 50)


@pytest.fixture
def hand_off(engine: sa.Engine, catalog: Catalog, start: StartFn) -> HandOff:
    """Hand off a sales-ready lead at a given moment; returns the handoff id."""
    def _hand_off(at: dt.datetime, company: str = "Acme Corp") -> int:
        step = start(acme(company=company))
        verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, STRONG,
                        today=at.date())
        with freeze_time(at), session_scope(engine) as session:
            return request_handoff(session=session, definition=catalog.definition,
                                   qualification_id=step.qualification_id, verdict=verdict,
                                   default_channel="C0SALES001").handoff_id
    return _hand_off


def _tick(engine: sa.Engine, catalog: Catalog, now: dt.datetime) -> TickReport:
    return tick(uow=UnitOfWork(engine), definition=catalog.definition, now=now, managers=MANAGERS)


def _outbox(engine: sa.Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {row.dedupe_key: row for row in session.exec(select(OutboxMessage)).all()}


def test_deadlines_follow_business_hours(catalog: Catalog) -> None:
    assert deadlines_for(TUESDAY_10, catalog.definition) == (
        et(2026, 10, 13, 10, 15), et(2026, 10, 13, 11, 0))
    # Friday evening: due Monday morning, escalated Monday before ten.
    assert deadlines_for(FRIDAY_1750, catalog.definition) == (
        et(2026, 10, 19, 9, 5), et(2026, 10, 19, 9, 50))


def test_a_reminder_then_an_escalation_each_at_their_moment(
    engine: sa.Engine, catalog: Catalog, hand_off: HandOff
) -> None:
    handoff = hand_off(TUESDAY_10, company="<!channel> Corp")
    assert _tick(engine, catalog, et(2026, 10, 13, 10, 14)) == TickReport(scheduled=[handoff])
    assert _outbox(engine) == {}
    assert _tick(engine, catalog, et(2026, 10, 13, 10, 15)).reminded == [handoff]
    remind = _outbox(engine)[f"remind:{handoff}"]
    assert remind.payload[THREAD_OF] == card_key(handoff)
    assert remind.payload["channel"] == "C0EMEA0001"  # the routed channel of an EMEA lead
    assert "&lt;!channel&gt; Corp is still waiting" in remind.payload["text"]
    assert "Tue 10:15 EDT" in remind.payload["text"]
    assert _tick(engine, catalog, et(2026, 10, 13, 10, 59)) == TickReport()
    assert _tick(engine, catalog, et(2026, 10, 13, 11, 0)).escalated == [handoff]
    assert _tick(engine, catalog, et(2026, 10, 14, 11, 0)) == TickReport()
    rows = _outbox(engine)
    assert sorted(rows) == [f"escalate:{handoff}:U0MGR0001", f"escalate:{handoff}:U0MGR0002",
                            f"remind:{handoff}"]
    assert rows[f"escalate:{handoff}:U0MGR0001"].payload["channel"] == "U0MGR0001"


def test_a_friday_evening_handoff_waits_for_monday(
    engine: sa.Engine, catalog: Catalog, hand_off: HandOff
) -> None:
    handoff = hand_off(FRIDAY_1750)
    for now in (et(2026, 10, 16, 18, 30), et(2026, 10, 17, 12, 0), et(2026, 10, 19, 9, 4)):
        assert _tick(engine, catalog, now).reminded == []
    assert _tick(engine, catalog, et(2026, 10, 19, 9, 5)).reminded == [handoff]
    assert _tick(engine, catalog, et(2026, 10, 19, 9, 49)).escalated == []
    assert _tick(engine, catalog, et(2026, 10, 19, 9, 50)).escalated == [handoff]


def test_a_claimed_handoff_is_neither_reminded_nor_escalated(
    engine: sa.Engine, catalog: Catalog, hand_off: HandOff
) -> None:
    handoff = hand_off(TUESDAY_10)
    run(engine, claim, handoff_id=handoff, rep_user_id="U0REP0001", now=et(2026, 10, 13, 10, 9))
    assert _tick(engine, catalog, et(2026, 10, 14, 12, 0)) == TickReport(scheduled=[handoff])
    assert _outbox(engine) == {}


def test_two_tickers_at_once_fire_each_timer_once(
    engine: sa.Engine, catalog: Catalog, hand_off: HandOff
) -> None:
    handoffs = [hand_off(TUESDAY_10, company=f"Lead {n} Inc") for n in range(8)]
    reports: list[TickReport] = []
    go = threading.Barrier(2)

    def ticker() -> None:
        go.wait()
        reports.append(_tick(engine, catalog, et(2026, 10, 13, 11, 0)))

    threads = [threading.Thread(target=ticker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(h for r in reports for h in r.reminded) == handoffs
    assert sorted(h for r in reports for h in r.escalated) == handoffs
    assert len(_outbox(engine)) == len(handoffs) * (1 + len(MANAGERS))


def test_the_reminder_lands_in_the_cards_thread(
    engine: sa.Engine, catalog: Catalog, hand_off: HandOff
) -> None:
    handoff = hand_off(TUESDAY_10)
    with session_scope(engine) as session:
        enqueue(session=session, kind="chat.postMessage", dedupe_key=card_key(handoff),
                payload={"channel": "C0SALES001", "text": "Acme Corp is sales-ready"})
    _tick(engine, catalog, et(2026, 10, 13, 10, 20))
    with FakeSlack() as fake:
        client = make_client(token=fake.token, base_url=fake.url, timeout=5)
        assert len(send_due(uow=UnitOfWork(engine), client=client).sent) == 2
        card, reminder = fake.calls_to("chat.postMessage")
    assert "thread_ts" not in card.args
    assert reminder.args["thread_ts"] == card.response["ts"]


def test_an_apac_lead_is_timed_in_sydney_and_its_team_hears_of_it(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    sydney = ZoneInfo("Australia/Sydney")
    at_ten = dt.datetime(2026, 12, 8, 10, 0, tzinfo=sydney)
    step = start(acme(company="Atlassian-ish", region="APAC"))
    verdict = judge(catalog.frameworks["bant"], catalog.definition, step.lead, STRONG,
                    today=at_ten.date())
    with freeze_time(at_ten), session_scope(engine) as session:
        handoff_id = request_handoff(session=session, definition=catalog.definition,
                                     qualification_id=step.qualification_id, verdict=verdict,
                                     default_channel="C0SALES001").handoff_id

    report = _tick(engine, catalog, dt.datetime(2026, 12, 8, 11, 1, tzinfo=sydney))

    assert (report.reminded, report.escalated) == ([handoff_id], [handoff_id])
    rows = _outbox(engine)
    reminder = rows[f"remind:{handoff_id}"].payload["text"]
    assert reminder.startswith(":alarm_clock: <!subteam^S0APACREPS> Atlassian-ish is still "
                               "waiting for a rep: it was due to be claimed by Tue 10:15 AEDT.")
    escalated = sorted(key for key in rows if key.startswith("escalate:"))
    assert escalated == [f"escalate:{handoff_id}:U0APACMGR1"]  # the team's, not BATON_MANAGERS
