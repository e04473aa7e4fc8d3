"""A lead not sales-ready has a next step, end to end over signed HTTP: the BDR picks a day and
a nurture reason on the verdict; that morning one DM with Resume arrives, however many Baton
processes tick; Resume qualifies the lead again with the earlier answers in place."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from freezegun import freeze_time

from baton.services.catalog import load_catalog
from baton.services.pipeline import criterion_keys, export_rows
from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids
from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory
from baton.slack.machinery import tick_once
from baton.slack.render import Renderer
from baton.slack.verdict_views import VerdictViews
from baton.standin.calls import Call
from baton.store.db import make_engine
from tests.conftest import PROMPTS_DIR
from tests.slack.test_conversation_harness import (
    Baton,
    Bdr,
    count_rows,
    shown,
)
from tests.slack.test_handoff_harness import company, deliver
from tests.slack.test_verdicts_harness import latest_verdict, not_ready, steps_block, strong

SALES_TZ = ZoneInfo("America/New_York")  # the shipped definition's SLA time zone
CATALOG = load_catalog(PROMPTS_DIR)


def in_days(days: int) -> dt.date:
    return dt.datetime.now(SALES_TZ).date() + dt.timedelta(days=days)


def pick(baton: Baton, bdr: Bdr, verdict: Call, action_id: str, **picked: object) -> str:
    """The BDR picks a date or an option on the verdict message; what Baton tells them."""
    before = len(baton.fake.calls_to("chat.postEphemeral"))
    message = {"ts": verdict.response["ts"], "type": "message", "text": "", "blocks": []}
    reply = baton.slack.pick(action_id, block_id=steps_block(verdict), user_id=bdr.user,
                             channel_id=verdict.response["channel"], message=message,
                             **picked)  # type: ignore[arg-type]
    assert reply.status_code == 200, reply.text
    told = baton.fake.wait_for("chat.postEphemeral", before + 1)
    return str(told[-1].args["text"])


def tick_in_two_processes(baton: Baton, moment: dt.datetime) -> None:
    """Two Baton processes tick at the same moment, each with its own engine."""
    engines = [baton.engine, make_engine(baton.settings.database_url)]
    directory = ManagerDirectory(make_client(token=baton.fake.token, base_url=baton.fake.url),
                                 [])
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def tick(engine: sa.Engine) -> None:
        try:
            start.wait()
            tick_once(uow=UnitOfWork(engine), catalog=CATALOG, managers=directory,
                      rechecks=VerdictViews(Renderer()), now=moment)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    # The clock stops for the ticks only: the event loop serving Baton keeps its own.
    with freeze_time(moment, ignore=["asyncio"]):
        threads = [threading.Thread(target=tick, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    engines[1].dispose()
    assert failures == []
    deliver(baton, now=moment)  # what the ticks queued is due from the moment they ran


def reminders(bdr: Bdr) -> list[Call]:
    return [c for c in bdr.posts() if "Time to look at" in shown(c)]


def test_a_recheck_reminder_arrives_that_morning_once_with_two_processes(baton: Baton) -> None:
    name = company("Globex")
    bdr = not_ready(baton, name)
    verdict = latest_verdict(bdr)
    day = in_days(3)

    said = pick(baton, bdr, verdict, ids.RECHECK_ON, date=day.isoformat())
    reason = pick(baton, bdr, verdict, ids.NURTURE_REASON,
                  option=("missing:0", "Need must be met"))
    nine = dt.datetime.combine(day, dt.time(9), tzinfo=SALES_TZ)
    tick_in_two_processes(baton, nine - dt.timedelta(days=1))
    tick_in_two_processes(baton, nine - dt.timedelta(minutes=1))
    assert reminders(bdr) == []
    tick_in_two_processes(baton, nine)
    tick_in_two_processes(baton, nine + dt.timedelta(minutes=30))

    assert f"I'll remind you about *{name}* on {day:%a} {day.day} {day:%b %Y} at 9:00" in said
    assert reason == "Nurture reason recorded: Need must be met (No clear need)."
    (reminder,) = reminders(bdr)
    assert f"Time to look at *{name}* again" in shown(reminder)
    assert "It went to nurture for: Need must be met (No clear need)" in shown(reminder)
    assert "Need: No clear need" in shown(reminder)
    assert [b["text"]["text"] for b in reminder.args["blocks"][-2]["elements"]] == ["Resume"]
    row = next(r for r in export_rows(uow=UnitOfWork(baton.engine), since=in_days(-1),
                                      until=None, keys=criterion_keys(CATALOG))
               if r["company"] == name)
    assert (row["nurture_reason"], row["recheck_on"]) == (
        "Need must be met (No clear need)", day.isoformat())


def test_resume_qualifies_the_lead_again_with_the_earlier_answers_once(baton: Baton) -> None:
    name = company("Initech")
    bdr = not_ready(baton, name)
    day = in_days(2)
    pick(baton, bdr, latest_verdict(bdr), ids.RECHECK_ON, date=day.isoformat())
    tick_in_two_processes(baton, dt.datetime.combine(day, dt.time(9, 5), tzinfo=SALES_TZ))
    (reminder,) = reminders(bdr)
    posted = len(bdr.posts())

    bdr.click(reminder, "Resume")
    question = bdr.wait_posts(posted + 2)[-1]
    told = len([c for c in baton.fake.calls_to("chat.postEphemeral")
                if c.args["user"] == bdr.user])
    bdr.click(reminder, "Resume")
    again = baton.fake.wait_for("chat.postEphemeral", told + 1,
                                where=lambda c: c.args["user"] == bdr.user)

    assert f"Qualifying *{name}*" in shown(bdr.posts()[posted])
    assert "1 of 4" in shown(question)
    assert "Answered before: *Approved budget*" in shown(question)
    assert "already resumed" in again[-1].args["text"]
    assert count_rows(baton.engine, "SELECT count(*) FROM qualification q JOIN lead l ON "
                      "l.id = q.lead_id WHERE l.company = :c", c=name) == 2
    assert count_rows(baton.engine, "SELECT count(*) FROM answerentry a JOIN qualification q "
                      "ON q.id = a.qualification_id JOIN lead l ON l.id = q.lead_id WHERE "
                      "l.company = :c AND a.is_current", c=name) == 8


def test_a_recheck_must_be_after_today_and_a_sales_ready_lead_has_none(baton: Baton) -> None:
    bdr = not_ready(baton, company("Umbrella"))
    ready = strong(baton, company("Hooli"))
    verdict = latest_verdict(ready)

    assert pick(baton, bdr, latest_verdict(bdr), ids.RECHECK_ON,
                date=in_days(0).isoformat()) == "Pick a day after today for the recheck."
    assert [e["type"] for e in verdict.args["blocks"][-1]["elements"]] == ["button"]
