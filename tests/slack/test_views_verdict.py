"""The verdict message: sales-ready or not, the score, every criterion and what is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from baton.domain.framework import Status
from baton.domain.lead import Lead
from baton.domain.verdict import CriterionResult, Verdict
from baton.services.qualification import Override
from baton.slack import views
from baton.slack.render import Renderer
from baton.standin.validation import validate_blocks

VIEWS = views.ConversationViews(Renderer())

ACME = Lead(company="Acme Corp", contact_name="Jane Doe", title="CTO")


def _result(key: str, status: Status, detail: str, **extra: Any) -> CriterionResult:
    return CriterionResult(key=key, title=key.title(), status=status, answer=None,
                           reason=f"{key.title()}: {detail}", points=0, max_points=25, **extra)


def _verdict(ready: bool, **extra: Any) -> Verdict:
    criteria = (
        _result("budget", Status.MET, "120,000 USD meets the minimum of 10,000 USD",
                must_meet=True),
        _result("authority", Status.NOT_MET, "No say in it"),
        _result("timeline", Status.UNKNOWN, "not asked yet"),
    )
    return Verdict(sales_ready=ready, score=72, framework="BANT",
                   definition_version="2026-Q4.1", criteria=criteria, **extra)


def _shown(lead: Lead, verdict: Verdict) -> tuple[views.Message, str]:
    message = VIEWS.verdict_message(lead=lead, verdict=verdict, min_score=60)
    assert len(message.blocks) <= 50
    for parsed in Block.parse_all(message.blocks):
        assert parsed is not None
        parsed.validate_json()
    texts = [message.text, message.blocks[0]["text"]["text"]]
    for block in message.blocks[1:]:
        texts += [block["text"]["text"]] if "text" in block else []
        texts += [e["text"] for e in block.get("elements", [])]
    return message, "\n".join(texts)


def test_sales_ready_says_so_with_score_minimum_and_definition() -> None:
    message, shown = _shown(ACME, _verdict(True))
    assert message.blocks[0]["text"]["text"] == "✅ Sales-ready"
    assert "Score *72* / 100, minimum 60" in shown
    assert "definition 2026-Q4.1" in shown
    assert "nurture" not in shown


def test_each_criterion_shows_its_status_and_reason_once() -> None:
    _, shown = _shown(ACME, _verdict(True))
    assert "✅ *Budget* (must meet) · 120,000 USD meets the minimum of 10,000 USD" in shown
    assert "❌ *Authority* · No say in it" in shown
    assert "❔ *Timeline* · not asked yet" in shown
    assert shown.count("No say in it") == 1


def test_not_sales_ready_lists_exactly_what_is_missing_and_goes_to_nurture() -> None:
    missing = ("Authority is not met", "Timeline is unknown")
    message, shown = _shown(ACME, _verdict(False, missing=missing))
    assert message.blocks[0]["text"]["text"] == "❌ Not sales-ready"
    listed = next(b["text"]["text"] for b in message.blocks
                  if b.get("text", {}).get("text", "").startswith("*What's missing*"))
    assert listed.splitlines()[1:] == ["• Authority is not met", "• Timeline is unknown"]
    assert "This lead goes to nurture: Authority is not met" in shown


def test_a_disqualified_lead_says_why() -> None:
    _, shown = _shown(ACME, _verdict(False, disqualified="Works for a competitor <!channel>"))
    assert "*Disqualified:* Works for a competitor &lt;!channel&gt;" in shown
    assert "<!channel>" not in shown


@pytest.mark.parametrize("company", ["x" * 5000, "Acme <!channel> <@U123>", "شركة 🚀👩🏽‍💻 🇸🇦"])
def test_any_company_and_answer_render_as_text(company: str) -> None:
    lead = Lead(company=company, contact_name=company)
    verdict = _verdict(False, missing=(company,) * 20).model_copy(update={"criteria": (
        _result("budget", Status.MET, company * 3),)})
    _, shown = _shown(lead, verdict)
    assert "<!channel>" not in shown
    assert "<@U123>" not in shown


def test_a_framework_of_thirty_criteria_fits_in_one_message() -> None:
    criteria = tuple(_result(f"c{i}", Status.UNKNOWN, "not asked yet") for i in range(30))
    verdict = Verdict(sales_ready=False, score=0, framework="Big", definition_version="1",
                      criteria=criteria, missing=tuple(f"C{i} is unknown" for i in range(30)))
    message, shown = _shown(ACME, verdict)
    assert shown.count("❔") == 30


def test_the_framework_is_named_as_the_team_knows_it() -> None:
    verdict = _verdict(True).model_copy(update={"framework": "meddpicc"})
    message = VIEWS.verdict_message(lead=ACME, verdict=verdict, min_score=60,
                                    framework_name="MEDDPICC")
    assert "minimum 60 · MEDDPICC · definition 2026-Q4.1" in message.blocks[1]["text"]["text"]


def _steps(message: views.Message) -> dict[str, Any]:
    return next(b for b in message.blocks if b["type"] == "actions")


def test_not_sales_ready_offers_a_correction_a_recheck_day_and_a_nurture_reason() -> None:
    verdict = _verdict(False, missing=("Authority is not met", "<!channel> is unknown"))
    message = VIEWS.verdict_message(lead=ACME, verdict=verdict, min_score=60,
                                    steps=views.verdict_steps(3, 41, verdict))

    steps = _steps(message)
    assert steps["block_id"] == "verdict_steps:41"
    assert [e["type"] for e in steps["elements"]] == ["button", "datepicker", "static_select"]
    assert steps["elements"][0]["text"]["text"] == "Correct an answer"
    assert steps["elements"][0]["value"] == "3"
    options = [(o["value"], o["text"]["text"]) for o in steps["elements"][2]["options"]]
    assert options == [("missing:0", "Authority is not met"),
                       ("missing:1", "<!channel> is unknown"), ("timing", "Timing"),
                       ("no_budget_yet", "No budget yet"), ("other", "Other")]
    assert validate_blocks(message.blocks) == []


@pytest.mark.parametrize("verdict", [_verdict(True),
                                     _verdict(False, disqualified="Works for a competitor")])
def test_sales_ready_or_disqualified_offers_only_the_correction(verdict: Verdict) -> None:
    message = VIEWS.verdict_message(lead=ACME, verdict=verdict, min_score=60,
                                    steps=views.verdict_steps(3, 41, verdict))
    assert [e["type"] for e in _steps(message)["elements"]] == ["button"]


def test_an_override_and_what_a_correction_did_are_said_on_the_verdict() -> None:
    override = Override("U0MAX00001", "strategic <!here> account",
                        dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    message, shown = _shown_with(override=override, note=":pencil2: *Corrected:* Budget.")
    assert message.blocks[0]["text"]["text"] == ":pencil2: *Corrected:* Budget."
    assert "Override by <@U0MAX00001>: strategic &lt;!here&gt; account" in shown


def _shown_with(**extra: Any) -> tuple[views.Message, str]:
    message = VIEWS.verdict_message(lead=ACME, verdict=_verdict(True), min_score=60, **extra)
    assert validate_blocks(message.blocks) == []
    return message, str(message.blocks)
