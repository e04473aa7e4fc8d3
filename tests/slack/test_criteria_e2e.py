"""`/pipeline criteria` and `/pipeline by ...` over signed HTTP: a manager sees which criteria
predict a won deal, with the chart, and the team's cohorts by one dimension; anyone else is
refused the criteria and sees their own cohorts."""

from __future__ import annotations

import datetime as dt

from baton.services.catalog import load_catalog
from baton.services.seed import seed_history
from baton.services.unit_of_work import UnitOfWork
from tests.conftest import PROMPTS_DIR
from tests.slack.test_conversation_harness import Baton, new_user, settle, shown
from tests.slack.test_verdicts_harness import MANAGER

EVERYTHING = "criteria 2000-01-01 to 2099-12-31"


def ask(baton: Baton, user: str, text: str) -> str:
    before = len(baton.fake.calls_to("response_url"))
    reply = baton.slack.command("/pipeline", text, user_id=user)
    assert reply.status_code == 200, reply.text
    return shown(baton.fake.wait_for("response_url", before + 1)[-1])


def test_a_manager_sees_the_planted_signal_and_its_chart(overriding: Baton) -> None:
    seed_history(uow=UnitOfWork(overriding.engine), catalog=load_catalog(PROMPTS_DIR),
                 leads=6000, seed=11, now=dt.datetime(2025, 6, 1, 15, 30, tzinfo=dt.UTC))

    said = ask(overriding, MANAGER, EVERYTHING)
    settle(overriding.fake)

    assert "Criteria: 2000-01-01 to 2099-12-31" in said
    assert "*Timeline*: predicts a won deal (lift 11.1)" in said
    assert ("*Budget*: met converts worse than not met (lift 0.48): look at it in the review"
            in said)
    assert "To look at in the review:* " in said
    uploads = overriding.fake.calls_to("files.completeUploadExternal")
    assert len(uploads) == 1


def test_someone_who_is_not_a_manager_is_refused(overriding: Baton) -> None:
    said = ask(overriding, new_user(), "criteria")
    assert said.strip() == ("Only sales managers see the criteria report: it reads the whole "
                            "team's leads. `/pipeline` shows your own numbers.")


def test_a_manager_breaks_the_pipeline_down_by_region_and_a_bdr_sees_their_own(
    overriding: Baton,
) -> None:
    seed_history(uow=UnitOfWork(overriding.engine), catalog=load_catalog(PROMPTS_DIR),
                 leads=300, seed=5, now=dt.datetime(2025, 6, 1, 15, 30, tzinfo=dt.UTC))

    team = ask(overriding, MANAGER, "by region 2000-01-01 to 2099-12-31")
    own = ask(overriding, new_user(), "by region 2000-01-01 to 2099-12-31")
    wrong = ask(overriding, MANAGER, "by colour")

    assert "Pipeline by region: 2000-01-01 to 2099-12-31" in team
    assert "The team · leads qualified in the period" in team
    assert "*EMEA*: " in team
    assert " handed off · " in team
    assert "Your leads · " in own
    assert "No lead was qualified in this period." in own
    assert wrong.startswith("Break the pipeline down by one of: source, region, segment")


def dm_ask(baton: Baton, user: str, text: str) -> str:
    dm = baton.fake.workspace.dm_for(user)
    before = len(baton.fake.calls_to("chat.postMessage"))
    event = {"type": "message", "channel_type": "im", "user": user, "channel": dm,
             "ts": f"1.{before + 7}", "text": text}
    assert baton.slack.event(event).status_code == 200
    reply = baton.fake.wait_for("chat.postMessage", before + 1)[-1]
    assert reply.args["channel"] == dm
    return shown(reply)


def pasted(text: str) -> str:
    # As Slack sends a message's text: &, < and > escaped.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"pipeline whatif ```{escaped}```"


def test_a_manager_pastes_a_proposed_definition_in_the_dm_and_gets_the_whatif_and_chart(
    overriding: Baton,
) -> None:
    seed_history(uow=UnitOfWork(overriding.engine), catalog=load_catalog(PROMPTS_DIR),
                 leads=400, seed=3, now=dt.datetime.now(dt.UTC))
    proposed = ((PROMPTS_DIR / "definition.yaml").read_text()
                .replace('"2026-Q4.3"', '"2027-Q1.1"').replace("min_score: 60", "min_score: 95", 1))

    said = dm_ask(overriding, MANAGER, pasted(proposed))
    settle(overriding.fake)
    refused = dm_ask(overriding, new_user(), pasted(proposed))
    broken = dm_ask(overriding, MANAGER, pasted(proposed.replace("min_score: 65",
                                                                 "min_score: lots")))

    assert "What if 2027-Q1.1" in said
    assert "This change would have dropped " in said
    assert "What the dropped leads became: " in said
    uploads = overriding.fake.calls_to("files.completeUploadExternal")
    assert len(uploads) == 1
    assert refused.strip().startswith("Only sales managers replay a proposed definition")
    assert ("The proposed definition cannot be used: frameworks.meddpicc.min_score: "
            in broken)
