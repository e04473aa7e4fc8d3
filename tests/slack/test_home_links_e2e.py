"""App Home over signed HTTP links each open card to where Slack posted it."""

from __future__ import annotations

import pytest

from tests.slack.test_conversation_harness import Baton, count_rows
from tests.slack.test_handoff_harness import EMEA, Floor, hand_off
from tests.slack.test_home_claim_e2e import claim_button, click_on_home, section
from tests.slack.test_home_e2e import publish_home
from tests.slack.test_pipeline_harness import BOSS
from tests.slack_spec.server import FakeSlack


@pytest.fixture
def baton(managed: Baton, fresh_fake: FakeSlack) -> Baton:
    """The Baton whose managers are GROUP, with a fresh transcript (see `fresh_fake`)."""
    return managed


def permalink(floor: Floor) -> str:
    """The stand-in's permalink of the card as it was posted."""
    return f"https://fake.slack.com/archives/{EMEA}/p{floor.card.response['ts'].replace('.', '')}"


def test_home_links_an_unclaimed_card_then_the_lead_its_claimer_took(baton: Baton) -> None:
    floor = hand_off(baton)
    link = f"*<{permalink(floor)}|{floor.name}>*"
    home = publish_home(baton, BOSS)
    assert link in section(home, "Unclaimed cards")

    after = click_on_home(baton, home, claim_button(home, floor.name), BOSS)

    assert link in section(after, "Your claimed leads")
    assert floor.name not in section(after, "Unclaimed cards")
    assert len(baton.fake.calls_to("chat.getPermalink")) == 1


def test_a_card_slack_gave_no_permalink_for_is_named_by_its_channel(baton: Baton) -> None:
    baton.fake.fail("chat.getPermalink", error="internal_error")
    floor = hand_off(baton)

    listed = section(publish_home(baton, BOSS), "Unclaimed cards")

    assert f"*{floor.name}* in <#{EMEA}>" in listed
    assert count_rows(baton.engine, "SELECT count(*) FROM handoff WHERE id = :id"
                      " AND permalink IS NULL", id=floor.handoff_id) == 1
