"""Builders of the handoff card, its status, the owner's modals and the BDR's notices."""

from __future__ import annotations

from typing import Any

import pytest

from baton.services.handoff import REJECT_REASONS, Answered, Card, CardState
from baton.slack import handoff_views as hv
from baton.slack import ids
from baton.slack.render import Renderer
from baton.standin.validation import validate_blocks, validate_view
from baton.store.tables import HandoffStatus

CARDS = hv.HandoffViews(Renderer())


def _card(**changes: Any) -> Card:
    fields: dict[str, Any] = {
        "handoff_id": 7, "company": "Acme Corp", "contact_name": "Jo Park",
        "title": "Head of Ops", "email": "jo@acme.example", "bdr": "U0BDR0001",
        "framework": "BANT", "score": 90, "sales_ready": True,
        "answers": (Answered("Budget", "met", "Approved budget", "Budget is approved", ""),
                    Answered("Timeline", "unknown", "", "Not asked", "")),
        "notes": "Call back after 3pm", "definition_version": "2026.4",
        "claim_by": "Mon 09:05 EDT", "routing_rule": "EMEA team",
    }
    return Card(**(fields | changes))


def _labels(blocks: list[dict[str, Any]]) -> list[str]:
    actions = [b for b in blocks if b.get("block_id") == ids.CARD_ACTIONS]
    return [e["text"]["text"] if e["type"] == "button" else e["type"]
            for b in actions for e in b["elements"]]


@pytest.mark.parametrize(("seconds", "said"), [
    (None, ""), (20, "within a minute"), (200, "after 3 min"), (3600, "after 1 h"),
    (3900, "after 1 h 5 min"),
])
def test_how_fast_a_claim_was_reads_as_a_rep_says_it(seconds: int | None, said: str) -> None:
    assert hv.took(seconds) == said


@pytest.mark.parametrize(("state", "labels", "line"), [
    (CardState(HandoffStatus.POSTED), ["Claim", "static_select"], "Waiting for a rep"),
    (CardState(HandoffStatus.RELEASED), ["Claim", "static_select"],
     "*Released* back to the channel"),
    (CardState(HandoffStatus.RELEASED, released_by="U0REP0002"), ["Claim", "static_select"],
     "*Released by <@U0REP0002>* back to the channel"),
    (CardState(HandoffStatus.WITHDRAWN, "U0REP0001", withdrawn_by="U0BDR0001",
               withdrawn_why="Need must be met; <!here> too"), ["static_select"],
     "*Withdrawn:* no longer sales-ready after a correction by <@U0BDR0001>: Need must be met; "
     "&lt;!here&gt; too"),
    (CardState(HandoffStatus.WITHDRAWN, withdrawn_by="U0BOSS0001", withdrawn_why="no budget",
               withdrawn_by_override=True), ["static_select"],
     "*Withdrawn:* overridden to not sales-ready by <@U0BOSS0001>: no budget"),
    (CardState(HandoffStatus.CLAIMED, "U0REP0001", 200),
     ["Accept", "Reject", "Release", "overflow", "static_select"],
     "Claimed by <@U0REP0001>* after 3 min"),
    (CardState(HandoffStatus.ACCEPTED, "U0REP0001", 200),
     ["Contacted", "Meeting booked", "Reject", "overflow", "static_select"],
     "Accepted by <@U0REP0001>* (claimed after 3 min)"),
    (CardState(HandoffStatus.ACCEPTED, "U0REP0001", 200, outcomes=("meeting_held", "won"),
               contact="meeting_booked"),
     ["Reject", "overflow", "static_select"],
     "*First contact:* Meeting booked\n*Outcome:* Meeting held · Won"),
    (CardState(HandoffStatus.ACCEPTED, "U0REP0001", 200, outcomes=("meeting_held", "lost"),
               lost_reason="went with <!channel> & a competitor", contact="contacted"),
     ["Reject", "overflow", "static_select"],
     "*Outcome:* Meeting held · Lost: went with &lt;!channel&gt; &amp; a competitor"),
    (CardState(HandoffStatus.REJECTED, "U0REP0001", 200, "no budget", "<!here> frozen"),
     [], "Rejected by <@U0REP0001>*: no budget · “&lt;!here&gt; frozen”"),
])
def test_each_status_shows_its_line_and_only_the_buttons_it_allows(
    state: CardState, labels: list[str], line: str
) -> None:
    message = CARDS.card_message(_card(), state)

    assert _labels(message.blocks) == labels
    status = next(b for b in message.blocks if b.get("block_id") == ids.CARD_STATE)
    assert line in status["text"]["text"]
    assert validate_blocks(message.blocks) == []


def test_a_releaser_that_is_not_a_user_id_is_refused_before_it_reaches_slack() -> None:
    with pytest.raises(ValueError, match="Slack user id"):
        CARDS.state_blocks(7, CardState(HandoffStatus.RELEASED, released_by="<!here>"))


def test_a_restated_card_keeps_its_content_and_changes_only_status_and_buttons() -> None:
    posted = CARDS.card_message(_card(), CardState(HandoffStatus.POSTED))
    claimed = CardState(HandoffStatus.CLAIMED, "U0REP0001", 30)

    restated = CARDS.card_restated(7, posted.blocks, posted.text, claimed)

    assert restated.blocks == CARDS.card_message(_card(), claimed).blocks
    assert restated.text == posted.text


