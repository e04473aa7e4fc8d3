"""Every listener Baton has, wired to the App by one `register`, and what they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient

from baton.services.unit_of_work import UnitOfWork
from baton.settings import Settings
from baton.slack import retries
from baton.slack.directory import ManagerDirectory, Managers
from baton.slack.listeners import (
    actions,
    away,
    commands,
    events,
    handoff,
    home,
    intake,
    managing,
    overrides,
    pipeline,
    resume,
    verdicts,
)
from baton.slack.listeners import views as modals
from baton.slack.presenter import Presenter

if TYPE_CHECKING:
    from baton.services.catalog import Catalog
    from baton.services.crm import Connection


@dataclass(frozen=True)
class Deps:
    """What listeners need from the outside world, built once by the composition root."""

    uow: UnitOfWork
    catalog: Catalog
    settings: Settings
    # One list for every listener, so Slack is asked for the managers' user groups once per TTL.
    managers: Managers
    presenter: Presenter
    # The team's CRM, asked at intake; None when none is connected.
    crm: Connection | None = None


def build_deps(*, client: WebClient, uow: UnitOfWork, catalog: Catalog, settings: Settings,
               presenter: Presenter, crm: Connection | None = None) -> Deps:
    """The listeners' dependencies, with the managers of BATON_MANAGERS as `client` lists them."""
    directory = ManagerDirectory(client, settings.baton_managers)
    return Deps(uow=uow, catalog=catalog, settings=settings,
                managers=Managers(directory, settings.baton_managers), presenter=presenter,
                crm=crm)


def register(app: App, deps: Deps) -> None:
    """Wire every listener module to the app."""
    retries.register(app, deps.uow)
    commands.register(app, deps)
    actions.register(app, deps)
    resume.register(app, deps)
    intake.register(app, deps)
    modals.register(app, deps)
    # Before events: its DM listener takes only "pipeline ...", events takes the rest.
    pipeline.register(app, deps)
    home.register(app, deps)
    away.register(app, deps)
    events.register(app, deps)
    menu = managing.manager_menu(deps)
    handoff.register(app, deps, override=menu)
    verdicts.register(app, deps)
    overrides.register(app, deps, menu)
    managing.register(app, deps)
