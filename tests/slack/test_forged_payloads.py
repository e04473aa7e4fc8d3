"""What a payload names is checked against the database before any message is changed."""

from __future__ import annotations

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    buttons,
    new_user,
    told_in_dm,
)
from tests.slack.test_handoff_harness import EMEA, company, hand_off


def typed(text: str, notes: str = "") -> dict[str, dict[str, object]]:
    return {ids.TYPED_VALUE: {ids.INPUT: {"type": "plain_text_input", "value": text}},
            ids.TYPED_NOTES: {ids.INPUT: {"type": "plain_text_input", "value": notes}}}


def test_a_typed_answer_naming_the_sales_card_leaves_the_card_untouched(baton: Baton) -> None:
    floor = hand_off(baton)
    bdr = Bdr(baton)
    question = bdr.start(company("Globex"), **STRONG_FIT)
    qid = int(buttons(question)[0]["value"].split("|")[0])
    forged = ids.TypedMetadata(qid, "budget", EMEA, floor.card.response["ts"]).pack()

    response = baton.slack.view_submission(ids.TYPED_MODAL, typed("$120k"),
                                           private_metadata=forged, user_id=bdr.user)

    assert (response.status_code, response.content) == (200, b"")
    assert "not part of this qualification's conversation" in told_in_dm(baton, bdr.user)
    assert floor.updates() == []
    assert len(bdr.posts()) == 2  # the root and the first question: nothing moved on


def test_a_typed_answer_from_someone_else_changes_nothing(baton: Baton) -> None:
    bdr = Bdr(baton)
    question = bdr.start(company("Initech"), **STRONG_FIT)
    qid = int(buttons(question)[0]["value"].split("|")[0])
    metadata = ids.TypedMetadata(qid, "budget", question.response["channel"],
                                 question.response["ts"]).pack()

    someone = new_user()
    response = baton.slack.view_submission(ids.TYPED_MODAL, typed("$120k"),
                                           private_metadata=metadata, user_id=someone)

    assert (response.status_code, response.content) == (200, b"")
    assert f"Only <@{bdr.user}>" in told_in_dm(baton, someone)
    assert baton.fake.calls_to("chat.update") == []


def test_a_reject_form_naming_another_channel_is_refused(baton: Baton) -> None:
    floor = hand_off(baton)
    owner = new_user()
    floor.click("Claim", owner)
    reason = {ids.REJECT_REASON: {ids.INPUT: {
        "type": "static_select", "selected_option": {"value": "not_a_fit"}}}}

    updates = len(floor.updates())

    response = baton.slack.view_submission(
        ids.REJECT_MODAL, reason, user_id=owner,
        private_metadata=f"{floor.handoff_id}|C0ELSEWHERE")

    assert (response.status_code, response.content) == (200, b"")  # the modal closes
    assert "not about a card in that channel" in told_in_dm(baton, owner)
    dm = baton.fake.workspace.dm_for(owner)
    assert [c.args["channel"] for c in baton.fake.calls_to("chat.postEphemeral")] == [dm]
    assert len(floor.updates()) == updates


def test_a_click_claiming_to_come_from_the_sales_card_leaves_the_card_untouched(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    bdr = Bdr(baton)
    question = bdr.start(company("Umbrella"), **STRONG_FIT)
    choice = buttons(question)[0]
    card = {"ts": floor.card.response["ts"], "type": "message", "text": "", "blocks": []}

    baton.slack.block_action(choice["action_id"], choice["value"], user_id=bdr.user,
                             channel_id=EMEA, message=card)

    told = baton.fake.wait_for("chat.postEphemeral")[-1].args
    assert told["user"] == bdr.user
    assert "not part of this qualification's conversation" in told["text"]
    assert floor.updates() == []
    assert len(bdr.posts()) == 2
