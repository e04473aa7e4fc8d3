"""Messages of the BDR's conversation: valid Block Kit, people's text shown as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk.models.blocks import Block

from baton.domain.framework import Framework
from baton.domain.lead import Lead
from baton.slack import ids, views
from baton.slack.ids import ButtonValue
from baton.slack.render import Renderer

VIEWS = views.ConversationViews(Renderer())

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "frameworks"
NASTY = ["x" * 5000, "Acme <!channel> <@U123> & Sons", "شركة الأمل 🚀👩🏽‍💻 للتقنية 🇸🇦"]
WHEN = dt.datetime(2026, 5, 3, 14, 30, tzinfo=dt.UTC)


def _framework(key: str) -> Framework:
    return Framework.model_validate(yaml.safe_load((PROMPTS / f"{key}.yaml").read_text()))


def _texts(node: Any, kind: str) -> list[str]:
    """Every text object of `kind` (mrkdwn or plain_text) anywhere in the payload."""
    if isinstance(node, list):
        return [t for item in node for t in _texts(item, kind)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == kind and isinstance(node.get("text"), str) else []
    return own + [t for value in node.values() for t in _texts(value, kind)]


def _valid(message: views.Message) -> views.Message:
    assert message.text
    assert 0 < len(message.blocks) <= 50
    for parsed in Block.parse_all(message.blocks):
        assert parsed is not None
        parsed.validate_json()
    for shown in [message.text, *_texts(message.blocks, "mrkdwn")]:
        assert "<!channel>" not in shown
        assert "<@U123>" not in shown
    return message


def _buttons(message: views.Message) -> list[dict[str, Any]]:
    return [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def _question(lead: Lead, position: int = 3, criterion: int = 0) -> views.Message:
    bant = _framework("bant")
    return VIEWS.question_message(
        qualification_id=42, lead=lead, framework=bant, criterion=bant.criteria[criterion],
        question=f"Is there budget set aside at {lead.company} for this?",
        position=position, total=8,
    )


@pytest.mark.parametrize("company", NASTY)
def test_question_renders_any_company_as_text(company: str) -> None:
    _valid(_question(Lead(company=company, contact_name=company, title=company)))


def test_question_shows_progress_and_a_button_per_choice() -> None:
    message = _valid(_question(Lead(company="Acme Corp")))
    assert "3 of 8" in message.blocks[0]["elements"][0]["text"]
    labels = [b["text"]["text"] for b in _buttons(message)]
    assert labels == ["Approved budget", "Being planned", "No budget", "Don't know",
                      "Type an answer", "Skip", "Back", "Pause", "Finish now"]


def test_question_buttons_carry_qualification_criterion_and_choice() -> None:
    buttons = _buttons(_valid(_question(Lead(company="Acme Corp"))))
    assert len({b["action_id"] for b in buttons}) == len(buttons)
    assert ButtonValue.unpack(buttons[1]["value"]) == ButtonValue(42, "budget", "planned")
    assert ButtonValue.unpack(buttons[-1]["value"]) == ButtonValue(42, "budget")
    assert ids.ANSWER_CHOICE_PATTERN.match(buttons[0]["action_id"])


def test_first_question_has_no_back_and_a_choice_question_offers_a_note() -> None:
    labels = [b["text"]["text"] for b in _buttons(_question(Lead(company="A"), 1, criterion=1))]
    assert "Back" not in labels
    assert "Add a note" in labels
    assert "Type an answer" not in labels


def test_answered_question_says_the_answer_and_who_without_buttons() -> None:
    message = _valid(VIEWS.answered_message(
        lead=Lead(company="Acme <!channel>"), framework=_framework("bant"),
        question="Is there budget?", answer="$120k <@U123>", answered_by="U0BDR",
        answered_at=WHEN, position=3, total=8, notes="Board signs in June",
    ))
    shown = "\n".join(_texts(message.blocks, "mrkdwn"))
    assert "✓ Answer: $120k &lt;@U123&gt;" in shown
    assert "<@U0BDR>" in shown
    assert "Board signs in June" in shown
    assert not _buttons(message)


def test_answered_at_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        VIEWS.answered_message(
            lead=Lead(company="A"), framework=_framework("bant"), question="Q", answer="A",
            answered_by="U0BDR", answered_at=WHEN.replace(tzinfo=None), position=1, total=4)


@pytest.mark.parametrize("company", NASTY)
def test_closed_message_names_the_lead(company: str) -> None:
    message = _valid(VIEWS.closed_message(company=company))
    assert "is closed" in message.blocks[0]["text"]["text"]


def test_resume_list_has_a_resume_button_per_paused_qualification() -> None:
    paused = [views.Paused(i, f"Company {i}", "BANT", 2, 4, WHEN) for i in (5, 9)]
    message = _valid(VIEWS.resume_list(items=paused))
    buttons = _buttons(message) or [b["accessory"] for b in message.blocks if "accessory" in b]
    assert [ButtonValue.unpack(b["value"]).qualification_id for b in buttons] == [5, 9]
    assert all(ids.RESUME_PATTERN.match(b["action_id"]) for b in buttons)
    assert "2 of 4 answered" in message.blocks[1]["text"]["text"]


def test_resume_list_says_when_nothing_is_paused() -> None:
    message = _valid(VIEWS.resume_list(items=[]))
    assert message.blocks[0]["text"]["text"].startswith("Nothing is paused")


def test_a_long_resume_list_stays_within_a_message_and_says_how_many_more() -> None:
    paused = [views.Paused(i, NASTY[i % 3], "BANT", 1, 4, WHEN) for i in range(60)]
    message = _valid(VIEWS.resume_list(items=paused))
    assert "and 12 more" in message.blocks[-1]["elements"][0]["text"]
