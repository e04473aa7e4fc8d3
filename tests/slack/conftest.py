"""A real Baton served by uvicorn on 127.0.0.1, talking to FakeSlack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette

from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings, load_settings
from baton.slack import listeners
from baton.slack.app import build_app, build_client
from baton.slack.presenter import build_presenter
from baton.slack.render import Renderer
from baton.slack.server import create_asgi
from baton.slack.server import serving_locally as serving
from baton.standin.client import SlackClient
from tests.services.conftest import catalog, start  # noqa: F401 - the services' fixtures
from tests.slack_spec.server import FakeSlack

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
def settings(fake_slack: FakeSlack, tmp_path: Path) -> Settings:
    """Settings for a Baton that talks to the stand-in Slack and a fresh SQLite file."""
    return load_settings(
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token="",
        slack_api_url=fake_slack.url,
        database_url=f"sqlite:///{tmp_path / 'baton.db'}",
    )


@pytest.fixture
def baton_asgi(settings: Settings) -> Iterator[Starlette]:
    """The ASGI app of a fully wired Baton."""
    engine = sa.create_engine(settings.database_url)
    app = build_app(settings=settings, client=build_client(settings))
    listeners.register(app, listeners.build_deps(
        client=app.client, uow=UnitOfWork(engine), catalog=None, settings=settings,
        presenter=build_presenter(Renderer())))
    yield create_asgi(app, engine, signing_secret=SIGNING_SECRET)
    engine.dispose()


@pytest.fixture
def running_baton(baton_asgi: Starlette) -> Iterator[str]:
    """The base URL of a real Baton listening on 127.0.0.1."""
    with serving(baton_asgi) as url:
        yield url


@pytest.fixture
def slack(running_baton: str, fake_slack: FakeSlack) -> Iterator[SlackClient]:
    """Slack's side of the conversation with the running Baton; response_urls go to FakeSlack."""
    with SlackClient(running_baton, SIGNING_SECRET, response_base=fake_slack.root) as client:
        yield client
