"""The demo's world: the Slack stand-in, a throwaway database, the real Baton served over HTTP."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from baton.runtime import Runtime, build_runtime
from baton.settings import load_settings
from baton.slack.server import EVENTS_PATH, create_asgi, serving_locally
from baton.standin import SlackClient, SlackStandIn, Who

SIGNING_SECRET = "baton-demo-signing-secret"
SALES_CHANNEL = "C0SALES001"


class DemoError(Exception):
    """The demo could not show the conversation; the message says what went wrong."""


@dataclass(frozen=True)
class Stage:
    """Everything the demo plays against: Slack's stand-in, the running Baton, Slack's client."""

    standin: SlackStandIn
    runtime: Runtime
    slack: SlackClient


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    """Serve Baton's HTTP endpoint on a free loopback port; yield its base URL."""
    try:
        asgi = create_asgi(runtime.app, runtime.engine, signing_secret=SIGNING_SECRET)
        with serving_locally(asgi) as base_url:
            yield base_url
    except RuntimeError as exc:
        raise DemoError(str(exc)) from None


@contextmanager
def staged(bdr: Who, crm: dict[str, str] | None = None) -> Iterator[Stage]:
    """Start the stand-in, build the real runtime on a temporary SQLite file, and serve it;
    `crm` are the settings of a CRM stand-in to connect."""
    with tempfile.TemporaryDirectory(prefix="baton-demo-") as folder, SlackStandIn() as standin:
        settings = load_settings(
            slack_bot_token=standin.token,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token="",
            slack_api_url=standin.url,
            database_url=f"sqlite:///{Path(folder) / 'baton.db'}",
            baton_sales_channel=SALES_CHANNEL,
            **(crm or {}),
        )
        runtime = build_runtime(settings)
        try:
            with serving(runtime) as base_url:
                slack = SlackClient(
                    base_url, SIGNING_SECRET, path=EVENTS_PATH, response_base=standin.root, who=bdr
                )
                yield Stage(standin=standin, runtime=runtime, slack=slack)
        finally:
            runtime.engine.dispose()
