"""Known leads over signed HTTP: the offer's story, Re-qualify, Continue, and no loop back."""

from __future__ import annotations

import uuid
from typing import Any

from baton.slack import ids, text
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    count_rows,
    intake_answered,
    new_user,
    shown,
    shown_view,
    view_buttons,
)
from tests.slack.test_handoff_harness import EMEA, company, deliver, hand_off


def offered(baton: Baton, bdr: Bdr, name: str, **more: str) -> dict[str, Any]:
    """`/qualify name`, the intake submitted; the offer the intake modal turned into."""
    offer = intake_answered(baton, bdr.user, name, **more)
    assert offer["callback_id"] == ids.KNOWN_MODAL, shown_view(offer)
    return offer


def press(baton: Baton, bdr: Bdr, offer: dict[str, Any], label: str) -> str:
    """Click a button of the offer; what the modal says afterwards."""
    button = next(b for b in view_buttons(offer) if b["text"]["text"] == label)
    updated = len(baton.fake.calls_to("views.update"))
    response = baton.slack.block_action(button["action_id"], button["value"], user_id=bdr.user,
                                        view=offer)
    assert response.status_code == 200
    return shown(baton.fake.wait_for("views.update", updated + 1)[-1])


def test_a_handed_off_lead_tells_its_story_and_requalify_starts_afresh_once(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    rep = new_user()
    floor.click("Claim", rep)
    reason = {ids.REJECT_REASON: {ids.INPUT: {
        "type": "static_select", "selected_option": {"value": "no_budget"}}}}
    baton.slack.view_submission(ids.REJECT_MODAL, reason, user_id=rep,
                                private_metadata=f"{floor.handoff_id}|{EMEA}")
    deliver(baton)
    bdr = Bdr(baton)

    offer = offered(baton, bdr, f"the {floor.name.upper()}, LLC", **STRONG_FIT)

    story = shown_view(offer)
    assert "*Last verdict:* Sales-ready, score" in story
    assert f"by <@{floor.bdr.user}>" in story
    assert f"*Handoff:* rejected by <@{rep}>: no budget" in story
    assert [b["text"]["text"] for b in view_buttons(offer)] == ["Re-qualify"]
    assert len(offer["private_metadata"]) < 40

    assert "the questions are in your DM" in press(baton, bdr, offer, "Re-qualify")
    assert "1 of 4" in shown(bdr.wait_posts(2)[-1])
    assert count_rows(baton.engine, "SELECT count(*) FROM qualification q JOIN lead l ON "
                      "q.lead_id = l.id WHERE l.company = :c", c=f"the {floor.name.upper()}, "
                      "LLC") == 2
    assert "expired or was already used" in press(baton, bdr, offer, "Re-qualify")
    assert len(bdr.posts()) == 2


def test_the_bdrs_own_paused_qualification_is_continued_where_it_stopped(baton: Baton) -> None:
    bdr, name = Bdr(baton), company("Wayne Enterprises")
    question = bdr.answer(bdr.start(name, **STRONG_FIT), "Approved budget")
    bdr.click(question, "Pause")

    offer = offered(baton, bdr, name, email=f"jo@{uuid.uuid4().hex[:8]}.example")

    assert "*Open:* your qualification of it is paused (at 2 of 4" in shown_view(offer)
    assert [b["text"]["text"] for b in view_buttons(offer)] == ["Re-qualify",
                                                                "Continue the open one"]
    posts = len(bdr.posts())
    assert "the questions are in your DM" in press(baton, bdr, offer, "Continue the open one")
    assert "2 of 4" in shown(bdr.wait_posts(posts + 1)[-1])
    assert count_rows(baton.engine, "SELECT count(*) FROM qualification q JOIN lead l ON "
                      "q.lead_id = l.id WHERE l.company = :c AND q.status = 'in_progress'",
                      c=name) == 1


def test_a_company_domain_finds_the_lead_and_free_mail_does_not(baton: Baton) -> None:
    domain = f"{uuid.uuid4().hex[:8]}.example"
    Bdr(baton).start(company("Oscorp"), email=f"norman@{domain}", **STRONG_FIT)

    offer = offered(baton, Bdr(baton), company("Somebody Else"), email=f"harry@{domain}")
    assert "Oscorp" in shown_view(offer)

    free = intake_answered(baton, new_user(), company("Tyrell"), email="norman@gmail.com")
    assert "the questions are in your DM" in shown_view(free)


def test_every_intake_field_at_slacks_maximum_length_keeps_the_metadata_small(
    baton: Baton,
) -> None:
    longest = text.INPUT_VALUE
    tag = uuid.uuid4().hex
    fields = {"contact": "C" * longest, "title": "T" * longest, "source": "S" * longest,
              "other_industry": "I" * longest, "other_region": "R" * longest,
              "email": "e" * (longest - len(tag) - 10) + f"@{tag}.example"}
    name = tag + "N" * (longest - len(tag))
    Bdr(baton).start(name, employees="500", **fields)
    bdr = Bdr(baton)

    offer = offered(baton, bdr, name, employees="500", **fields)

    assert len(offer["private_metadata"]) < 40
    assert "the questions are in your DM" in press(baton, bdr, offer, "Re-qualify")
    assert "1 of 4" in shown(bdr.wait_posts(2)[-1])


def test_an_offer_whose_draft_is_not_there_is_told_on_the_modal(baton: Baton) -> None:
    bdr, name = Bdr(baton), company("Vandelay")
    Bdr(baton).start(name, **STRONG_FIT)
    offer = offered(baton, bdr, name)

    for forged in ["", "not-a-draft", "x" * 3000]:
        said = press(baton, bdr, {**offer, "private_metadata": forged}, "Re-qualify")
        assert "expired or was already used" in said
    stranger = Bdr(baton)
    told = press(baton, stranger, offer, "Re-qualify")
    assert "expired or was already used" in told
    assert stranger.posts() == []
    assert "the questions are in your DM" in press(baton, bdr, offer, "Re-qualify")
