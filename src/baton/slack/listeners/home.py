"""App Home: each person sees their own open work when they open Baton, and managers claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import HandoffClosed, HandoffNotFound
from baton.services import handoff
from baton.services.pipeline import open_work
from baton.slack import ids, pipeline_views
from baton.slack.listeners.handoff import card_click, claim_card

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

APP_HOME_OPENED = "app_home_opened"
Listener = Callable[..., None]


def register(app: App, deps: Deps) -> None:
    """Wire app_home_opened, the Claim buttons of App Home's unclaimed cards and the Retry of
    the cards Slack has not taken."""
    app.event(APP_HOME_OPENED)(home_opened(deps))
    app.action(ids.HOME_CLAIM_PATTERN)(home_claimer(deps))
    app.action(ids.HOME_RETRY_CARDS)(home_retrier(deps))


def home_opened(deps: Deps) -> Listener:
    """Publish the person's Home tab when they open it."""

    def listener(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            publish(deps, client, event["user"])

    return listener


def publish(deps: Deps, client: WebClient, user: str, notice: str = "") -> None:
    """Build the Home tab from the database each time, so it is never stale, and publish it."""
    work = open_work(uow=deps.uow, catalog=deps.catalog, user_id=user,
                     manager=deps.managers.is_manager(user))
    away = handoff.away_status(uow=deps.uow, user=user, today=dt.datetime.now(dt.UTC).date())
    client.views_publish(user_id=user,
                         view=deps.presenter.pipeline.home_view(work, week=work.week,
                                                                notice=notice, away=away))


def home_claimer(deps: Deps) -> Listener:
    """Claim from App Home, as from the card; Home is published again saying how it went."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = card_click(body)
        publish(deps, client, click.user, notice=claimed(deps, click.handoff_id, click.user))

    return listener


def claimed(deps: Deps, handoff_id: int, user: str) -> str:
    """Claim the handoff for `user`; the sentence that tells them the outcome."""
    try:
        result = claim_card(deps, handoff_id, user)
    except (HandoffClosed, HandoffNotFound):
        return pipeline_views.CLOSED_NOTICE
    return pipeline_views.claim_notice(result.company or "The lead", owner=result.owner,
                                       yours=result.won or result.already_yours)


def home_retrier(deps: Deps) -> Listener:
    """A manager's Retry: every card still waiting is sent again; Home says so."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        publish(deps, client, user, notice=retried(deps, user))

    return listener


def retried(deps: Deps, user: str) -> str:
    """Send the waiting cards again, if `user` is a manager; the sentence saying what happened."""
    if not deps.managers.is_manager(user):
        return pipeline_views.MANAGERS_ONLY_RETRY
    count = handoff.retry_cards(uow=deps.uow, catalog=deps.catalog,
                                presenter=deps.presenter.handoff)
    return pipeline_views.retry_notice(count)
