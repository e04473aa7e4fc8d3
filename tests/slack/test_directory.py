"""Managers are the user ids named in BATON_MANAGERS and the members of its user groups."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from baton.slack.delivery import make_client
from baton.slack.directory import ManagerDirectory, Managers
from tests.slack_spec.server import FakeSlack

GROUP = "S0MANAGERS"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.set_usergroup(GROUP, ["U0BOSS0001"])
        yield fake


def managers(fake: FakeSlack, named: list[str], clock: list[float] | None = None) -> Managers:
    client = make_client(token=fake.token, base_url=fake.url, timeout=5)
    ticks = clock if clock is not None else [0.0]
    return Managers(ManagerDirectory(client, named, clock=lambda: ticks[0]), named)


def test_a_named_user_and_a_group_member_are_managers(fake: FakeSlack) -> None:
    found = managers(fake, ["U0LEAD0001", GROUP])
    assert found.is_manager("U0LEAD0001")
    assert found.is_manager("U0BOSS0001")
    assert not found.is_manager("U0BDR00001")


def test_the_group_is_asked_once_while_its_members_are_fresh(fake: FakeSlack) -> None:
    clock = [0.0]
    found = managers(fake, [GROUP], clock)
    assert not found.is_manager("U0NEW00001")
    fake.set_usergroup(GROUP, ["U0BOSS0001", "U0NEW00001"])
    assert not found.is_manager("U0NEW00001")
    clock[0] = 301.0
    assert found.is_manager("U0NEW00001")
    assert len(fake.calls_to("usergroups.users.list")) == 2


def test_nobody_is_a_group_manager_while_slack_cannot_list_the_group(fake: FakeSlack) -> None:
    fake.down()
    found = managers(fake, ["U0LEAD0001", GROUP])
    assert not found.is_manager("U0BOSS0001")
    assert found.is_manager("U0LEAD0001")
