"""The BDR's conversation end to end over signed HTTP: buttons, form, pause and restart, retries."""

from __future__ import annotations

import uuid

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    buttons,
    count_rows,
    handoffs_of,
    running,
    settle,
    shown,
)


def company(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def test_a_strong_bant_lead_answered_by_buttons_is_sales_ready_and_handed_off_once(
    baton: Baton,
) -> None:
    bdr, name = Bdr(baton), company("Acme Corp")
    question = bdr.start(name, **STRONG_FIT)
    root = bdr.posts()[0]
    assert "BANT (4 questions)" in shown(root)
    assert "1 of 4" in shown(question)

    for label in ["Approved budget", "They decide", "Urgent, costing them now"]:
        question = bdr.answer(question, label)
    verdict = bdr.answer(question, "This quarter")

    assert "Sales-ready" in shown(verdict)
    assert "Not sales-ready" not in shown(verdict)
    assert handoffs_of(baton.engine, name) == 1
    updated = [shown(c) for c in baton.fake.calls_to("chat.update")]
    assert len(updated) == 4
    assert "Answer: Approved budget" in updated[0]


def test_a_weak_meddpicc_lead_answered_in_the_form_is_not_sales_ready_and_says_why(
    baton: Baton,
) -> None:
    bdr, name = Bdr(baton), company("Globex")
    bdr.start(name, "meddpicc", **STRONG_FIT)
    bdr.click(bdr.posts()[0], "Answer all in one form")
    form = baton.fake.wait_for("views.open")[-1].args["view"]
    assert form["callback_id"] == ids.FORM_MODAL
    chosen = {"economic_buyer": "not_identified", "implicated_pain": "minor",
              "champion": "none", "decision_criteria": "discussed"}
    values = {ids.form_block(ids.FORM_CHOICE, key): {ids.INPUT: {
        "type": "static_select", "selected_option": {"value": value}}}
        for key, value in chosen.items()}
    count = len(bdr.posts())

    response = baton.slack.view_submission(
        ids.FORM_MODAL, values, private_metadata=form["private_metadata"], user_id=bdr.user)

    assert response.status_code == 200
    assert not response.content, response.text
    verdict = shown(bdr.wait_posts(count + 1)[-1])
    assert "Not sales-ready" in verdict
    for missing in ["Economic buyer", "Implicated pain", "Champion"]:
        assert missing in verdict.split("What's missing")[1]
    assert handoffs_of(baton.engine, name) == 0


def test_a_paused_qualification_resumes_after_a_restart_with_every_answer(
    baton: Baton,
) -> None:
    bdr, name = Bdr(baton), company("Initech")
    question = bdr.start(name, **STRONG_FIT)
    question = bdr.answer(question, "Approved budget")
    bdr.click(question, "Pause")
    paused = baton.fake.wait_for("chat.update", 2)[-1]
    assert "Paused at question 2 of 4" in shown(paused)

    with running(baton.settings, baton.fake) as (slack, _engine):
        restarted = Bdr(Baton(baton.fake, slack, baton.engine, baton.settings), bdr.user)
        response = slack.command("/qualify", "resume", user_id=bdr.user)
        assert response.status_code == 200
        listing = baton.fake.wait_for("response_url")[-1]
        assert name in shown(listing)
        assert "1 of 4 answered" in shown(listing)
        count = len(bdr.posts())
        restarted.click(listing, "Resume")
        question = restarted.wait_posts(count + 1)[-1]
        assert "2 of 4" in shown(question)
        assert "signs off" in shown(question)
        for label in ["They decide", "Urgent, costing them now"]:
            question = restarted.answer(question, label)
        verdict = shown(restarted.answer(question, "This quarter"))

    assert "Sales-ready" in verdict
    assert "Score *100*" in verdict
    assert "Approved budget" in verdict


def test_a_retried_event_and_a_double_click_change_nothing_twice(baton: Baton) -> None:
    bdr, name = Bdr(baton), company("Umbrella")
    question = bdr.start(name, **STRONG_FIT)
    root = bdr.posts()[0]
    event = {"type": "message", "channel_type": "im", "user": bdr.user,
             "channel": root.response["channel"], "text": "They use spreadsheets today",
             "ts": "1800000000.000100", "thread_ts": root.response["ts"]}
    for retry in (None, 1):
        assert baton.slack.event(event, event_id="EvNOTE1", retry_num=retry).status_code == 200
    posts_before = len(bdr.posts())

    for _ in range(2):
        bdr.click(question, "Approved budget")
    bdr.wait_posts(posts_before + 1)
    baton.fake.wait_for("chat.update")
    settle(baton.fake)  # every click and event handled: a second reply would be here

    assert len(bdr.posts()) == posts_before + 1
    assert len(baton.fake.calls_to("chat.update")) == 1
    assert count_rows(baton.engine, "SELECT count(*) FROM note WHERE text = :t",
                      t="They use spreadsheets today") == 1
    assert count_rows(baton.engine, "SELECT count(*) FROM answerentry a JOIN qualification q"
                      " ON a.qualification_id = q.id WHERE q.bdr_user_id = :u", u=bdr.user) == 1
    assert buttons(question)
