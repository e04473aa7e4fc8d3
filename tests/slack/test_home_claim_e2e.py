"""Managers on App Home over signed HTTP: one managers' list, and Claim from the Home tab."""

from __future__ import annotations

from typing import Any

import pytest

from baton.slack import ids
from baton.slack.pipeline_views import CLOSED_NOTICE
from baton.standin.calls import Call
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    running,
    settings_for,
    settle,
    shown,
)
from tests.slack.test_handoff_harness import Floor, deliver, hand_off
from tests.slack.test_home_e2e import publish_home
from tests.slack.test_pipeline_harness import BOSS, BOSS2, GROUP
from tests.slack_spec.server import FakeSlack


@pytest.fixture
def baton(managed: Baton, fresh_fake: FakeSlack) -> Baton:
    """The Baton whose managers are GROUP, with a fresh transcript (see `fresh_fake`)."""
    return managed


def test_home_then_pipeline_ask_slack_for_the_managers_group_once(
    fresh_fake: FakeSlack, database: str,
) -> None:
    settings = settings_for(fresh_fake, database, baton_managers=GROUP)
    with running(settings, fresh_fake) as (client, engine):
        baton = Baton(fresh_fake, client, engine, settings)
        assert "The team's week" in shown(publish_home(baton, BOSS))
        response = client.command("/pipeline", "this week", user_id=BOSS, channel_id="C0SALES")
        assert response.status_code == 200, response.text
        reply = fresh_fake.wait_for("response_url")[0]

    assert "The team" in shown(reply)
    assert len(fresh_fake.calls_to("usergroups.users.list")) == 1


def claim_button(home: Call, company: str) -> dict[str, Any]:
    """The Claim button beside `company` among the Home tab's unclaimed cards."""
    blocks = home.args["view"]["blocks"]
    found = [b["accessory"] for b in blocks
             if company in b.get("text", {}).get("text", "") and "accessory" in b
             and ids.HOME_CLAIM_PATTERN.match(b["accessory"]["action_id"])]
    assert len(found) == 1, blocks
    assert found[0]["text"]["text"] == "Claim"
    return dict(found[0])


def click_on_home(baton: Baton, home: Call, button: dict[str, Any], user: str) -> Call:
    """Click a button of `user`'s Home as published; the Home published again after it."""
    before = len(published_for(baton, user))
    view = {"id": f"VHOME{user}", "type": "home", "blocks": home.args["view"]["blocks"]}
    reply = baton.slack.block_action(button["action_id"], button["value"], user_id=user,
                                     view=view)
    assert reply.status_code == 200, reply.text
    return baton.fake.wait_for("views.publish", before + 1,
                               where=lambda c: c.args["user_id"] == user)[-1]


def published_for(baton: Baton, user: str) -> list[Call]:
    return [c for c in baton.fake.calls_to("views.publish") if c.args["user_id"] == user]


def notice(home: Call) -> str:
    first = home.args["view"]["blocks"][0]
    assert first["type"] == "section"
    return str(first["text"]["text"])


def section(home: Call, title: str) -> str:
    """What one titled list of the Home tab reads: its title block and the buttoned lines after."""
    blocks = home.args["view"]["blocks"]
    start = next(i for i, b in enumerate(blocks)
                 if b.get("text", {}).get("text", "").startswith(f"*{title}*"))
    found = [blocks[start]]
    for block in blocks[start + 1:]:
        if "accessory" not in block:
            break
        found.append(block)
    return "\n".join(b["text"]["text"] for b in found)


def updated_once(baton: Baton, floor: Floor) -> str:
    """What the card reads after its one update, once the outbox has sent everything."""
    deliver(baton)
    settle(baton.fake)
    deliver(baton)
    assert len(floor.updates()) == 1, [shown(u) for u in floor.updates()]
    return shown(floor.updates()[0])


def test_a_manager_claims_from_home_the_card_says_so_and_home_lists_the_lead(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    home = publish_home(baton, BOSS)
    button = claim_button(home, floor.name)

    after = click_on_home(baton, home, button, BOSS)

    assert notice(after) == f"You claimed *{floor.name}*; it is under your claimed leads."
    assert floor.name in section(after, "Your claimed leads")
    assert floor.name not in section(after, "Unclaimed cards")
    assert f"Claimed by <@{BOSS}>" in updated_once(baton, floor)
    assert baton.fake.calls_to("chat.postEphemeral") == []


def test_a_double_click_on_home_claims_once_and_updates_the_card_once(baton: Baton) -> None:
    floor = hand_off(baton)
    home = publish_home(baton, BOSS)
    button = claim_button(home, floor.name)

    click_on_home(baton, home, button, BOSS)
    again = click_on_home(baton, home, button, BOSS)

    assert notice(again) == f"You claimed *{floor.name}*; it is under your claimed leads."
    updated_once(baton, floor)
    assert count_rows(baton.engine, "SELECT count(*) FROM eventlog WHERE kind = 'handoff.claimed'"
                      " AND subject_id = :id", id=str(floor.handoff_id)) == 1


def test_a_second_manager_claiming_the_same_card_from_home_is_told_who_has_it(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    first, second = publish_home(baton, BOSS), publish_home(baton, BOSS2)

    click_on_home(baton, first, claim_button(first, floor.name), BOSS)
    told = click_on_home(baton, second, claim_button(second, floor.name), BOSS2)

    assert notice(told) == f"*{floor.name}* is already claimed by <@{BOSS}>."
    assert floor.name not in section(told, "Your claimed leads")
    assert f"Claimed by <@{BOSS}>" in updated_once(baton, floor)


def test_a_card_claimed_in_the_channel_is_taken_when_claimed_from_a_stale_home(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    home = publish_home(baton, BOSS)
    rep = "U0REP00009"
    floor.click("Claim", rep)
    assert f"Claimed by <@{rep}>" in floor.next_update(0)

    told = click_on_home(baton, home, claim_button(home, floor.name), BOSS)

    assert notice(told) == f"*{floor.name}* is already claimed by <@{rep}>."
    updated_once(baton, floor)


def test_claiming_an_unknown_handoff_from_home_says_it_is_closed(baton: Baton) -> None:
    home = publish_home(baton, BOSS)
    forged = {"action_id": ids.home_claim_action(0), "value": "999999"}

    told = click_on_home(baton, home, forged, BOSS)

    assert notice(told) == CLOSED_NOTICE
    assert baton.fake.calls_to("chat.update") == []
    assert baton.fake.calls_to("chat.postEphemeral") == []
