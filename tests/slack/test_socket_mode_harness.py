"""A real Baton in Socket Mode, built as `baton run` builds it, connected to the stand-in's end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from baton.runtime import build_runtime
from baton.settings import load_settings
from baton.slack.socket import build_socket_handler
from baton.standin.socket_client import SocketSlackClient
from tests.slack.test_acks import fail_after_ack
from tests.slack.test_conversation_harness import Baton
from tests.slack.test_pipeline_harness import settle
from tests.slack_spec.server import FakeSlack


@pytest.fixture(scope="module")
def socket_baton_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """`baton run` with SLACK_APP_TOKEN set, plus three listeners that fail after their ack."""
    settings = load_settings(
        slack_bot_token=shared_fake.token, slack_signing_secret="",
        slack_app_token=shared_fake.app_token, slack_api_url=shared_fake.url,
        database_url=database, baton_sales_channel="C0SALES")
    runtime = build_runtime(settings)
    runtime.app.command("/explode")(fail_after_ack)
    runtime.app.action("explode_button")(fail_after_ack)
    runtime.app.view("explode_modal")(fail_after_ack)
    handler = build_socket_handler(runtime.app, settings.slack_app_token)
    handler.connect()
    try:
        shared_fake.socket_mode.wait_for_link()
        slack = SocketSlackClient(shared_fake.socket_mode, response_base=shared_fake.root)
        yield Baton(shared_fake, slack, runtime.engine, settings)
    finally:
        handler.close()
        runtime.engine.dispose()


@pytest.fixture
def socket_baton(socket_baton_process: Baton) -> Iterator[Baton]:
    """The module's Socket Mode Baton with a fresh transcript; no invalid payload allowed."""
    socket_baton_process.fake.reset()
    yield socket_baton_process
    settle(socket_baton_process.fake)
    assert socket_baton_process.fake.invalid == [], socket_baton_process.fake.invalid
    assert socket_baton_process.fake.unknown == [], socket_baton_process.fake.unknown
