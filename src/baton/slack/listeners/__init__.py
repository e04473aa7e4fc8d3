"""Every listener Baton has, wired to the App by one `register`, and what they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from slack_bolt import App
from slack_sdk import WebClient

from baton.services.managers import Managers
from baton.services.runner import ManagerDirectory
from baton.settings import Settings
from baton.slack import retries
from baton.slack.listeners import actions, commands, events, handoff, home, pipeline, resume
from baton.slack.listeners import views as modals

if TYPE_CHECKING:
    from baton.services.catalog import Catalog


@dataclass(frozen=True)
class Deps:
    """What listeners need from the outside world, built once by the composition root."""

    engine: sa.Engine
    catalog: Catalog
    settings: Settings
    # One list for every listener, so Slack is asked for the managers' user groups once per TTL.
    managers: Managers


def build_deps(*, client: WebClient, engine: sa.Engine, catalog: Catalog,
               settings: Settings) -> Deps:
    """The listeners' dependencies, with the managers of BATON_MANAGERS as `client` lists them."""
    directory = ManagerDirectory(client, settings.baton_managers)
    return Deps(engine=engine, catalog=catalog, settings=settings,
                managers=Managers(directory, settings.baton_managers))


def register(app: App, deps: Deps) -> None:
    """Wire every listener module to the app."""
    retries.register(app, deps.engine)
    commands.register(app, deps)
    actions.register(app, deps)
    resume.register(app, deps)
    modals.register(app, deps)
    # Before events: its DM listener takes only "pipeline ...", events takes the rest.
    pipeline.register(app, deps)
    home.register(app, deps)
    events.register(app, deps)
    handoff.register(app, deps)
