"""`/pipeline`, `@Baton pipeline` and "pipeline" in a DM, over signed HTTP on both databases."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from slack_sdk import WebClient

from baton.services.pipeline import ChannelsUnavailable, ChannelUnreadable
from baton.slack.directory import TeamChannels
from baton.slack.pipeline_views import OWN_NUMBERS
from baton.standin.calls import Call
from tests.slack.test_conversation_harness import Baton, shown
from tests.slack.test_pipeline_harness import (
    ANA,
    BEN,
    BOSS,
    EMEA,
    LEAD,
    MARCH,
)
from tests.slack_spec.server import FakeSlack


def ask(baton: Baton, user: str, words: str, channel: str = "C0SALES") -> Call:
    """Run `/pipeline words` as `user` and return the one reply through the response URL."""
    response = baton.slack.command("/pipeline", words, user_id=user, channel_id=channel)
    assert response.status_code == 200, response.text
    replies = baton.fake.wait_for("response_url")
    assert len(replies) == 1, [shown(r) for r in replies]
    return replies[0]


def chart_upload(baton: Baton) -> dict[str, Any]:
    """The funnel chart's completed upload, after checking the bytes are a PNG."""
    done = baton.fake.wait_for("files.completeUploadExternal")[0]
    file_id = done.args["files"][0]["id"]
    image = Image.open(io.BytesIO(baton.fake.uploads[file_id]))
    assert image.format == "PNG"
    assert image.width >= 600
    return done.args


def test_a_manager_sees_the_team_with_each_bdr_and_the_period_before(pipeline: Baton) -> None:
    reply = ask(pipeline, LEAD, MARCH)
    text = shown(reply)
    assert reply.args["response_type"] == "ephemeral"
    assert "*Leads qualified*\n4 ↑ 3" in text
    assert "*Sales-ready rate*\n50% ↑ 50 pts" in text
    assert "*Time to claim, median*\n10m" in text
    assert f"<@{ANA}>: 3 qualified · sales-ready 67%" in text
    assert f"<@{BEN}>: 1 qualified · sales-ready 0%" in text
    assert OWN_NUMBERS not in text


def test_a_member_of_the_managers_group_is_a_manager(pipeline: Baton) -> None:
    text = shown(ask(pipeline, BOSS, MARCH))
    assert "*Leads qualified*\n4 ↑ 3" in text
    assert f"<@{BEN}>" in text


def test_a_manager_naming_a_bdr_sees_that_bdr_alone(pipeline: Baton) -> None:
    text = shown(ask(pipeline, LEAD, f"{MARCH} <@{BEN}|ben>"))
    assert "*Leads qualified*\n1 ↑ 1" in text
    assert f"<@{ANA}>" not in text


@pytest.mark.parametrize("words", [
    MARCH, f"{MARCH} <@{ANA}|ana>", f"<@{ANA}> {MARCH} share", f"{MARCH} @ana",
    f"{MARCH} <!subteam^S0MANAGERS|@managers>", f"{MARCH} <#C0SALES|sales>",
])
def test_a_bdr_sees_only_their_own_numbers_however_they_ask(pipeline: Baton, words: str) -> None:
    reply = ask(pipeline, BEN, words)
    text = shown(reply)
    assert reply.args["response_type"] == "ephemeral"
    assert "*Leads qualified*\n1 ↑ 1" in text
    assert OWN_NUMBERS in text
    assert ANA not in text
    assert "4 qualified" not in text


def test_a_manager_who_shares_posts_in_the_channel_with_the_chart_beside(pipeline: Baton) -> None:
    reply = ask(pipeline, LEAD, f"{MARCH} share")
    assert reply.args["response_type"] == "in_channel"
    assert chart_upload(pipeline)["channel_id"] == "C0SALES"


def test_an_ephemeral_summary_sends_its_chart_to_the_askers_dm(pipeline: Baton) -> None:
    ask(pipeline, BEN, MARCH)
    assert chart_upload(pipeline)["channel_id"] == pipeline.fake.workspace.dm_for(BEN)


def test_the_text_stands_alone_when_the_chart_cannot_be_uploaded(pipeline: Baton) -> None:
    pipeline.fake.fail("files.getUploadURLExternal", error="internal_error", times=10)
    text = shown(ask(pipeline, LEAD, MARCH))
    assert "*Leads qualified*\n4 ↑ 3" in text
    assert pipeline.fake.calls_to("files.completeUploadExternal") == []


