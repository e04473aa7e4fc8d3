"""The floor: a bare synchronous Bolt app whose listeners only ack, served as Baton is served.

Usage: python -m tests.benchmarks.floor, with PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and
SLACK_API_URL set as for `baton run`.
The same uvicorn server, Starlette adapter and signature check as `baton run` over HTTP; the
difference is the Bolt app, `process_before_response=True` and nothing but `ack()`, dispatched
as Bolt is by itself: `App.dispatch` in Starlette's thread pool, answering when it returns.
"""

from __future__ import annotations

import os
import re

import sqlalchemy as sa
from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from starlette.concurrency import run_in_threadpool

from baton.slack.server import serve

ANYTHING = re.compile(".*")


def just_ack(ack: Ack) -> None:
    ack()


def build_floor(*, signing_secret: str, token: str, api_url: str) -> App:
    """A Bolt app that acknowledges every command, click and modal submission, and no more."""
    # Bolt asks Slack who the bot is once, on the first request, as it does in Baton.
    client = WebClient(token=token, base_url=api_url)
    # The server checks Slack's signature on the raw bytes and hands Bolt the parsed body, as
    # for Baton; Bolt's own check would see no raw bytes to verify.
    app = App(signing_secret=signing_secret, client=client, process_before_response=True,
              token_verification_enabled=False, request_verification_enabled=False)
    app.command(ANYTHING)(just_ack)
    app.action(ANYTHING)(just_ack)
    app.view(ANYTHING)(just_ack)
    return app


async def dispatched_by_bolt(app: App, request: BoltRequest) -> BoltResponse:
    """Bolt's answer once App.dispatch returns, in a worker thread so the loop stays free."""
    return await run_in_threadpool(app.dispatch, request)


def main() -> None:
    secret = os.environ["SLACK_SIGNING_SECRET"]
    app = build_floor(signing_secret=secret, token=os.environ["SLACK_BOT_TOKEN"],
                      api_url=os.environ["SLACK_API_URL"])
    # Only /healthz reads the engine: an in-memory database answers it.
    serve(app, sa.create_engine("sqlite://"), int(os.environ["PORT"]), signing_secret=secret,
          answering=dispatched_by_bolt)


if __name__ == "__main__":
    main()
