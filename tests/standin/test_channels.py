"""Channels in the stand-in as Slack keeps them: refused posts, joining, history with metadata a
page at a time; and the failures it plays: a call taken but not answered, connections refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_spec.server import FakeSlack

EMEA = "C0EMEA0001"
METADATA = {"event_type": "baton_handoff", "event_payload": {"handoff_id": 7}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
        assert fake.unknown == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.url, timeout=5, retry_handlers=[])


def _error(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value.response["error"])


@pytest.mark.parametrize(("state", "error"), [
    ({"exists": False}, "channel_not_found"), ({"archived": True}, "is_archived"),
    ({"member": False}, "not_in_channel"), ({"member": False, "private": True}, "not_in_channel"),
])
def test_a_post_is_refused_as_the_channel_stands(
    fake: FakeSlack, client: WebClient, state: dict[str, bool], error: str,
) -> None:
    fake.set_channel(EMEA, **state)
    assert _error(lambda: client.chat_postMessage(channel=EMEA, text="Acme Corp")) == error
    assert fake.workspace.messages == {}


def test_baton_joins_a_public_channel_but_not_a_private_or_archived_one(
    fake: FakeSlack, client: WebClient,
) -> None:
    fake.set_channel(EMEA, member=False)
    fake.set_channel("C0PRIVATE1", member=False, private=True)
    fake.set_channel("C0OLD00001", archived=True)
    assert client.conversations_join(channel=EMEA)["channel"]["is_member"] is True
    assert client.chat_postMessage(channel=EMEA, text="Acme Corp")["ok"]
    assert client.conversations_join(channel=EMEA)["warning"] == "already_in_channel"
    assert _error(lambda: client.conversations_join(channel="C0PRIVATE1")) == (
        "method_not_supported_for_channel_type")
    assert _error(lambda: client.conversations_join(channel="C0OLD00001")) == "is_archived"
    assert client.conversations_info(channel="C0OLD00001")["channel"]["is_archived"] is True


def test_history_gives_top_level_messages_newest_first_with_metadata_when_asked(
    fake: FakeSlack, client: WebClient,
) -> None:
    before = time.time()
    card = client.chat_postMessage(channel=EMEA, text="card", metadata=METADATA)
    client.chat_postMessage(channel=EMEA, text="thread", thread_ts=card["ts"])
    later = client.chat_postMessage(channel=EMEA, text="later")
    assert float(card["ts"]) >= before - 1

    bare = client.conversations_history(channel=EMEA)
    assert [m["text"] for m in bare["messages"]] == ["later", "card"]
    assert "metadata" not in bare["messages"][1]
    full = client.conversations_history(channel=EMEA, include_all_metadata=True,
                                        oldest=f"{before - 1:.6f}")
    assert full["messages"][1]["metadata"] == METADATA
    assert client.conversations_history(channel=EMEA, oldest=later["ts"])["messages"] == []


def test_history_comes_a_page_at_a_time_by_cursor(fake: FakeSlack, client: WebClient) -> None:
    for n in range(5):
        client.chat_postMessage(channel=EMEA, text=f"message {n}")
    seen, cursor = [], None
    while True:
        page = client.conversations_history(channel=EMEA, limit=2, cursor=cursor)
        seen += [m["text"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] is bool(cursor)
        if not cursor:
            break
    assert seen == [f"message {n}" for n in range(4, -1, -1)]
    assert _error(lambda: client.conversations_history(channel=EMEA, cursor="nope")) == (
        "invalid_cursor")


def test_a_held_post_is_made_at_once_and_answered_on_release(
    fake: FakeSlack, client: WebClient,
) -> None:
    held = fake.hold("chat.postMessage")
    answered: list[str] = []
    caller = threading.Thread(target=lambda: answered.append(
        client.chat_postMessage(channel=EMEA, text="Acme Corp")["ts"]))
    caller.start()
    assert held.taken.wait(5)
    assert [m["text"] for m in fake.workspace.messages.values()] == ["Acme Corp"]
    assert answered == []
    held.release()
    caller.join(5)
    assert answered == [next(iter(fake.workspace.messages))[1]]
    assert client.chat_postMessage(channel=EMEA, text="next")["ok"]


def test_refused_connections_until_the_stand_in_listens_again(
    fake: FakeSlack, client: WebClient,
) -> None:
    fake.refuse_connections()
    with pytest.raises(OSError, match="refused"):
        client.auth_test()
    fake.accept_connections()
    assert client.auth_test()["ok"]
