"""A manager's override end to end over signed HTTP: from App Home or a card's overflow, shown
on the card, the lead handed off or withdrawn, the BDR told, counted apart; others refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from baton.services.catalog import load_catalog
from baton.services.pipeline import criterion_keys, export_rows
from baton.services.unit_of_work import UnitOfWork
from baton.slack import ids
from baton.standin.calls import Call
from tests.conftest import PROMPTS_DIR
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    shown,
)
from tests.slack.test_handoff_harness import EMEA, Floor, card_of, company, deliver, reps
from tests.slack.test_home_e2e import publish_home
from tests.slack.test_verdicts_harness import (
    MANAGER,
    not_ready,
    strong,
)

REFUSED = "Only sales managers can override a verdict; ask one of them if it should change."


def override_button(home: Call, name: str) -> dict[str, Any]:
    """The Override button beside `name` among the team's recent verdicts on App Home."""
    found = [b["accessory"] for b in home.args["view"]["blocks"]
             if name in b.get("text", {}).get("text", "") and "accessory" in b
             and ids.HOME_OVERRIDE_PATTERN.match(b["accessory"]["action_id"])]
    assert len(found) == 1, home.args["view"]["blocks"]
    return dict(found[0])


def override_from_home(baton: Baton, name: str) -> None:
    """The manager opens App Home and clicks Override beside `name`."""
    home = publish_home(baton, MANAGER)
    button = override_button(home, name)
    view = {"id": "VHOMEMAX", "type": "home", "blocks": home.args["view"]["blocks"]}
    reply = baton.slack.block_action(button["action_id"], button["value"], user_id=MANAGER,
                                     view=view)
    assert reply.status_code == 200, reply.text


def submit_override(baton: Baton, modal: dict[str, Any], verdict: str, reason: str,
                    user: str = MANAGER) -> dict[str, Any]:
    """The manager's choice and reason submitted; Baton's answer to the submission."""
    values = {ids.OVERRIDE_VERDICT: {ids.INPUT: {"type": "static_select", "selected_option": {
                  "value": verdict, "text": {"type": "plain_text", "text": verdict}}}},
              ids.OVERRIDE_REASON: {ids.INPUT: {"type": "plain_text_input", "value": reason}}}
    reply = baton.slack.view_submission(ids.OVERRIDE_MODAL, values, user_id=user,
                                        private_metadata=modal["private_metadata"])
    assert reply.status_code == 200, reply.text
    return reply.json() if reply.content else {}


def modal_opened(baton: Baton) -> dict[str, Any]:
    view = baton.fake.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == ids.OVERRIDE_MODAL
    return dict(view)


def handed_off(baton: Baton) -> Floor:
    name = company("Acme Corp")
    bdr = strong(baton, name)
    deliver(baton)
    return card_of(baton, bdr, name)


def test_a_manager_makes_a_lead_sales_ready_from_home_and_the_card_says_so(
    overriding: Baton,
) -> None:
    name = company("Stark Industries")
    bdr = not_ready(overriding, name)

    override_from_home(overriding, name)
    modal = modal_opened(overriding)
    answered = submit_override(overriding, modal, "sales_ready", "strategic account")
    deliver(overriding)

    assert answered == {}
    assert modal["blocks"][1]["element"]["initial_option"]["value"] == "sales_ready"
    again = overriding.fake.wait_for("views.publish", 2,
                                     where=lambda c: c.args["user_id"] == MANAGER)
    assert f"Overridden: *{name}* is now sales-ready. It is handed off to sales." in shown(
        again[-1])
    card = card_of(overriding, bdr, name)
    assert f"Override by <@{MANAGER}>: strategic account" in shown(card.card)
    told = [shown(c) for c in bdr.posts() if "overrode" in shown(c)]
    assert len(told) == 1
    assert f"<@{MANAGER}> overrode the verdict on *{name}*: it is now sales-ready" in told[0]
    assert "“strategic account”" in told[0]
    row = next(r for r in export_rows(uow=UnitOfWork(overriding.engine), since=_today(),
                                      until=None, keys=_keys()) if r["company"] == name)
    assert (row["sales_ready"], row["overridden_by"], row["override_reason"]) == (
        "true", MANAGER, "strategic account")
    assert row["overridden_at"].endswith("Z")


