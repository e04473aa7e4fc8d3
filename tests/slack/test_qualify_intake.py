"""/qualify's intake and the edges: field errors, known leads, hostile text, closed."""

from __future__ import annotations

import json
import uuid

import pytest

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    intake_values,
    new_user,
    shown,
)


def test_qualify_opens_the_intake_with_the_company_prefilled(baton: Baton) -> None:
    response = baton.slack.command("/qualify", "Acme Corp", user_id=new_user())

    assert response.status_code == 200
    view = baton.fake.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == ids.INTAKE_MODAL
    company = next(b for b in view["blocks"] if b["block_id"] == ids.INTAKE_COMPANY)
    assert company["element"]["initial_value"] == "Acme Corp"


@pytest.mark.parametrize(
    ("company", "more", "block"),
    [("", {}, ids.INTAKE_COMPANY), ("Hooli", {"email": "not-an-email"}, ids.INTAKE_EMAIL)],
)
def test_intake_errors_are_shown_on_their_fields(
    baton: Baton, company: str, more: dict[str, str], block: str
) -> None:
    response = baton.slack.view_submission(
        ids.INTAKE_MODAL, intake_values(company, **more), user_id=new_user())

    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    assert baton.fake.calls_to("chat.postMessage") == []


def test_a_known_lead_is_offered_for_continuing(baton: Baton) -> None:
    name = f"Stark Industries {uuid.uuid4().hex[:6]}"
    first = Bdr(baton)
    first.start(name, **STRONG_FIT)

    response = baton.slack.view_submission(
        ids.INTAKE_MODAL, intake_values(name.upper()), user_id=new_user())

    answer = response.json()
    assert answer["response_action"] == "update"
    offer = json.dumps(answer["view"])
    assert "is already known" in offer
    assert f"<@{first.user}>" in offer
    assert "Continue that qualification" in offer


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
