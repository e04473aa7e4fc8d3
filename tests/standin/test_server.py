"""The fake answers slack_sdk's real WebClient the way Slack does."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.request
from collections.abc import Iterator

import pytest
from freezegun import freeze_time
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from baton.standin.payloads import trigger_id
from tests.slack_spec.server import FakeSlack

DIVIDER = [{"type": "divider"}]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as started:
        yield started


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.url)


def test_post_update_and_thread_replies(fake: FakeSlack, client: WebClient) -> None:
    card = client.chat_postMessage(channel="C0SALES", text="Acme", blocks=DIVIDER)
    reply = client.chat_postMessage(channel="C0SALES", text="Q&A", thread_ts=card["ts"])
    client.chat_update(channel="C0SALES", ts=card["ts"], text="Claimed", blocks=DIVIDER)

    assert float(reply["ts"]) > float(card["ts"])
    thread = client.conversations_replies(channel="C0SALES", ts=card["ts"])["messages"]
    assert [m["text"] for m in thread] == ["Claimed", "Q&A"]
    posted = fake.calls_to("chat.postMessage")[0]
    assert posted.args["blocks"] == DIVIDER
    assert posted.headers["authorization"] == f"Bearer {fake.token}"


def test_ts_is_unique_under_concurrent_posts(client: WebClient) -> None:
    seen: list[str] = []

    def post() -> None:
        seen.append(client.chat_postMessage(channel="C1", text="x")["ts"])

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 20


def test_dm_channel_is_stable_per_user(client: WebClient) -> None:
    first = client.conversations_open(users="U0BDR1")["channel"]["id"]
    again = client.conversations_open(users="U0BDR1")["channel"]["id"]
    other = client.conversations_open(users="U0BDR2")["channel"]["id"]
    assert first == again != other
    assert first.startswith("D")


def test_views_users_and_usergroups(fake: FakeSlack, client: WebClient) -> None:
    fake.set_usergroup("S0MANAGERS", ["U0BOSS"])
    fake.set_user("U0BOSS", real_name="Maria Boss", tz="America/New_York")
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Qualify"}, "blocks": DIVIDER}

    opened = client.views_open(trigger_id="1.t", view=view)["view"]
    client.views_update(view_id=opened["id"], view=view)

    assert client.usergroups_users_list(usergroup="S0MANAGERS")["users"] == ["U0BOSS"]
    assert client.users_info(user="U0BOSS")["user"]["tz"] == "America/New_York"
    assert fake.calls_to("views.open")[0].args["view"]["title"]["text"] == "Qualify"
    with pytest.raises(SlackApiError, match="no_such_subteam"):
        client.usergroups_users_list(usergroup="S0NOPE")


def test_a_trigger_opens_one_form_within_three_seconds_as_on_slack(client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Qualify"}, "blocks": DIVIDER}
    fresh, stale = trigger_id(), trigger_id()

    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2.5)):
        client.views_open(trigger_id=fresh, view=view)
        with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
            client.views_open(trigger_id=fresh, view=view)
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3.5)), \
            pytest.raises(SlackApiError, match="expired_trigger_id"):
        client.views_push(trigger_id=stale, view=view)
    # One a test wrote by hand says nothing of when it was issued: let through, as before.
    client.views_open(trigger_id="1.t", view=view)
    client.views_open(trigger_id="1.t", view=view)


def test_file_upload_keeps_the_bytes(fake: FakeSlack, client: WebClient) -> None:
    client.files_upload_v2(channel="C0MGRS", content=b"\x89PNG funnel", filename="funnel.png")
    (file_id,) = fake.uploads
    assert fake.uploads[file_id] == b"\x89PNG funnel"
    completed = fake.calls_to("files.completeUploadExternal")[0]
    assert completed.args["files"][0]["id"] == file_id


def test_unknown_method_bad_token_and_missing_argument(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError, match="unknown_method"):
        WebClient(token=fake.token, base_url=fake.url).api_call("chat.teleport")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-wrong", base_url=fake.url).auth_test()
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=fake.url).auth_test()
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        WebClient(token=fake.token, base_url=fake.url).api_call(
            "chat.update", json={"channel": "C1", "text": "x"}
        )
    assert fake.unknown == ["chat.teleport"]


def test_invalid_blocks_are_refused_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    with pytest.raises(SlackApiError, match="invalid_blocks") as raised:
        client.chat_postMessage(channel="C1", text="x", blocks=header)
    with (
        pytest.raises(SlackApiError, match="invalid_blocks"),
        pytest.warns(UserWarning, match="text"),
    ):
        client.chat_postMessage(channel="C1", blocks=DIVIDER)

    assert "150" in raised.value.response["response_metadata"]["messages"][0]
    assert [method for method, _ in fake.invalid] == ["chat.postMessage", "chat.postMessage"]
    assert "fallback" in fake.invalid[1][1][0]


def test_scripted_500_then_success(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C1", text="x")
        assert raised.value.response.status_code == 500
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 500, 200]


def test_scripted_429_sends_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError, match="ratelimited") as raised:
        client.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["retry-after"] == "7"


def test_scripted_slack_error(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="C1", text="x")


def test_down_refuses_everything_until_up(fake: FakeSlack, client: WebClient) -> None:
    fake.down()
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.status_code == 503
    fake.up()
    assert client.auth_test()["user_id"] == fake.bot_user_id


def test_wait_for_sees_calls_made_later(fake: FakeSlack, client: WebClient) -> None:
    timer = threading.Timer(0.2, lambda: client.chat_postMessage(channel="C9", text="late"))
    timer.start()
    calls = fake.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "C9")
    assert calls[0].args["text"] == "late"
    with pytest.raises(AssertionError, match="chat.delete"):
        fake.wait_for("chat.delete", timeout=0.1)


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    body = json.dumps({"text": "Taken by <@U2>", "replace_original": False}).encode()
    request = urllib.request.Request(
        f"{fake.root}response_url/7", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    (call,) = fake.wait_for("response_url")
    assert call.args["text"] == "Taken by <@U2>"
    assert call.args["response_url_id"] == "7"


def test_reset_forgets_calls(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    fake.reset()
    assert fake.calls == []


def test_views_need_a_trigger_and_a_valid_modal(fake: FakeSlack, client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Q"}, "blocks": DIVIDER}
    with pytest.raises(SlackApiError, match="invalid_arguments") as raised:
        client.api_call("views.open", json={"view": view})
    assert "trigger_id" in raised.value.response["response_metadata"]["messages"][0]
    too_long = {**view, "title": {"type": "plain_text", "text": "Qualify a lead at Acme Corp"}}
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.views_open(trigger_id="1.t", view=too_long)
    assert fake.invalid[0][0] == "views.open"
