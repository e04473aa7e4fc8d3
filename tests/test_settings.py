"""Start-up settings: a bad value stops Baton with one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from baton.settings import SettingsError, default_prompts_dir, load_settings
from tests.conftest import PROMPTS_DIR

VARIABLES = (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL",
    "BATON_SALES_CHANNEL", "BATON_MANAGERS", "BATON_PROMPTS_DIR", "PORT", "BATON_LOG_FORMAT",
    "BATON_ACCESS_LOG", "BATON_WORKER",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file is read


def test_defaults_run_on_sqlite_with_the_shipped_prompts() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///baton.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.baton_prompts_dir == PROMPTS_DIR  # the tests run from a source checkout
    assert settings.port == 3000
    assert settings.baton_managers == []
    assert (settings.baton_log_format, settings.baton_access_log) == ("text", False)
    assert settings.baton_worker is True


def test_values_come_from_the_environment_and_a_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    (tmp_path / ".env").write_text("BATON_SALES_CHANNEL=C0SALES01\nPORT=8080\n")
    monkeypatch.setenv("BATON_MANAGERS", "U0MANAGER1, S0TEAMLEADS")
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    settings = load_settings()
    assert settings.baton_sales_channel == "C0SALES01"
    assert settings.port == 8080
    assert settings.baton_managers == ["U0MANAGER1", "S0TEAMLEADS"]
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1/test"
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"


def _package(root: Path, package: str) -> Path:
    """A baton package folder in a checkout at `root`; both have a prompts/ folder."""
    folder = root / package
    for prompts in (root / "prompts", folder / "prompts"):
        prompts.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'baton'\n")
    return folder


def test_from_a_source_checkout_the_default_is_the_checkouts_prompts(tmp_path: Path) -> None:
    package = _package(tmp_path / "checkout", "src/baton")
    assert default_prompts_dir(package=package) == tmp_path / "checkout" / "prompts"


@pytest.mark.parametrize(
    "package",
    [
        "venv/lib/python3.11/site-packages/baton",
        ".venv/lib/python3.11/site-packages/baton",  # installed into a venv inside a checkout
        "site-packages/src/baton",  # a src/ folder, but no pyproject.toml beside it
    ],
)
def test_an_installed_baton_defaults_to_the_prompts_shipped_inside_it(
    tmp_path: Path, package: str
) -> None:
    folder = _package(tmp_path, package)
    assert default_prompts_dir(package=folder) == folder / "prompts"


def test_an_explicit_prompts_folder_wins_over_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "ours" / "frameworks").mkdir(parents=True)
    monkeypatch.setenv("BATON_PROMPTS_DIR", str(tmp_path / "ours"))
    assert load_settings().baton_prompts_dir == tmp_path / "ours"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "expected a bot token starting with 'xoxb-'"),
        ("SLACK_APP_TOKEN", "xoxb-1", "expected an app-level token starting with 'xapp-'"),
        ("SLACK_API_URL", "slack.com/api", "expected an http(s) URL such as https://slack.com/api/"),
        ("DATABASE_URL", "mysql://root@host/baton",
         "expected sqlite:///path.db or postgresql://user@host/db"),
        ("BATON_SALES_CHANNEL", "#sales", "expected a Slack channel id such as C0123ABCD"),
        ("BATON_MANAGERS", "U0BOSS,@dana",
         "expected Slack user ids (U...) or user group ids (S...), got @dana"),
        ("BATON_PROMPTS_DIR", "/no/such/folder",
         "expected a folder with definition.yaml and frameworks/, got /no/such/folder"),
        ("PORT", "eighty", "expected a port number from 1 to 65535, got 'eighty'"),
        ("PORT", "70000", "expected a port number from 1 to 65535, got '70000'"),
        ("BATON_LOG_FORMAT", "xml", "expected text or json, got 'xml'"),
        ("BATON_ACCESS_LOG", "sometimes", "expected true or false, got 'sometimes'"),
        ("BATON_WORKER", "two", "expected true or false, got 'two'"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == f"{variable}: {expected}"


def test_logs_can_be_json_and_an_access_log_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATON_LOG_FORMAT", " JSON ")
    monkeypatch.setenv("BATON_ACCESS_LOG", "true")
    settings = load_settings()
    assert (settings.baton_log_format, settings.baton_access_log) == ("json", True)


@pytest.mark.parametrize(("value", "worker"), [("false", False), (" OFF ", False),
                                               ("true", True), ("", True)])
def test_the_worker_process_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, value: str,
                                               worker: bool) -> None:
    monkeypatch.setenv("BATON_WORKER", value)
    assert load_settings().baton_worker is worker


def test_talking_to_slack_needs_a_bot_token_and_a_way_in() -> None:
    with pytest.raises(SettingsError, match="^SLACK_BOT_TOKEN: "):
        load_settings().require_slack()
    with pytest.raises(SettingsError, match="^SLACK_SIGNING_SECRET: "):
        load_settings(slack_bot_token="xoxb-1").require_slack()
    load_settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1").require_slack()
    load_settings(slack_bot_token="xoxb-1", slack_signing_secret="s3cret").require_slack()
