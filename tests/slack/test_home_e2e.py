"""App Home over signed HTTP: each person sees their own open work; managers the team's week."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from baton.store.tables import HandoffStatus, Lead, Qualification, QualificationStatus
from tests.slack.test_conversation_harness import Baton, buttons, new_user, settle, shown
from tests.slack.test_pipeline_harness import (
    ANA,
    BEN,
    BOSS,
    Past,
    at,
    seed,
)

REP2 = "U0REP00002"


@pytest.fixture(scope="module")
def home(pipeline_process: Baton) -> Baton:
    """The pipeline's history, plus a claim awaiting its decision and a paused qualification."""
    seed(pipeline_process.engine, [
        Past("Stark Industries", ANA, at(7), True, REP2, HandoffStatus.CLAIMED),
        Past("Wayne Enterprises", BEN, at(8), True),
    ])
    pause(pipeline_process, "Soylent", BEN)
    return pipeline_process


def pause(baton: Baton, company: str, bdr: str) -> None:
    """A BANT qualification of `company` that `bdr` paused at its third question."""
    with Session(baton.engine) as session:
        lead = Lead(company=company)
        session.add(lead)
        session.flush()
        session.add(Qualification(lead_id=lead.id, bdr_user_id=bdr, team_id="T0FAKE",
                                  framework="bant", status=QualificationStatus.PAUSED,
                                  current_index=2))
        session.commit()


@pytest.fixture
def baton(home: Baton, pipeline: Baton) -> Baton:
    """The seeded Baton with a fresh transcript."""
    return pipeline


def open_home(baton: Baton, user: str) -> str:
    """Open the Home tab as `user`; what the one published view shows."""
    return shown(publish_home(baton, user))


def publish_home(baton: Baton, user: str) -> Any:
    """Open the Home tab as `user`; the one views.publish call it made."""
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    assert baton.slack.event(event).status_code == 200
    published = baton.fake.wait_for("views.publish", where=lambda c: c.args["user_id"] == user)
    assert len(published) == 1
    assert published[0].args["view"]["type"] == "home"
    return published[0]


def click_resume(baton: Baton, home: Any, company: str, user: str) -> None:
    """Click, on the Home tab, the Resume button beside `company`."""
    block = next(b for b in home.args["view"]["blocks"]
                 if company in b.get("text", {}).get("text", "") and "accessory" in b)
    button = block["accessory"]
    assert button["text"]["text"] == "Resume"
    view = {"id": "V0HOME", "type": "home", "blocks": home.args["view"]["blocks"]}
    reply = baton.slack.block_action(button["action_id"], button["value"], user_id=user,
                                     view=view)
    assert reply.status_code == 200, reply.text


def test_a_bdr_sees_their_verdicts_and_nothing_of_the_team(baton: Baton) -> None:
    text = open_home(baton, ANA)
    assert "*Acme Corp*: sales-ready, score 90" in text
    assert "*Initech*: not sales-ready, score 30" in text
    assert "Umbrella" not in text
    assert "The team's week" not in text
    assert "Wayne Enterprises" not in text


def test_a_bdr_sees_a_paused_qualification_where_it_stopped(baton: Baton) -> None:
    text = open_home(baton, BEN)
    assert "*Soylent* · BANT · question 3 of 4" in text


def test_a_rep_sees_the_claimed_lead_awaiting_their_decision(baton: Baton) -> None:
    text = open_home(baton, REP2)
    assert "*Stark Industries* in <#C0SALES> · awaiting accept or reject" in text
    assert "Nothing paused" in text


def test_a_manager_sees_the_week_and_every_unclaimed_card(baton: Baton) -> None:
    text = open_home(baton, BOSS)
    assert "The team's week: this week" in text
    unclaimed = text.split("*Unclaimed cards*")[1].split("*The team's recent verdicts*")[0]
    assert "*Globex*" in unclaimed
    assert "*Wayne Enterprises*" in unclaimed
    assert "Stark Industries" not in unclaimed


def test_the_messages_tab_publishes_nothing(baton: Baton) -> None:
    event = {"type": "app_home_opened", "user": ANA, "channel": "D0HOME", "tab": "messages"}
    assert baton.slack.event(event).status_code == 200
    settle(baton.fake)
    assert baton.fake.calls_to("views.publish") == []


def test_a_bdr_resumes_a_paused_qualification_from_home_and_is_asked_in_the_dm(
    baton: Baton,
) -> None:
    bdr = new_user()
    pause(baton, "Cyberdyne <!channel>", bdr)
    home = publish_home(baton, bdr)
    assert "*Cyberdyne &lt;!channel&gt;* · BANT · question 3 of 4" in shown(home)

    click_resume(baton, home, "Cyberdyne", bdr)

    dm = baton.fake.workspace.dm_for(bdr)
    posted = baton.fake.wait_for("chat.postMessage", 2,
                                 where=lambda c: c.response.get("channel") == dm)
    question = posted[-1]
    assert "3 of 4" in shown(question)
    assert {b["text"]["text"] for b in buttons(question)} >= {"Skip", "Pause"}
    assert baton.fake.calls_to("chat.postEphemeral") == []


def test_resuming_someone_elses_qualification_from_home_is_refused_in_the_dm(
    baton: Baton,
) -> None:
    bdr, other = new_user(), new_user()
    pause(baton, "Tyrell Corp", bdr)
    home = publish_home(baton, bdr)

    click_resume(baton, home, "Tyrell Corp", other)

    refusal = baton.fake.wait_for("chat.postEphemeral")
    assert refusal[0].args["user"] == other
    assert refusal[0].args["channel"] == baton.fake.workspace.dm_for(other)
    assert f"<@{bdr}>" in refusal[0].args["text"]
    assert not [c for c in baton.fake.calls_to("chat.postMessage")
                if c.response.get("channel") in (baton.fake.workspace.dm_for(bdr),
                                                 baton.fake.workspace.dm_for(other))]
