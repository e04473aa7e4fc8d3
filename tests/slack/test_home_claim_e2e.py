"""Claim from App Home over signed HTTP: a manager takes an unclaimed card from their Home tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.slack.test_conversation_harness import (
    Baton,
    database,
    running,
    settings_for,
    shared_fake,
    shown,
)
from tests.slack.test_home_e2e import publish_home
from tests.slack.test_pipeline_harness import BOSS, GROUP, settle
from tests.slack_fake.server import FakeSlack

__all__ = ["database", "shared_fake"]


@pytest.fixture
def fresh_fake(shared_fake: FakeSlack) -> Iterator[FakeSlack]:
    """The stand-in with the managers' user group, a fresh transcript and no invalid payload."""
    shared_fake.set_usergroup(GROUP, [BOSS])
    shared_fake.reset()
    yield shared_fake
    settle(shared_fake)
    assert shared_fake.invalid == [], shared_fake.invalid
    assert shared_fake.unknown == [], shared_fake.unknown


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
