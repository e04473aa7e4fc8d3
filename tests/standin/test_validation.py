"""Block Kit checks catch what Slack would refuse and pass what it accepts."""

from __future__ import annotations

from typing import Any

from baton.standin.validation import validate_blocks, validate_call, validate_view


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str, blocks: list[dict[str, Any]], submit: str = "Save") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "intake",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "blocks": blocks,
    }


def test_a_typical_card_passes() -> None:
    card = [
        {"type": "header", "text": {"type": "plain_text", "text": "Acme Corp is sales-ready"}},
        {**section("*Contact:* Ana"), "fields": [{"type": "mrkdwn", "text": "*BDR:* <@U1>"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Definition 2026-Q4.1"}]},
        {
            "type": "actions",
            "block_id": "handoff",
            "elements": [
                {
                    "type": "button",
                    "action_id": "claim",
                    "text": {"type": "plain_text", "text": "Claim"},
                    "value": "42",
                }
            ],
        },
    ]
    assert validate_blocks(card) == []


def test_limits_of_texts() -> None:
    long_header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    long_field = {**section("ok"), "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}
    long_context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "c" * 3001}]}
    problems = validate_blocks([section("s" * 3001), long_header, long_field, long_context])
    joined = "\n".join(problems)
    for where in ("blocks[0]", "blocks[1]", "blocks[2]", "blocks[3]"):
        assert where in joined
    assert validate_blocks([section("s" * 3000)]) == []


def test_block_counts_per_surface() -> None:
    divider = {"type": "divider"}
    assert validate_blocks([divider] * 50) == []
    assert validate_blocks([divider] * 51) == ["51 blocks, a message allows 50"]
    assert validate_blocks([divider] * 100, surface="modal") == []
    assert validate_view({"type": "home", "blocks": [divider] * 101}) != []


def test_unknown_types_and_keys_are_problems() -> None:
    problems = validate_blocks([{"type": "sectoin"}, {**section("x"), "colour": "red"}])
    assert problems == [
        "blocks[0]: unknown block type 'sectoin'",
        "blocks[1] (section): unknown keys ['colour']",
    ]
    assert validate_blocks('[{"type": "divider"}]') != []


def test_modal_title_and_submit_limits() -> None:
    assert validate_view(modal("Qualify a lead", [section("x")])) == []
    assert "title" in validate_view(modal("t" * 25, [section("x")]))[0]
    assert "submit" in validate_view(modal("Qualify", [section("x")], submit="s" * 25))[0]


def test_fallback_text_and_message_length() -> None:
    blocks = [section("hi")]
    assert validate_call("chat.postMessage", {"channel": "C", "blocks": blocks, "text": "hi"}) == []
    assert validate_call("chat.update", {"channel": "C", "ts": "1.1", "blocks": blocks}) == [
        "text: a fallback text is required when blocks are sent"
    ]
    assert validate_call("chat.postMessage", {"channel": "C", "text": "t" * 40_001}) != []