def test_a_period_baton_does_not_know_is_explained(pipeline: Baton) -> None:
    text = shown(ask(pipeline, LEAD, "next fortnight"))
    assert "expected a period such as" in text
    assert "next fortnight" in text
    assert pipeline.fake.calls_to("files.getUploadURLExternal") == []


def test_help_says_how_to_ask(pipeline: Baton) -> None:
    text = shown(ask(pipeline, BEN, "help"))
    assert "`/pipeline [period] [@person | #team-channel] [share]`" in text
    assert pipeline.fake.calls_to("files.getUploadURLExternal") == []


def test_a_manager_naming_a_team_channel_sees_its_members_numbers(pipeline: Baton) -> None:
    text = shown(ask(pipeline, LEAD, f"{MARCH} <#{EMEA}|sales-emea>"))
    assert "Team #sales-emea · 2026-03-01 to 2026-03-31" in text
    assert "*Leads qualified*\n3 ↑ 2" in text
    assert f"<@{ANA}>: 3 qualified" in text
    assert BEN not in text
    assert OWN_NUMBERS not in text


def test_a_channel_without_its_name_is_labelled_with_a_link(pipeline: Baton) -> None:
    text = shown(ask(pipeline, BOSS, f"<#{EMEA}> {MARCH}"))
    assert f"Team <#{EMEA}>" in text
    assert "*Leads qualified*\n3 ↑ 2" in text


def test_a_big_channel_is_read_page_by_page_then_kept_for_a_while(pipeline: Baton) -> None:
    pipeline.fake.set_members("C0BIGTEAM1", [f"U0PEER{n:04d}" for n in range(450)] + [BEN])
    first = shown(ask(pipeline, LEAD, f"{MARCH} <#C0BIGTEAM1|big>"))
    pipeline.fake.reset()
    again = shown(ask(pipeline, LEAD, f"{MARCH} <#C0BIGTEAM1|big>"))
    assert "*Leads qualified*\n1 ↑ 1" in first
    assert f"<@{BEN}>: 1 qualified" in again
    assert pipeline.fake.calls_to("conversations.members") == []


def test_pages_follow_slacks_cursor(pipeline: Baton) -> None:
    pipeline.fake.set_members("C0PAGED001", [f"U0PEER{n:04d}" for n in range(450)] + [ANA])
    ask(pipeline, LEAD, f"{MARCH} <#C0PAGED001|paged>")
    cursors = [c.args.get("cursor") for c in pipeline.fake.calls_to("conversations.members")]
    assert cursors == [None, "200", "400"]


@pytest.mark.parametrize(("error", "says"), [
    ("channel_not_found", "invite @Baton to #apac"),
    ("not_in_channel", "invite @Baton to #apac"),
    ("missing_scope", "reinstall Baton with the channels:read and groups:read scopes"),
    ("internal_error", "try again in a minute"),
])
def test_a_channel_baton_cannot_read_says_what_to_do(pipeline: Baton, error: str,
                                                     says: str) -> None:
    pipeline.fake.fail("conversations.members", error=error, times=10)
    reply = ask(pipeline, LEAD, f"{MARCH} <#C0APAC0001|apac> share")
    assert reply.args["response_type"] == "ephemeral"
    assert says in shown(reply)
    assert "or name a person" in shown(reply)
    assert "Leads qualified" not in shown(reply)
    assert pipeline.fake.calls_to("files.getUploadURLExternal") == []


def test_a_bdr_naming_a_team_channel_is_told_they_see_their_own(pipeline: Baton) -> None:
    reply = ask(pipeline, BEN, f"{MARCH} <#{EMEA}|sales-emea> share")
    text = shown(reply)
    assert reply.args["response_type"] == "ephemeral"
    assert "*Leads qualified*\n1 ↑ 1" in text
    assert f"{OWN_NUMBERS} Only managers see the numbers of #sales-emea." in text
    assert ANA not in text
    assert pipeline.fake.calls_to("conversations.members") == []


@pytest.mark.parametrize("words", [
    f"{MARCH} <#{EMEA}|sales-emea> <@{BEN}>", f"{MARCH} <#{EMEA}|a> <#C0SALES|b>",
    f"{MARCH} <!subteam^S0MANAGERS|@managers>", f"{MARCH} #sales-emea",
])
def test_a_manager_naming_more_than_one_team_or_person_is_told_how(pipeline: Baton,
                                                                   words: str) -> None:
    text = shown(ask(pipeline, LEAD, words))
    assert "Name one person with @ or one team channel with #" in text
    assert pipeline.fake.calls_to("conversations.members") == []


