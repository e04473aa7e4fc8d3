"""/qualify's intake and the edges: field errors, known leads, hostile text, closed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    intake_answered,
    intake_values,
    new_user,
    shown,
    shown_view,
    view_buttons,
)


def opened_intake(baton: Baton, text: str) -> dict[str, Any]:
    response = baton.slack.command("/qualify", text, user_id=new_user())
    assert response.status_code == 200, response.text
    view: dict[str, Any] = baton.fake.wait_for("views.open")[-1].args["view"]
    return view


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


@pytest.mark.parametrize(
    "company", ["Acme Corp", "Payload Systems", "payload systems", "payload=1&payload"])
def test_qualify_opens_the_intake_with_the_company_prefilled(
    baton: Baton, company: str
) -> None:
    view = opened_intake(baton, company)

    assert view["callback_id"] == ids.INTAKE_MODAL
    assert inputs(view)[ids.INTAKE_COMPANY]["element"]["initial_value"] == company


def test_the_intake_offers_the_fit_from_the_definition_and_says_what_a_blank_means(
    baton: Baton,
) -> None:
    fields = inputs(opened_intake(baton, "Acme Corp"))

    industry = fields[ids.INTAKE_INDUSTRY]
    assert [o["text"]["text"] for o in industry["element"]["options"]] == [
        "Software", "Financial services", "Healthcare", "Retail", "Manufacturing",
        "Don't know", "Other…"]
    assert [o["value"] for o in fields[ids.INTAKE_REGION]["element"]["options"]] == [
        "NA", "EMEA", "APAC", ids.FIT_UNKNOWN, ids.FIT_OTHER]
    for block in (ids.INTAKE_INDUSTRY, ids.INTAKE_REGION, ids.INTAKE_OPEN_OPPORTUNITY):
        assert fields[block]["optional"] is False
    assert "sales-ready" in industry["hint"]["text"]
    assert "sales-ready" in fields[ids.INTAKE_EMPLOYEES]["hint"]["text"]
    assert fields[ids.INTAKE_INDUSTRY_OTHER]["label"]["text"] == "Other industry"
    assert [o["text"]["text"] for o in fields[ids.INTAKE_OPEN_OPPORTUNITY]["element"][
        "options"]] == ["Yes", "No", "Don't know"]
    assert "rules the lead out" in fields[ids.INTAKE_OPEN_OPPORTUNITY]["hint"]["text"]


@pytest.mark.parametrize(
    ("company", "more", "block", "says"),
    [("", {}, ids.INTAKE_COMPANY, "company's name"),
     ("Hooli", {"email": "not-an-email"}, ids.INTAKE_EMAIL, "email address"),
     ("Hooli", {"industry": ids.FIT_OTHER}, ids.INTAKE_INDUSTRY_OTHER, "Type the industry"),
     ("Hooli", {"region": "EMEA", "region_other": "Germany"}, ids.INTAKE_REGION_OTHER,
      "clear this box, or pick “Other…”"),
     ("Hooli", {"employees": "lots"}, ids.INTAKE_EMPLOYEES, "whole number")],
)
def test_intake_errors_are_shown_on_their_fields(
    baton: Baton, company: str, more: dict[str, str], block: str, says: str
) -> None:
    response = baton.slack.view_submission(
        ids.INTAKE_MODAL, intake_values(company, **more), user_id=new_user())

    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert says in answer["errors"][block]
    assert baton.fake.calls_to("chat.postMessage") == []


def test_a_known_lead_run_by_another_bdr_is_named_not_offered(baton: Baton) -> None:
    name = f"Stark Industries {uuid.uuid4().hex[:6]}"
    first = Bdr(baton)
    first.start(name, **STRONG_FIT)
    posted = len(baton.fake.calls_to("chat.postMessage"))

    view = intake_answered(baton, new_user(), f"The {name.upper()}, Inc.")

    offer = shown_view(view)
    assert "is already known" in offer
    assert f"<@{first.user}> has a qualification of it in progress (at 1 of 4" in offer
    assert "only they can continue it" in offer
    assert [b["text"]["text"] for b in view_buttons(view)] == ["Re-qualify"]
    assert len(baton.fake.calls_to("chat.postMessage")) == posted


@pytest.mark.parametrize(
    "company",
    ["Z" * 5000, "<!channel> Corp", "شركة الأفق 🚀🇸🇦 للتقنية"],
    ids=["5000 characters", "channel mention", "arabic and emoji"],
)
def test_any_company_name_renders_safely_through_the_whole_conversation(
    baton: Baton, company: str
) -> None:
    bdr = Bdr(baton)
    question = bdr.start(company, **STRONG_FIT)
    question = bdr.answer(question, "Approved budget")
    bdr.click(question, "Finish now")
    verdict = bdr.wait_posts(4)[-1]

    assert "ales-ready" in shown(verdict)
    assert baton.fake.invalid == []
    for call in baton.fake.calls:
        assert "<!channel>" not in shown(call)


def test_a_finished_qualification_says_it_is_closed_and_only_its_bdr_may_answer(
    baton: Baton,
) -> None:
    bdr = Bdr(baton)
    question = bdr.start(f"Wayne Enterprises {uuid.uuid4().hex[:6]}", **STRONG_FIT)

    bdr.click(question, "Approved budget", user=(intruder := new_user()))
    told = baton.fake.wait_for("chat.postEphemeral")[-1]
    assert told.args["user"] == intruder
    assert f"Only <@{bdr.user}>" in told.args["text"]

    bdr.click(question, "Finish now")
    bdr.wait_posts(3)
    bdr.click(question, "Type an answer")
    closed = baton.fake.wait_for("chat.postEphemeral", 2)[-1]
    assert closed.args["user"] == bdr.user
    assert "is finished" in closed.args["text"]
    assert len(bdr.posts()) == 3
    assert baton.fake.calls_to("views.open") == []
