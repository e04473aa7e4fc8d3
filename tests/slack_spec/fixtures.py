"""Pytest fixtures of the Slack stand-in (pytest_plugins = ["tests.slack_spec.fixtures"])."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.slack_spec.server import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack; fails the test if any Block Kit payload was invalid."""
    with FakeSlack() as fake:
        yield fake
        assert fake.invalid == [], f"Slack would refuse these payloads: {fake.invalid}"
