"""The handoff card end to end over signed HTTP: posted once, claimed, decided, outcomes."""

from __future__ import annotations

import datetime as dt

from baton.slack import ids
from baton.store.types import utcnow
from tests.slack.test_conversation_harness import (
    Baton,
    buttons,
    count_rows,
    shown,
)
from tests.slack.test_handoff_harness import (
    EMEA,
    card_of,
    company,
    deliver,
    hand_off,
    qualify,
    reps,
)


def test_a_sales_ready_lead_posts_one_card_with_its_thread_and_the_bdr_gets_a_link(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    card = shown(floor.card)

    for expected in [floor.name, "Jo Park, Head of Operations", f"<@{floor.bdr.user}>", "BANT",
                     "Sales-ready", "Approved budget", "Claim by", "EMEA team"]:
        assert expected in card
    assert [b["text"]["text"] for b in buttons(floor.card)] == ["Claim"]
    ts = floor.card.response["ts"]
    thread = [c for c in baton.fake.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    assert len(thread) == 1
    assert "Questions and answers" in shown(thread[0])
    assert "This quarter" in shown(thread[0])
    link = f"https://fake.slack.com/archives/{EMEA}/p{ts.replace('.', '')}"
    assert any(link in shown(c) for c in floor.bdr.posts())
    deliver(baton)
    assert len([c for c in baton.fake.calls_to("chat.postMessage") if floor.name in shown(c)
                and c.args.get("channel") == EMEA and not c.args.get("thread_ts")]) == 1


def test_claim_then_others_are_told_and_the_owner_double_click_changes_nothing(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    owner, other = reps(2)

    floor.click("Claim", owner)
    claimed = floor.next_update(0)
    floor.act(ids.CARD_CLAIM, str(floor.handoff_id), owner)
    floor.act(ids.CARD_CLAIM, str(floor.handoff_id), other)

    assert f"Claimed by <@{owner}>" in claimed
    assert "within a minute" in claimed
    assert floor.ephemeral_to(other) == f"This lead is already claimed by <@{owner}>."
    deliver(baton)
    assert len(floor.updates()) == 1
    assert not [c for c in baton.fake.calls_to("chat.postEphemeral")
                if c.args.get("user") == owner]


def test_only_the_owner_accepts_releases_and_a_released_card_can_be_claimed_again(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    first, second = reps(2)
    floor.click("Claim", first)
    floor.next_update(0)

    floor.click("Accept", second)
    assert floor.ephemeral_to(second) == (
        f"Only <@{first}>, who claimed it, can accept or reject it.")
    floor.click("Release", first)
    released = floor.next_update(1)
    assert "Released" in released
    assert [b["text"]["text"] for b in buttons(floor.updates()[-1])] == ["Claim"]

    floor.click("Claim", second)
    assert f"Claimed by <@{second}>" in floor.next_update(2)
    floor.click("Accept", second)
    accepted = floor.next_update(3)
    assert f"Accepted by <@{second}>" in accepted
    assert count_rows(baton.engine, "SELECT count(*) FROM handoff WHERE id = :id AND "
                      "status = 'accepted'", id=floor.handoff_id) == 1


def test_outcomes_and_a_rejection_update_the_card_and_the_bdr_is_told(baton: Baton) -> None:
    floor = hand_off(baton)
    (owner,) = reps(1)
    floor.click("Claim", owner)
    floor.next_update(0)

    floor.outcome("meeting_held", owner)
    assert "Outcome:* Meeting held" in floor.next_update(1)
    floor.outcome("lost", owner)
    modal = baton.fake.wait_for("views.open")[-1].args["view"]
    assert modal["callback_id"] == ids.LOST_MODAL
    lost = {ids.LOST_REASON: {ids.INPUT: {"type": "plain_text_input",
                                          "value": "Went with <!channel> Corp"}}}
    baton.slack.view_submission(ids.LOST_MODAL, lost, private_metadata=modal["private_metadata"],
                                user_id=owner)
    assert "Meeting held · Lost" in floor.next_update(2)

    floor.click("Reject", owner)
    modal = baton.fake.wait_for("views.open", 2)[-1].args["view"]
    assert modal["callback_id"] == ids.REJECT_MODAL
    values = {ids.REJECT_REASON: {ids.INPUT: {"type": "static_select",
                                              "selected_option": {"value": "no_budget"}}},
              ids.REJECT_COMMENT: {ids.INPUT: {"type": "plain_text_input",
                                               "value": "Budget frozen <!here>"}}}
    response = baton.slack.view_submission(ids.REJECT_MODAL, values, user_id=owner,
                                           private_metadata=modal["private_metadata"])
    assert response.status_code == 200

    rejected = floor.next_update(3)
    assert f"Rejected by <@{owner}>*: no budget" in rejected
    assert "&lt;!here&gt;" in rejected
    assert buttons(floor.updates()[-1]) == []
    told = [shown(c) for c in floor.bdr.posts() if "was rejected" in shown(c)]
    assert len(told) == 1
    assert "no budget" in told[0]
    assert "Budget frozen &lt;!here&gt;" in told[0]


def test_a_reject_without_a_reason_is_refused_on_the_reason_field(baton: Baton) -> None:
    floor = hand_off(baton)
    (owner,) = reps(1)
    floor.click("Claim", owner)
    floor.next_update(0)

    response = baton.slack.view_submission(
        ids.REJECT_MODAL, {}, user_id=owner, private_metadata=f"{floor.handoff_id}|{EMEA}")

    assert response.json() == {"response_action": "errors",
                               "errors": {ids.REJECT_REASON: "Choose a reason."}}


def test_a_card_decided_while_slack_fails_is_posted_once_when_slack_answers_again(
    baton: Baton,
) -> None:
    name = company("Initech")
    bdr = qualify(baton, name)
    baton.fake.fail("chat.postMessage", status=500)
    baton.fake.fail("chat.postMessage", status=429, retry_after=30, times=2)

    start = utcnow()
    for minutes in (0, 1, 2, 5, 30, 60):
        deliver(baton, now=start + dt.timedelta(minutes=minutes))

    statuses = [c.status for c in baton.fake.calls_to("chat.postMessage")
                if c.args.get("channel") == EMEA and not c.args.get("thread_ts")]
    assert statuses == [500, 429, 429, 200]
    floor = card_of(baton, bdr, name)
    ts = floor.card.response["ts"]
    assert len([c for c in baton.fake.calls_to("chat.postMessage")
                if c.args.get("thread_ts") == ts]) == 1
    assert len([c for c in bdr.posts() if "see the card" in shown(c)]) == 1


def test_others_cannot_reject_or_record_an_outcome_and_are_told_who_can(baton: Baton) -> None:
    floor = hand_off(baton)
    owner, other = reps(2)
    floor.click("Claim", owner)
    floor.next_update(0)

    floor.click("Reject", other)
    assert floor.ephemeral_to(other) == (
        f"Only <@{owner}>, who claimed it, can accept or reject it.")
    floor.outcome("won", other)
    baton.fake.wait_for("chat.postEphemeral", 2, where=lambda c: c.args.get("user") == other)
    assert floor.ephemeral_to(other) == f"Only <@{owner}>, who claimed it, can record its outcome."

    deliver(baton)
    assert baton.fake.calls_to("views.open") == []
    assert len(floor.updates()) == 1
    assert count_rows(baton.engine, "SELECT count(*) FROM outcome WHERE handoff_id = :id",
                      id=floor.handoff_id) == 0
