"""Every environment variable Baton reads, in one place, validated at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///baton.db"
SLACK_API_URL = "https://slack.com/api/"
HUBSPOT_API_URL = "https://api.hubapi.com"

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_MANAGER_ID = re.compile(r"^[UWS][A-Z0-9]{2,}$")


def default_prompts_dir(*, package: Path | None = None) -> Path:
    """The checkout's prompts/ when Baton runs from source, else the copy installed with it."""
    package = (package or Path(__file__).parent).resolve()
    checkout = package.parent.parent
    # A source checkout keeps the package in src/ beside pyproject.toml; sales ops edit the
    # checkout's prompts/, so that folder is in force even when it is missing or broken.
    if package.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "prompts"
    return package / "prompts"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Baton's configuration, read from the environment and an optional `.env` file."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    slack_bot_token: str = Field(default="", description="bot token, xoxb-...")
    slack_signing_secret: str = Field(default="", description="the app's signing secret")
    slack_app_token: str = Field(default="", description="Socket Mode token, xapp-...")
    slack_api_url: str = Field(default=SLACK_API_URL, description="Slack Web API base URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy database URL")
    baton_sales_channel: str = Field(default="", description="default handoff channel id, C...")
    baton_managers: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="comma-separated user ids (U...) or group ids (S...)"
    )
    baton_prompts_dir: Path = Field(
        default_factory=default_prompts_dir, description="folder of prompts"
    )
    port: int = Field(default=3000, description="HTTP port, 1-65535")
    baton_log_format: Literal["text", "json"] = Field(
        default="text", description="text (one line per record) or json (one object per line)"
    )
    baton_access_log: bool = Field(default=False, description="a log line per HTTP request")
    baton_worker: bool = Field(
        default=True, description="the work after each ack in a worker process (false: in the "
        "serving process, one process holding less memory, slower acks under load)")
    baton_crm: Literal["", "hubspot", "salesforce"] = Field(
        default="", description="the CRM Baton reads and writes: hubspot, salesforce or none")
    hubspot_access_token: str = Field(default="", description="a HubSpot private app's token")
    hubspot_api_url: str = Field(default=HUBSPOT_API_URL, description="HubSpot's API base URL")
    salesforce_instance_url: str = Field(
        default="", description="https://yourorg.my.salesforce.com, with an access token")
    salesforce_access_token: str = Field(default="", description="a Salesforce access token")
    salesforce_username: str = Field(default="", description="or a Salesforce user name ...")
    salesforce_password: str = Field(default="", description="... its password ...")
    salesforce_security_token: str = Field(default="", description="... and security token")
    salesforce_domain: str = Field(default="login", description="login, or test for a sandbox")
    salesforce_ca_bundle: str = Field(
        default="", description="a CA certificate file to trust for Salesforce (a private CA)")
    baton_crm_lookup_seconds: float = Field(
        default=2.0, gt=0, le=10, description="how long the intake waits for the CRM's answer")
    baton_crm_pull_minutes: float = Field(
        default=5.0, gt=0, description="how often deals are read back from the CRM")

    @field_validator("baton_log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> str:
        text = str(value).strip().lower()
        if text not in ("text", "json"):
            raise ValueError(f"expected text or json, got {str(value)!r}")
        return text

    @field_validator("baton_access_log", "baton_worker", mode="before")
    @classmethod
    def _flag(cls, value: object, info: ValidationInfo) -> bool:
        text = str(value).strip().lower()
        if text == "":
            return bool(cls.model_fields[str(info.field_name)].default)
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected true or false, got {str(value)!r}")

    @field_validator("baton_crm", mode="before")
    @classmethod
    def _crm(cls, value: object) -> str:
        text = str(value or "").strip().lower()
        if text in ("", "none"):
            return ""
        if text not in ("hubspot", "salesforce"):
            raise ValueError(f"expected hubspot, salesforce or nothing, got {str(value)!r}")
        return text

    @field_validator("hubspot_api_url", "salesforce_instance_url")
    @classmethod
    def _crm_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an http(s) URL")
        return value.rstrip("/")

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: object) -> int:
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ValueError(f"expected a port number from 1 to 65535, got {text!r}")
        return int(text)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError("expected a bot token starting with 'xoxb-'")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str) -> str:
        if value and not value.startswith("xapp-"):
            raise ValueError("expected an app-level token starting with 'xapp-'")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError("expected sqlite:///path.db or postgresql://user@host/db")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("baton_sales_channel")
    @classmethod
    def _sales_channel(cls, value: str) -> str:
        if value and not _CHANNEL_ID.match(value):
            raise ValueError("expected a Slack channel id such as C0123ABCD")
        return value

    @field_validator("baton_managers", mode="before")
    @classmethod
    def _managers(cls, value: object) -> list[str]:
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",")]
        elif isinstance(value, list | tuple):
            items = [str(v).strip() for v in value]
        else:
            items = []
        ids = [item for item in items if item]
        bad = [item for item in ids if not _MANAGER_ID.match(item)]
        if bad:
            raise ValueError(
                f"expected Slack user ids (U...) or user group ids (S...), got {', '.join(bad)}"
            )
        return ids

    @field_validator("baton_prompts_dir")
    @classmethod
    def _prompts_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"expected a folder with definition.yaml and frameworks/, got {value}")
        return value

    def require_slack(self) -> None:
        """Refuse to talk to a real workspace without the credentials it needs."""
        if not self.slack_bot_token:
            raise SettingsError("SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'")
        if not self.slack_app_token and not self.slack_signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET: expected the app's signing secret "
                "(or set SLACK_APP_TOKEN for Socket Mode)"
            )


    def require_crm(self) -> None:
        """Refuse to connect a CRM without the credentials it needs, naming the variable."""
        if self.baton_crm == "hubspot" and not self.hubspot_access_token:
            raise SettingsError("HUBSPOT_ACCESS_TOKEN: expected a HubSpot private app's access "
                                "token (BATON_CRM=hubspot)")
        if self.baton_crm != "salesforce":
            return
        if self.salesforce_access_token and not self.salesforce_instance_url:
            raise SettingsError("SALESFORCE_INSTANCE_URL: expected your org's URL, such as "
                                "https://yourorg.my.salesforce.com, with the access token")
        if not self.salesforce_access_token:
            for name in ("username", "password"):
                if not getattr(self, f"salesforce_{name}"):
                    raise SettingsError(
                        f"SALESFORCE_{name.upper()}: expected it (or SALESFORCE_INSTANCE_URL "
                        "and SALESFORCE_ACCESS_TOKEN) for BATON_CRM=salesforce")
        if self.salesforce_ca_bundle and not Path(self.salesforce_ca_bundle).is_file():
            raise SettingsError(f"SALESFORCE_CA_BUNDLE: no such file {self.salesforce_ca_bundle}")


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, turning validation errors into one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        variable = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{variable}: {message}") from None
