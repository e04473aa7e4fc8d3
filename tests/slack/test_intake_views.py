"""The intake modal and the known-lead offer, as builders: data in, Block Kit Slack accepts out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from slack_sdk.models.views import View

from baton.domain.fit import FitOption
from baton.services.qualification import (
    HandoffFate,
    IntakeChoices,
    KnownLead,
    LastVerdict,
    OpenQualification,
)
from baton.slack import ids
from baton.slack.intake_views import IntakeViews
from baton.slack.render import Renderer
from baton.standin.validation import validate_view

VIEWS = IntakeViews(Renderer())
NASTY = ["x" * 5000, "Acme <!channel> <@U123> & Sons", "شركة الأمل 🚀👩🏽‍💻 للتقنية 🇸🇦"]
CHOICES = IntakeChoices(
    industries=(FitOption("software", "Software"), FitOption("retail", "Retail")),
    regions=(FitOption("NA", "NA"), FitOption("EMEA", "EMEA")), unknown_blocks=True,
    open_opportunity_rules_out=True, frameworks=(("bant", "BANT"), ("meddpicc", "MEDDPICC")),
    default_framework="bant")
WHEN = dt.datetime(2026, 11, 3, 14, 0, tzinfo=dt.UTC)
ME, THEM, REP = "U0ME00001", "U0THEM001", "U0REP0001"


def _valid(view: dict[str, Any]) -> dict[str, Any]:
    View(**view).validate_json()
    assert validate_view(view) == []
    return view


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def _text(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def _buttons(view: dict[str, Any]) -> list[str]:
    return [e["text"]["text"] for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


@pytest.mark.parametrize("company", NASTY)
def test_the_intake_accepts_any_company_and_offers_the_agreed_fit(company: str) -> None:
    fields = _inputs(_valid(VIEWS.intake_modal(company=company, choices=CHOICES)))

    assert company.startswith(
        fields[ids.INTAKE_COMPANY]["element"]["initial_value"].removesuffix("…"))
    assert [o["value"] for o in fields[ids.INTAKE_INDUSTRY]["element"]["options"]] == [
        "software", "retail", ids.FIT_UNKNOWN, ids.FIT_OTHER]
    assert fields[ids.INTAKE_FRAMEWORK]["element"]["initial_option"]["value"] == "bant"


def test_without_unknown_blocks_a_blank_is_said_to_leave_it_out() -> None:
    loose = replace(CHOICES, unknown_blocks=False, open_opportunity_rules_out=False)

    fields = _inputs(_valid(VIEWS.intake_modal(company="Acme", choices=loose)))

    hint = fields[ids.INTAKE_INDUSTRY]["hint"]["text"]
    assert hint == "“Don't know” leaves it out of the verdict."
    assert "sales-ready" not in fields[ids.INTAKE_EMPLOYEES]["hint"]["text"]
    assert "hint" not in fields[ids.INTAKE_OPEN_OPPORTUNITY]


def test_a_fit_the_definition_does_not_list_is_typed_freely() -> None:
    fields = _inputs(_valid(VIEWS.intake_modal(company="Acme",
                                               choices=replace(CHOICES, industries=()))))

    assert ids.INTAKE_INDUSTRY not in fields
    assert fields[ids.INTAKE_INDUSTRY_OTHER]["label"]["text"] == "Industry"
    assert fields[ids.INTAKE_INDUSTRY_OTHER]["element"]["type"] == "plain_text_input"


def test_the_intake_refuses_a_default_framework_it_cannot_offer() -> None:
    with pytest.raises(ValueError, match="'spin' is not among"):
        VIEWS.intake_modal(company="A", choices=replace(CHOICES, default_framework="spin"))


def test_private_metadata_longer_than_slack_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="private_metadata is 3001 characters"):
        VIEWS.intake_modal(company="A", choices=CHOICES, private_metadata="m" * 3001)


def known(company: str = "Acme Corp", said: str = "Frozen until Q3") -> KnownLead:
    return KnownLead(
        lead_id=7, company=company, draft_id="draft-7",
        verdict=LastVerdict(sales_ready=True, score=78, decided_at=WHEN, bdr_user_id=THEM,
                            disqualified=None),
        handoff=HandoffFate(status="rejected", channel="C0EMEA0001", rep=REP,
                            reject_reason="no budget", reject_comment=said, outcome="lost",
                            outcome_reason=said),
        open=OpenQualification(qualification_id=9, bdr_user_id=ME, status="paused",
                               started_at=WHEN, position=3, total=4))


def test_the_offer_tells_the_verdict_the_handoff_and_offers_the_bdrs_open_one() -> None:
    view = _valid(VIEWS.known_lead_modal(known=known(), user=ME))
    said = _text(view)

    assert view["private_metadata"] == "draft-7"
    assert "*Last verdict:* Sales-ready, score 78 / 100" in said
    assert f"by <@{THEM}>" in said
    assert f"*Handoff:* rejected by <@{REP}>: no budget (“Frozen until Q3”)" in said
    assert "Outcome: Lost: Frozen until Q3" in said
    assert "*Open:* your qualification of it is paused (at 3 of 4, started 3 Nov 2026)" in said
    assert _buttons(view) == ["Re-qualify", "Continue the open one"]


def test_another_bdrs_open_one_is_named_and_not_offered() -> None:
    view = _valid(VIEWS.known_lead_modal(known=known(), user=REP))

    assert f"<@{ME}> has a qualification of it paused" in _text(view)
    assert _buttons(view) == ["Re-qualify"]


@pytest.mark.parametrize("text", NASTY)
def test_whatever_people_typed_shows_as_text_within_slacks_limits(text: str) -> None:
    view = _valid(VIEWS.known_lead_modal(known=known(company=text, said=text), user=ME))

    assert "<!channel>" not in _text(view)
    first = replace(known(), verdict=None, handoff=None, open=None)
    assert "*Last verdict:* none yet." in _text(_valid(VIEWS.known_lead_modal(known=first,
                                                                             user=ME)))