def test_pipeline_counts_sales_ready_by_override_apart(overriding: Baton) -> None:
    name = company("Wayne Enterprises")
    bdr = not_ready(overriding, name)
    override_from_home(overriding, name)
    submit_override(overriding, modal_opened(overriding), "sales_ready", "referral from their CEO")
    overriding.fake.wait_for("views.publish", 2, where=lambda c: c.args["user_id"] == MANAGER)

    reply = overriding.slack.command("/pipeline", f"today <@{bdr.user}>", user_id=MANAGER,
                                  channel_id="C0SALES")
    assert reply.status_code == 200, reply.text
    summary = overriding.fake.wait_for("response_url")[-1]

    assert "Sales-ready: 0 by the definition, 1 by override" in shown(summary)


def test_a_manager_withdraws_a_handed_off_lead_from_the_cards_overflow(overriding: Baton) -> None:
    floor = handed_off(overriding)

    floor.act(ids.CARD_OVERRIDE, f"{floor.handoff_id}|override", MANAGER)
    modal = modal_opened(overriding)
    submit_override(overriding, modal, "not_sales_ready", "budget frozen until <!here> Q3")
    card = floor.next_update(0)

    assert modal["blocks"][1]["element"]["initial_option"]["value"] == "not_sales_ready"
    assert (f"*Withdrawn:* overridden to not sales-ready by <@{MANAGER}>: budget frozen until "
            "&lt;!here&gt; Q3") in card
    assert f"Override by <@{MANAGER}>: budget frozen" in card
    assert "Claim" not in [b.get("text", {}).get("text") for b in
                           floor.updates()[-1].args["blocks"][-1].get("elements", [])]
    said = overriding.fake.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == MANAGER)
    assert said[-1].args["channel"] == EMEA
    assert "is now not sales-ready. Its card is withdrawn." in said[-1].args["text"]
    assert [c for c in floor.bdr.posts() if "its card is withdrawn" in shown(c).lower()]


def test_a_claimed_cards_owner_is_told_when_a_manager_overrides_from_its_menu(
    overriding: Baton,
) -> None:
    floor = handed_off(overriding)
    (owner,) = reps(1)
    floor.click("Claim", owner)
    floor.next_update(0)

    floor.act(ids.CARD_OUTCOME, f"{floor.handoff_id}|override", MANAGER)
    submit_override(overriding, modal_opened(overriding), "not_sales_ready", "duplicate of Globex")
    assert "*Withdrawn:*" in floor.next_update(1)

    ts = floor.card.response["ts"]
    told = [shown(c) for c in overriding.fake.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == ts and f"<@{owner}>" in shown(c)]
    assert len(told) == 1
    assert f"<@{MANAGER}> overrode the verdict" in told[0]


def test_someone_who_is_not_a_manager_is_refused_with_a_sentence(overriding: Baton) -> None:
    floor = handed_off(overriding)
    (rep,) = reps(1)

    floor.act(ids.CARD_OVERRIDE, f"{floor.handoff_id}|override", rep)
    said = overriding.fake.wait_for("chat.postEphemeral", where=lambda c: c.args["user"] == rep)
    forged = submit_override(overriding, {"private_metadata": f"{_qualification(floor)}|{EMEA}"},
                             "not_sales_ready", "mine now", user=rep)

    assert said[-1].args["text"] == REFUSED
    assert overriding.fake.calls_to("views.open") == []
    assert forged == {"response_action": "errors", "errors": {ids.OVERRIDE_VERDICT: REFUSED}}
    assert count_rows(overriding.engine, "SELECT count(*) FROM verdictrecord WHERE "
                      "qualification_id = :q", q=_qualification(floor)) == 1


def _qualification(floor: Floor) -> int:
    return count_rows(floor.baton.engine, "SELECT qualification_id FROM handoff WHERE id = :h",
                      h=floor.handoff_id)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _keys() -> list[str]:
    return criterion_keys(load_catalog(PROMPTS_DIR))
