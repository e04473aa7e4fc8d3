"""Slack's Web API over kept-alive connections: one connection for many calls, and Slack's
failures read as before (retried, refused, rate-limited, unreachable)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError

from baton.settings import load_settings
from baton.slack.app import build_client
from baton.slack.delivery import make_client
from baton.slack.failures import retry_after, transient
from tests.slack_spec.server import FakeSlack


def test_many_calls_go_over_one_connection(fake_slack: FakeSlack) -> None:
    client = make_client(token=fake_slack.token, base_url=fake_slack.url)

    for n in range(20):
        client.chat_postMessage(channel="C0SALES", text=f"note {n}")

    assert len(fake_slack.calls_to("chat.postMessage")) == 20
    assert fake_slack.connections == 1


def test_threads_share_the_kept_connections(fake_slack: FakeSlack) -> None:
    client = make_client(token=fake_slack.token, base_url=fake_slack.url)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: client.chat_postMessage(channel="C0SALES", text=f"{n}"),
                      range(40)))

    assert len(fake_slack.calls_to("chat.postMessage")) == 40
    assert fake_slack.connections <= 4


def test_slack_errors_and_statuses_are_raised_as_slack_sdk_raises_them(
    fake_slack: FakeSlack,
) -> None:
    failed: list[tuple[str, str]] = []
    client = make_client(token=fake_slack.token, base_url=fake_slack.url,
                         on_failure=lambda method, error: failed.append((method, error)))
    fake_slack.fail("chat.postMessage", error="channel_not_found")
    fake_slack.fail("chat.update", status=429, retry_after=7)
    fake_slack.fail("chat.delete", status=503)

    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0GONE", text="hi")
    with pytest.raises(SlackApiError) as limited:
        client.chat_update(channel="C0SALES", ts="1.2", text="hi")
    with pytest.raises(SlackApiError) as down:
        client.chat_delete(channel="C0SALES", ts="1.2")

    assert not transient(refused.value)
    assert transient(limited.value)
    assert retry_after(limited.value).total_seconds() == 7
    assert transient(down.value)
    assert down.value.response.status_code == 503
    assert failed == [("chat.postMessage", "channel_not_found"), ("chat.update", "ratelimited"),
                      ("chat.delete", "internal_error")]


def test_the_listeners_client_retries_a_rate_limit_on_the_same_connection(
    fake_slack: FakeSlack,
) -> None:
    settings = load_settings(slack_bot_token=fake_slack.token, slack_api_url=fake_slack.url)
    client = build_client(settings)
    fake_slack.fail("chat.postMessage", status=429, retry_after=0)

    client.chat_postMessage(channel="C0SALES", text="hi")

    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]
    assert fake_slack.connections == 1


def test_slack_unreachable_then_back_is_a_connection_error_then_a_fresh_connection(
    fake_slack: FakeSlack,
) -> None:
    client = make_client(token=fake_slack.token, base_url=fake_slack.url, timeout=2)
    client.chat_postMessage(channel="C0SALES", text="before")

    fake_slack.refuse_connections()
    with pytest.raises(URLError) as unreachable:
        client.chat_postMessage(channel="C0SALES", text="while down")
    fake_slack.accept_connections()
    client.chat_postMessage(channel="C0SALES", text="after")

    assert transient(unreachable.value)
    assert [c.args["text"] for c in fake_slack.calls_to("chat.postMessage")] == ["before",
                                                                                  "after"]
