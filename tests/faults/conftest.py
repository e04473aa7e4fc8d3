"""A real Baton over signed HTTP, its outbox sender as `baton run` and `baton tick` build it, and
the Slack stand-in failing as Slack does; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.harness import BOSS, FALLBACK, Faulty
from tests.slack.conftest import _clean_transcript, database, shared_fake  # noqa: F401
from tests.slack.test_conversation_harness import Baton, running, settings_for
from tests.slack_spec.server import FakeSlack


@pytest.fixture(scope="module")
def faulty_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:  # noqa: F811
    """The module's Baton: BOSS is its manager, FALLBACK its BATON_SALES_CHANNEL."""
    settings = settings_for(shared_fake, database, baton_managers=BOSS)
    assert settings.baton_sales_channel == FALLBACK
    with running(settings, shared_fake) as (client, engine):
        yield Baton(shared_fake, client, engine, settings)


@pytest.fixture
def baton(faulty_process: Baton) -> Iterator[Faulty]:
    """The Baton with every channel working again, empty, and a fresh transcript; a test that
    made Baton send Slack something invalid fails."""
    # The stand-in serves the module's Baton on each backend: a card posted on one is not the
    # other's, though their handoffs have the same ids.
    faulty_process.fake.workspace.channels.clear()
    faulty_process.fake.workspace.messages.clear()
    for clean in _clean_transcript(faulty_process):
        yield Faulty(clean)