def test_a_manager_mention_naming_a_channel_shares_the_teams_numbers(pipeline: Baton) -> None:
    event = {"type": "app_mention", "user": LEAD, "channel": "C0SALES", "ts": "1.5",
             "text": f"<@U0BATON> pipeline {MARCH} <#{EMEA}|sales-emea> share"}
    assert pipeline.slack.event(event).status_code == 200
    reply = pipeline.fake.wait_for("chat.postMessage")[0]
    assert reply.args["channel"] == "C0SALES"
    assert "Team #sales-emea" in shown(reply)
    assert "*Leads qualified*\n3 ↑ 2" in shown(reply)


def test_a_mention_in_a_channel_answers_the_asker_alone(pipeline: Baton) -> None:
    event = {"type": "app_mention", "user": BEN, "channel": "C0SALES", "ts": "1.1",
             "text": f"<@U0BATON> pipeline {MARCH} <@{ANA}> share"}
    assert pipeline.slack.event(event).status_code == 200
    reply = pipeline.fake.wait_for("chat.postEphemeral")[0]
    assert reply.args["user"] == BEN
    assert "*Leads qualified*\n1 ↑ 1" in shown(reply)
    assert ANA not in shown(reply)
    assert pipeline.fake.calls_to("chat.postMessage") == []


def test_a_mention_that_asks_for_nothing_known_gets_a_hint(pipeline: Baton) -> None:
    event = {"type": "app_mention", "user": BEN, "channel": "C0SALES", "ts": "1.4",
             "text": "<@U0BATON> hello there"}
    assert pipeline.slack.event(event).status_code == 200
    reply = pipeline.fake.wait_for("chat.postEphemeral")[0]
    assert "@Baton pipeline [period]" in shown(reply)


def test_a_manager_mention_with_share_posts_in_the_channel(pipeline: Baton) -> None:
    event = {"type": "app_mention", "user": LEAD, "channel": "C0SALES", "ts": "1.2",
             "text": f"<@U0BATON> pipeline {MARCH} share"}
    assert pipeline.slack.event(event).status_code == 200
    reply = pipeline.fake.wait_for("chat.postMessage")[0]
    assert reply.args["channel"] == "C0SALES"
    assert "*Leads qualified*\n4 ↑ 3" in shown(reply)


def test_pipeline_typed_in_the_dm_is_answered_there(pipeline: Baton) -> None:
    dm = pipeline.fake.workspace.dm_for(LEAD)
    event = {"type": "message", "channel_type": "im", "user": LEAD, "channel": dm,
             "ts": "1.3", "text": f"pipeline {MARCH}"}
    assert pipeline.slack.event(event).status_code == 200
    reply = pipeline.fake.wait_for("chat.postMessage")[0]
    assert reply.args["channel"] == dm
    assert "*Leads qualified*\n4 ↑ 3" in shown(reply)
    assert chart_upload(pipeline)["channel_id"] == dm


def test_while_slack_fails_the_members_it_last_listed_still_count(fake_slack: FakeSlack) -> None:
    ticks = [0.0]
    teams = TeamChannels(WebClient(token=fake_slack.token, base_url=fake_slack.url), ttl=60,
                         clock=lambda: ticks[0])
    fake_slack.set_members("C0EMEA0001", [ANA, BEN])
    assert teams.members("C0EMEA0001") == [ANA, BEN]
    fake_slack.set_members("C0EMEA0001", [ANA])
    assert teams.members("C0EMEA0001") == [ANA, BEN]
    ticks[0] = 61.0
    fake_slack.fail("conversations.members", error="internal_error")
    assert teams.members("C0EMEA0001") == [ANA, BEN]
    assert teams.members("C0EMEA0001") == [ANA]
    fake_slack.fail("conversations.members", error="internal_error")
    with pytest.raises(ChannelsUnavailable):
        teams.members("C0NEVER001")


def test_a_refused_channel_is_asked_again_once_baton_is_invited(fake_slack: FakeSlack) -> None:
    teams = TeamChannels(WebClient(token=fake_slack.token, base_url=fake_slack.url))
    with pytest.raises(ChannelUnreadable) as refused:
        teams.members("C0APAC0001")
    fake_slack.set_members("C0APAC0001", [BEN])
    assert refused.value.error == "channel_not_found"
    assert teams.members("C0APAC0001") == [BEN]