def test_the_overflow_offers_each_outcome_and_the_managers_menu_their_choices() -> None:
    blocks = CARDS.state_blocks(7, CardState(HandoffStatus.CLAIMED, "U0REP0001", 30))
    elements = [e for b in blocks for e in b.get("elements", [])]
    outcomes = next(e for e in elements if e["type"] == "overflow")
    managers = next(e for e in elements if e["type"] == "static_select")
    assert [o["value"] for o in outcomes["options"]] == [
        "7|meeting_held", "7|opportunity_created", "7|won", "7|lost"]
    assert managers["action_id"] == ids.CARD_OVERRIDE
    assert managers["placeholder"]["text"] == "Managers…"
    assert [(o["value"], o["text"]["text"]) for o in managers["options"]] == [
        ("7|override", "Override verdict…"), ("7|reassign", "Reassign…"),
        ("7|manager_release", "Release to the channel")]


@pytest.mark.parametrize(("status", "choices"), [
    (HandoffStatus.POSTED, ["7|override", "7|reassign"]),
    (HandoffStatus.WITHDRAWN, ["7|override"]),
])
def test_a_card_nobody_holds_offers_managers_only_what_it_allows(
    status: HandoffStatus, choices: list[str],
) -> None:
    blocks = CARDS.state_blocks(7, CardState(status, withdrawn_by="U0BDR0001"))
    menu = next(e for b in blocks for e in b.get("elements", []) if e["type"] == "static_select")
    assert menu["action_id"] == ids.CARD_OVERRIDE
    assert [o["value"] for o in menu["options"]] == choices


def test_an_override_and_a_correction_show_on_the_card() -> None:
    card = _card(overridden_by="U0BOSS0001", override_reason="strategic <!channel> account",
                 corrected_by="U0BDR0001")
    shown = str(CARDS.card_message(card, CardState(HandoffStatus.POSTED)).blocks)
    assert "Override by <@U0BOSS0001>: strategic &lt;!channel&gt; account" in shown
    assert "Answers corrected by <@U0BDR0001>" in shown


def test_a_card_without_contact_or_notes_is_still_complete() -> None:
    message = CARDS.card_message(_card(contact_name="", title="", email="", notes="", answers=()),
                              CardState(HandoffStatus.PENDING))
    assert "_not given_" in str(message.blocks)
    assert "Key answers" not in str(message.blocks)
    assert validate_blocks(message.blocks) == []


def test_a_bdr_that_is_not_a_user_id_is_refused_before_it_reaches_slack() -> None:
    with pytest.raises(ValueError, match="Slack user id"):
        CARDS.card_message(_card(bdr="<!channel>"), CardState(HandoffStatus.POSTED))


def test_the_reject_modal_offers_every_reason_and_an_optional_comment() -> None:
    view = CARDS.reject_modal(company="<!channel> Inc", private_metadata="7|C0EMEA0001")

    assert validate_view(view) == []
    assert view["callback_id"] == ids.REJECT_MODAL
    reason = next(b for b in view["blocks"] if b.get("block_id") == ids.REJECT_REASON)
    assert [o["value"] for o in reason["element"]["options"]] == list(REJECT_REASONS)
    comment = next(b for b in view["blocks"] if b.get("block_id") == ids.REJECT_COMMENT)
    assert comment["optional"] is True
    assert "&lt;!channel&gt; Inc" in view["blocks"][0]["text"]["text"]


def test_the_lost_modal_requires_a_reason() -> None:
    view = CARDS.lost_modal(company="Acme", private_metadata="7|C0EMEA0001")
    assert validate_view(view) == []
    reason = next(b for b in view["blocks"] if b.get("block_id") == ids.LOST_REASON)
    assert reason["optional"] is False


def test_the_bdr_is_told_of_a_rejection_with_the_comment_escaped() -> None:
    notice = CARDS.rejected_notice(company="Acme", rep="U0REP0001", reason="no budget",
                                comment="<!channel> no money")
    body = notice.blocks[0]["text"]["text"]
    assert "<@U0REP0001> rejected *Acme*: no budget." in body
    assert "&lt;!channel&gt; no money" in body
    assert validate_blocks(notice.blocks) == []


def test_the_thread_gives_each_answer_once_with_its_reason() -> None:
    card = _card(answers=(
        Answered("Budget", "met", "120,000 USD",
                 "Budget: 120,000 USD meets the minimum of 10,000 USD", ""),
        Answered("Authority", "met", "They decide", "Authority: They decide", "CFO signs"),
        Answered("Timeline", "unknown", "", "Timeline: not asked yet", ""),
    ))
    message = CARDS.thread_message(card)
    shown = "\n".join(b["text"]["text"] for b in message.blocks if "text" in b)

    assert "✅ *Budget* · 120,000 USD meets the minimum of 10,000 USD" in shown
    assert "✅ *Authority* · They decide\n_Notes:_ CFO signs" in shown
    assert "❔ *Timeline* · not asked yet" in shown
    assert shown.count("They decide") == 1
    assert validate_blocks(message.blocks) == []
