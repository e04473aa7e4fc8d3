"""Correcting an answer after the verdict, end to end over signed HTTP: the form comes back
prefilled, a new verdict supersedes the old one, and the card follows it."""

from __future__ import annotations

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    new_user,
    shown,
)
from tests.slack.test_handoff_harness import EMEA, Floor, card_of, company, deliver, reps
from tests.slack.test_home_e2e import publish_home
from tests.slack.test_verdicts_harness import (
    correct,
    labels,
    latest_verdict,
    not_ready,
    open_correction,
    state_of,
    strong,
    submit_correction,
)


def handed_off(baton: Baton) -> Floor:
    name = company("Acme Corp")
    bdr = strong(baton, name)
    deliver(baton)
    return card_of(baton, bdr, name)


def verdict_rows(baton: Baton, floor: Floor) -> list[tuple[str, bool, int | None]]:
    with baton.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT v.cause, v.sales_ready, v.supersedes_id FROM verdictrecord v "
            "JOIN handoff h ON h.qualification_id = v.qualification_id "
            f"WHERE h.id = {floor.handoff_id} ORDER BY v.id").all()
    return [(str(cause), bool(ready), supersedes) for cause, ready, supersedes in rows]


def test_the_form_comes_back_prefilled_with_the_answers_in_force(baton: Baton) -> None:
    bdr = strong(baton, company("Acme Corp"))

    view = open_correction(baton, bdr)

    assert view["callback_id"] == ids.CORRECT_MODAL
    values = state_of(view)
    picked = {block: entered[ids.INPUT]["selected_option"]["value"]
              for block, entered in values.items() if "selected_option" in entered[ids.INPUT]}
    assert picked == {"choice:budget": "approved", "choice:authority": "decision_maker",
                      "choice:need": "urgent", "choice:timeline": "this_quarter"}


def test_a_correction_re_judges_and_the_card_shows_the_new_verdict(baton: Baton) -> None:
    floor = handed_off(baton)

    verdict = correct(baton, floor.bdr, budget="planned")
    card = floor.next_update(0)

    assert "*Corrected:* Budget." in shown(verdict)
    assert f"Its card in <#{EMEA}> shows the new verdict." in shown(verdict)
    assert "Score *90* / 100" in shown(verdict)
    assert "90 / 100 · Sales-ready" in card
    assert "Being planned" in card
    assert f"Answers corrected by <@{floor.bdr.user}>" in card
    assert [b["text"]["text"] for b in floor.updates()[-1].args["blocks"][-1]["elements"]
            if b["type"] == "button"] == ["Claim"]
    first, second = verdict_rows(baton, floor)
    assert first[:2] == ("judged", True)
    assert second[:2] == ("corrected", True)
    assert second[2] is not None


def test_a_correction_that_is_no_longer_sales_ready_withdraws_the_unclaimed_card(
    baton: Baton,
) -> None:
    floor = handed_off(baton)

    verdict = correct(baton, floor.bdr, need="none")
    card = floor.next_update(0)

    assert (f"*Withdrawn:* no longer sales-ready after a correction by <@{floor.bdr.user}>: "
            "Need must be met") in card
    assert "Claim" not in labels(floor.updates()[-1])
    assert f"its card in <#{EMEA}> is withdrawn" in shown(verdict)
    assert "Not sales-ready" in shown(verdict)
    assert count_rows(baton.engine, "SELECT count(*) FROM handoff WHERE id = :id AND "
                      "status = 'withdrawn'", id=floor.handoff_id) == 1
    # Withdrawn, it can no longer be claimed.
    floor.act(ids.CARD_CLAIM, str(floor.handoff_id), new_user())
    assert "withdrawn and can no longer be claimed" in floor.ephemeral_to(
        baton.fake.calls_to("chat.postEphemeral")[-1].args["user"])


def test_a_claimed_card_is_withdrawn_and_its_owner_told_in_the_thread(baton: Baton) -> None:
    floor = handed_off(baton)
    (owner,) = reps(1)
    floor.click("Claim", owner)
    floor.next_update(0)

    correct(baton, floor.bdr, need="none")
    card = floor.next_update(1)

    assert "*Withdrawn:*" in card
    assert labels(floor.updates()[-1]) == []
    ts = floor.card.response["ts"]
    told = [shown(c) for c in baton.fake.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == ts and f"<@{owner}>" in shown(c)]
    assert len(told) == 1
    assert f"<@{floor.bdr.user}> corrected the answers on" in told[0]
    assert "The card is withdrawn" in told[0]


def test_an_accepted_handoff_is_not_withdrawn_and_the_reply_says_so(baton: Baton) -> None:
    floor = handed_off(baton)
    (owner,) = reps(1)
    floor.click("Claim", owner)
    floor.next_update(0)
    floor.click("Accept", owner)
    floor.next_update(1)

    verdict = correct(baton, floor.bdr, need="none")
    card = floor.next_update(2)

    assert "the handoff is not withdrawn" in shown(verdict)
    assert f"<@{owner}> is told in the card's thread" in shown(verdict)
    assert f"Accepted by <@{owner}>" in card
    assert "Not sales-ready" in card
    assert count_rows(baton.engine, "SELECT count(*) FROM handoff WHERE id = :id AND "
                      "status = 'accepted'", id=floor.handoff_id) == 1
    ts = floor.card.response["ts"]
    assert [c for c in baton.fake.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == ts and "stands as it is" in shown(c)]


def test_a_lead_made_sales_ready_by_a_correction_is_handed_off_once(baton: Baton) -> None:
    name = company("Globex")
    bdr = not_ready(baton, name)
    deliver(baton)
    assert not [c for c in baton.fake.calls_to("chat.postMessage")
                if c.args.get("channel") == EMEA and name in shown(c)]

    verdict = correct(baton, bdr, need="urgent")
    deliver(baton)
    again = open_correction(baton, bdr)
    refused = submit_correction(baton, bdr, again, state_of(again))
    deliver(baton)

    assert "handed off to sales" in shown(verdict)
    floor = card_of(baton, bdr, name)
    assert "Claim by" in shown(floor.card)
    assert refused.json()["response_action"] == "errors"
    assert "No answer changed" in str(refused.json()["errors"])
    assert count_rows(baton.engine, "SELECT count(*) FROM verdictrecord v JOIN qualification q "
                      "ON q.id = v.qualification_id JOIN lead l ON l.id = q.lead_id "
                      "WHERE l.company = :c", c=name) == 2


def test_only_the_bdr_of_the_qualification_corrects_it(baton: Baton) -> None:
    bdr = strong(baton, company("Initech"))
    stranger = new_user()

    bdr.click(latest_verdict(bdr), "Correct an answer", user=stranger)

    told = baton.fake.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == stranger)
    assert told[-1].args["text"] == (
        f"Only <@{bdr.user}>, who qualified this lead, can correct its answers.")
    assert baton.fake.calls_to("views.open") == []


def test_app_home_shows_only_the_verdict_in_force(baton: Baton) -> None:
    name = company("Soylent")
    bdr = strong(baton, name)
    correct(baton, bdr, need="none")

    home = shown(publish_home(baton, bdr.user))

    assert home.count(f"*{name}*") == 1
    assert f"*{name}*: not sales-ready, score 75" in home
