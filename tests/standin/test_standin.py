"""The package's stand-in on its own: what SLACK_API_URL points at in `baton demo`."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.standin import SlackStandIn

SECTION = [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]


def test_without_a_check_it_answers_and_still_refuses_invalid_block_kit() -> None:
    with SlackStandIn() as standin:
        client = WebClient(token=standin.token, base_url=standin.url)
        posted = client.chat_postMessage(channel="U0DANA", text="Hi", blocks=SECTION)
        with pytest.raises(SlackApiError, match="invalid_blocks"):
            client.chat_postMessage(channel="U0DANA", text="Hi", blocks=[{"type": "section"}])

    assert posted["channel"] == standin.workspace.dm_for("U0DANA")
    assert [c.method for c in standin.calls] == ["chat.postMessage", "chat.postMessage"]
    assert standin.invalid[0][0] == "chat.postMessage"


def test_a_check_can_refuse_a_call_before_the_workspace_changes() -> None:
    def no_posts(method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        return {"ok": False, "error": "restricted_action"} if method == "chat.postMessage" else None

    with SlackStandIn(check_call=no_posts) as standin:
        client = WebClient(token=standin.token, base_url=standin.url)
        with pytest.raises(SlackApiError, match="restricted_action"):
            client.chat_postMessage(channel="C0SALES", text="Hi")
        assert client.auth_test()["user_id"] == standin.bot_user_id

    assert standin.workspace.messages == {}


def test_channel_members_come_page_by_page_and_unknown_channels_are_not_found() -> None:
    team = [f"U0BDR{n:05d}" for n in range(5)]
    with SlackStandIn() as standin:
        standin.set_members("C0EMEA", team)
        client = WebClient(token=standin.token, base_url=standin.url)
        first = client.conversations_members(channel="C0EMEA", limit=3)
        cursor = first["response_metadata"]["next_cursor"]
        second = client.conversations_members(channel="C0EMEA", limit=3, cursor=cursor)
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.conversations_members(channel="C0OTHER")

    assert first["members"] == team[:3]
    assert second["members"] == team[3:]
    assert second["response_metadata"]["next_cursor"] == ""
