"""App Home: each person sees their own open work when they open Baton."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from baton.domain.periods import parse_period
from baton.services.home import open_work
from baton.services.pipeline import summarise
from baton.slack import pipeline_views
from baton.store.db import session_scope
from baton.store.types import utcnow

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

APP_HOME_OPENED = "app_home_opened"


def register(app: App, deps: Deps) -> None:
    """Wire app_home_opened: publish the person's Home tab."""
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        """Build the Home tab from the database each time it is opened, so it is never stale."""
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        manager = deps.managers.is_manager(user)
        with session_scope(deps.engine) as session:
            work = open_work(session=session, catalog=deps.catalog, user_id=user,
                             manager=manager)
            week = None
            if manager:
                period = parse_period("this week", now=utcnow(),
                                      tz=deps.catalog.definition.sla.timezone)
                week = summarise(session=session, period=period)
        client.views_publish(user_id=user, view=pipeline_views.home_view(work, week=week))

    app.event(APP_HOME_OPENED)(home_opened)
