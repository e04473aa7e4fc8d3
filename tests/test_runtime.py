"""Start-up: the composition root migrates, adopts the prompts' definition and wires Slack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from baton.runtime import Runtime, StartupError, build_runtime
from baton.services.catalog import apply_definition, current_definition
from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings, load_settings
from baton.slack.server import create_asgi, serving_locally
from baton.standin.client import SlackClient
from baton.store.db import session_scope
from baton.store.tables import DefinitionVersion
from tests.conftest import FRAMEWORKS, PROMPTS_DIR
from tests.slack_spec.server import FakeSlack

SECRET = "runtime-test-secret"


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    """A copy of the shipped prompts that a test may edit."""
    return Path(shutil.copytree(PROMPTS_DIR, tmp_path / "prompts"))


@pytest.fixture
def settings(fake_slack: FakeSlack, empty_database_url: str, prompts: Path) -> Settings:
    """Settings for a first start: an empty database, which start-up migrates."""
    return load_settings(slack_bot_token=fake_slack.token, slack_signing_secret=SECRET,
                         slack_app_token="", slack_api_url=fake_slack.url,
                         database_url=empty_database_url, baton_prompts_dir=prompts)


@pytest.fixture
def started(settings: Settings) -> Iterator[Runtime]:
    runtime = build_runtime(settings)
    yield runtime
    runtime.engine.dispose()


def _versions(runtime: Runtime) -> list[str]:
    with session_scope(runtime.engine) as session:
        return [row.version for row in session.exec(select(DefinitionVersion)).all()]


def test_a_started_baton_answers_signed_slack_requests(
    started: Runtime, fake_slack: FakeSlack
) -> None:
    asgi = create_asgi(started.app, started.engine, signing_secret=SECRET)
    with serving_locally(asgi) as url, SlackClient(
        url, SECRET, response_base=fake_slack.root
    ) as slack:
        answer = slack.command("/qualify", "help").json()
    assert "/qualify resume" in answer["text"]


def test_start_up_puts_the_prompts_definition_in_force_once(
    started: Runtime, settings: Settings
) -> None:
    build_runtime(settings).engine.dispose()  # a restart, or a second process

    assert _versions(started) == ["2026-Q4.3"]
    in_force = current_definition(uow=UnitOfWork(started.engine))
    assert in_force is not None
    assert in_force.yaml_text == (settings.baton_prompts_dir / "definition.yaml").read_text()


def test_a_new_version_label_in_the_prompts_comes_into_force_at_the_next_start(
    started: Runtime, settings: Settings
) -> None:
    path = settings.baton_prompts_dir / "definition.yaml"
    path.write_text(path.read_text().replace('"2026-Q4.3"', '"2026-Q4.8"'))

    restarted = build_runtime(settings)

    assert _versions(restarted) == ["2026-Q4.3", "2026-Q4.8"]
    assert current_definition(uow=UnitOfWork(restarted.engine)).version == "2026-Q4.8"
    restarted.engine.dispose()


def test_an_edited_definition_under_an_old_label_stops_start_up(
    started: Runtime, settings: Settings
) -> None:
    path = settings.baton_prompts_dir / "definition.yaml"
    path.write_text(path.read_text().replace("min_score: 60", "min_score: 70", 1))

    with pytest.raises(StartupError) as raised:
        build_runtime(settings)
    assert str(raised.value) == (
        "BATON_PROMPTS_DIR: definition.yaml: version 2026-Q4.3 is already applied with different "
        "content; give the new definition a new version label")


def test_a_question_set_edited_under_the_label_in_force_stops_start_up(
    started: Runtime, settings: Settings
) -> None:
    path = settings.baton_prompts_dir / "frameworks" / "meddpicc.yaml"
    path.write_text(path.read_text().replace("Economic buyer", "Economic Buyer", 1))

    with pytest.raises(StartupError) as raised:
        build_runtime(settings)
    assert str(raised.value) == (
        "BATON_PROMPTS_DIR: frameworks/meddpicc.yaml (edited) changed since definition 2026-Q4.3 "
        "was applied, and the question sets are part of the version; give definition.yaml a new "
        "version label (not 2026-Q4.3) to apply them, or restore the files")

    definition = settings.baton_prompts_dir / "definition.yaml"
    definition.write_text(definition.read_text().replace('"2026-Q4.3"', '"2026-Q4.8"'))
    restarted = build_runtime(settings)
    in_force = current_definition(uow=UnitOfWork(restarted.engine))
    restarted.engine.dispose()
    assert in_force is not None
    assert in_force.version == "2026-Q4.8"
    assert in_force.frameworks is not None
    assert "Economic Buyer" in in_force.frameworks["meddpicc"]


def test_a_definition_in_force_that_no_longer_fits_the_question_sets_stops_start_up(
    started: Runtime, settings: Settings
) -> None:
    # Stored by an older Baton that neither checked it against the question sets nor kept them.
    shipped = (settings.baton_prompts_dir / "definition.yaml").read_text()
    apply_definition(uow=UnitOfWork(started.engine), applied_by="priya", frameworks=FRAMEWORKS,
                     yaml_text=shipped.replace('"2026-Q4.3"', '"2027-Q1.1"').replace(
                         "[need, authority]", "[telepathy]"))
    with started.engine.begin() as connection:
        connection.execute(sa.text("UPDATE definitionversion SET frameworks = NULL, "
                                   "frameworks_checksum = NULL"))

    with pytest.raises(StartupError) as raised:
        build_runtime(settings)
    assert str(raised.value) == (
        "BATON_PROMPTS_DIR: the definition in force, 2027-Q1.1, does not fit the question sets "
        "(frameworks.bant.must_meet[0]: 'telepathy' is not a criterion of bant; expected one of: "
        "budget, authority, need, timeline); restore them, or apply a definition that fits")


def test_broken_prompts_stop_start_up_naming_the_folder(settings: Settings) -> None:
    path = settings.baton_prompts_dir / "frameworks" / "bant.yaml"
    path.write_text(path.read_text().replace("kind: choice", "kind: slider", 1))

    with pytest.raises(StartupError, match=r"^BATON_PROMPTS_DIR: fix the prompts first \(.*"
                                           r"bant.yaml: .*kind: expected one of"):
        build_runtime(settings)


def test_an_unreachable_database_stops_start_up_naming_the_variable(
    settings: Settings, tmp_path: Path
) -> None:
    nowhere = settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'missing' / 'folder' / 'baton.db'}"})
    with pytest.raises(StartupError, match=r"^DATABASE_URL: cannot use the database at "):
        build_runtime(nowhere)


def test_a_bot_token_slack_refuses_stops_start_up_naming_the_variable(
    settings: Settings,
) -> None:
    refused = settings.model_copy(update={"slack_bot_token": "xoxb-revoked"})
    with pytest.raises(StartupError, match=r"^SLACK_BOT_TOKEN: .*invalid_auth"):
        build_runtime(refused)


def test_slack_is_asked_who_the_bot_is_once_at_start_up_and_never_per_request(
    started: Runtime, fake_slack: FakeSlack
) -> None:
    asgi = create_asgi(started.app, started.engine, signing_secret=SECRET)
    fake_slack.down()
    try:
        with serving_locally(asgi) as url, SlackClient(
            url, SECRET, response_base=fake_slack.root
        ) as slack:
            answer = slack.command("/qualify", "help")
    finally:
        fake_slack.up()

    # Slack down just then does not turn the help into an apology.
    assert answer.status_code == 200
    assert "/qualify resume" in answer.json()["text"]
    assert len(fake_slack.calls_to("auth.test")) == 1


def test_an_unreachable_slack_stops_start_up_naming_the_variable(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    fake_slack.refuse_connections()
    try:
        with pytest.raises(StartupError, match=r"^SLACK_API_URL: could not reach Slack at "):
            build_runtime(settings)
    finally:
        fake_slack.accept_connections()
