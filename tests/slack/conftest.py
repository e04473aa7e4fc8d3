"""Real Batons served by uvicorn on 127.0.0.1, talking to FakeSlack, on a database per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from slack_bolt import App
from starlette.applications import Starlette

from baton.runtime import build_runtime
from baton.services.catalog import Catalog
from baton.services.crm import Connection
from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings, load_settings
from baton.slack import listeners
from baton.slack.app import build_app, build_client
from baton.slack.presenter import build_presenter
from baton.slack.render import Renderer
from baton.slack.server import create_asgi, serving_locally
from baton.slack.socket import build_socket_handler
from baton.standin.client import SlackClient
from baton.standin.socket_client import SocketSlackClient
from tests.conftest import BACKENDS, throwaway_database
from tests.services.conftest import start  # noqa: F401 - the services' fixture, for tests here too
from tests.slack.crm_harness import crm_baton
from tests.slack.test_acks import add_failing_listeners
from tests.slack.test_conversation_harness import (
    SIGNING_SECRET,
    Baton,
    running,
    settings_for,
    settle,
    watch,
)
from tests.slack.test_pipeline_harness import (
    BOSS,
    BOSS2,
    EMEA,
    EMEA_MEMBERS,
    GROUP,
    HISTORY,
    LEAD,
    seed,
)
from tests.slack.test_verdicts_harness import MANAGER
from tests.slack_spec.server import FakeSlack


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
def wired_app(settings: Settings, catalog: Catalog) -> Iterator[App]:
    """The real App with every listener registered, as the composition root wires it."""
    engine = sa.create_engine(settings.database_url)
    app = build_app(settings=settings, client=build_client(settings))
    listeners.register(app, listeners.build_deps(
        client=app.client, uow=UnitOfWork(engine), catalog=catalog, settings=settings,
        presenter=build_presenter(Renderer())))
    yield app
    engine.dispose()


@pytest.fixture
def baton_asgi(wired_app: App, settings: Settings) -> Iterator[Starlette]:
    """The ASGI app of a fully wired Baton."""
    engine = sa.create_engine(settings.database_url)
    yield create_asgi(wired_app, engine, signing_secret=SIGNING_SECRET)
    engine.dispose()


@pytest.fixture
def running_baton(baton_asgi: Starlette) -> Iterator[str]:
    """The base URL of a real Baton listening on 127.0.0.1."""
    with serving_locally(baton_asgi) as url:
        yield url


@pytest.fixture
def slack(running_baton: str, fake_slack: FakeSlack) -> Iterator[SlackClient]:
    """Slack's side of the conversation with the running Baton; response_urls go to FakeSlack."""
    with SlackClient(running_baton, SIGNING_SECRET, response_base=fake_slack.root) as client:
        yield client


@pytest.fixture(scope="module", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database per backend at the newest schema, shared by the tests of a module."""
    with throwaway_database(request, tmp_path_factory.mktemp("baton"), migrated=True) as url:
        yield url


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeSlack]:
    """One stand-in Slack for the tests of a module."""
    with FakeSlack() as fake:
        yield fake


def _clean_transcript(baton: Baton) -> Iterator[Baton]:
    """The Baton with a fresh transcript; fails the test if it sent Slack anything invalid."""
    baton.fake.reset()
    yield baton
    settle(baton.fake)
    assert baton.fake.invalid == [], baton.fake.invalid
    assert baton.fake.unknown == [], baton.fake.unknown


@pytest.fixture(scope="module")
def baton_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """The module's Baton, started once."""
    settings = settings_for(shared_fake, database)
    with running(settings, shared_fake) as (client, engine):
        yield Baton(shared_fake, client, engine, settings)


@pytest.fixture
def baton(baton_process: Baton) -> Iterator[Baton]:
    """The module's Baton with a fresh transcript; fails a test that sent an invalid payload."""
    yield from _clean_transcript(baton_process)


@pytest.fixture(scope="module")
def crm_process(shared_fake: FakeSlack, database: str,
                crm_settings: dict[str, str]) -> Iterator[tuple[Baton, Connection]]:
    """The module's Baton with the CRM of its `crm_settings` connected, started once."""
    with crm_baton(shared_fake, database, **crm_settings) as running_baton:
        yield running_baton


@pytest.fixture
def crm(crm_process: tuple[Baton, Connection]) -> Connection:
    """The CRM the module's Baton is connected to."""
    return crm_process[1]


@pytest.fixture(scope="module")
def pipeline_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """A Baton whose managers are LEAD by id and BOSS through a user group, over HISTORY."""
    shared_fake.set_usergroup(GROUP, [BOSS])
    shared_fake.set_members(EMEA, EMEA_MEMBERS)
    settings = settings_for(shared_fake, database, baton_managers=f"{LEAD},{GROUP}")
    with running(settings, shared_fake) as (client, engine):
        seed(engine, HISTORY)
        yield Baton(shared_fake, client, engine, settings)


@pytest.fixture
def pipeline(pipeline_process: Baton) -> Iterator[Baton]:
    """The pipeline's Baton with a fresh transcript; fails a test that sent an invalid payload."""
    yield from _clean_transcript(pipeline_process)


@pytest.fixture(scope="module")
def managed(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """A Baton whose managers are the members of GROUP."""
    settings = settings_for(shared_fake, database, baton_managers=GROUP)
    with running(settings, shared_fake) as (client, engine):
        yield Baton(shared_fake, client, engine, settings)


@pytest.fixture
def fresh_fake(shared_fake: FakeSlack) -> Iterator[FakeSlack]:
    """The stand-in with the managers' group and a fresh transcript; no invalid payload after."""
    shared_fake.set_usergroup(GROUP, [BOSS, BOSS2])
    shared_fake.reset()
    yield shared_fake
    settle(shared_fake)
    assert shared_fake.invalid == [], shared_fake.invalid
    assert shared_fake.unknown == [], shared_fake.unknown


@pytest.fixture(scope="module")
def socket_baton_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """`baton run` with SLACK_APP_TOKEN set, plus listeners that fail after their ack."""
    settings = load_settings(
        slack_bot_token=shared_fake.token, slack_signing_secret="",
        slack_app_token=shared_fake.app_token, slack_api_url=shared_fake.url,
        database_url=database, baton_sales_channel="C0SALES")
    runtime = build_runtime(settings)
    add_failing_listeners(runtime.app)
    watch(runtime.app, shared_fake)
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
    yield from _clean_transcript(socket_baton_process)


@pytest.fixture(scope="module")
def overriding_process(shared_fake: FakeSlack, database: str) -> Iterator[Baton]:
    """A Baton whose one manager (BATON_MANAGERS) is MANAGER, who may override verdicts."""
    settings = settings_for(shared_fake, database, baton_managers=MANAGER)
    with running(settings, shared_fake) as (client, engine):
        yield Baton(shared_fake, client, engine, settings)


@pytest.fixture
def overriding(overriding_process: Baton) -> Iterator[Baton]:
    """The overriding Baton with a fresh transcript; fails a test that sent an invalid payload."""
    yield from _clean_transcript(overriding_process)
