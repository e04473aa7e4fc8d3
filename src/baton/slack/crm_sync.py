"""The CRM's loop in a running Baton: writes queued from what happened in Slack and sent, and
deals read back every few minutes, in a thread of its own, so a slow or failing CRM holds up
neither Slack's listeners nor the Slack outbox."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from baton.services.crm import (
    Connection,
    CrmError,
    EmailOf,
    Writer,
    pull_deals,
    queue_writes,
)
from baton.services.unit_of_work import UnitOfWork
from baton.slack.directory import ManagerDirectory, ManagersUnavailable

log = logging.getLogger(__name__)

SYNC_INTERVAL = 1.0


def email_finder(client: WebClient) -> EmailOf:
    """A rep's email as Slack lists it (users.info); a Slack failure is worth another try."""

    @functools.lru_cache(maxsize=512)
    def email_of(user: str) -> str | None:
        try:
            answer = client.users_info(user=user)
        except SlackApiError as error:
            if error.response.get("error") == "user_not_found":
                return None
            raise CrmError(f"Slack did not name user {user} ({error.response.get('error')})",
                           retry=True) from None
        except (SlackClientError, OSError) as error:
            raise CrmError(f"Slack could not be asked for user {user} ({error})",
                           retry=True) from None
        profile = (answer.get("user") or {}).get("profile") or {}
        return str(profile.get("email") or "") or None

    return email_of


def sync_once(*, uow: UnitOfWork, connection: Connection, client: WebClient,
              managers: ManagerDirectory | None, now: dt.datetime | None = None,
              pull: bool = False, email_of: EmailOf | None = None) -> Writer:
    """Queue what the CRM should hear, send what is due, and (when `pull`) read deals back;
    reps' emails as `email_of` finds them (by default, asking Slack)."""
    now = now or dt.datetime.now(dt.UTC)
    queue_writes(uow=uow, crm=connection.key, now=now)
    try:
        told = managers.users() if managers is not None else []
    except ManagersUnavailable:
        told = []
    writer = Writer(uow=uow, crm=connection.crm, key=connection.key, mapping=connection.mapping,
                    email_of=email_of or email_finder(client), managers=told, now=now)
    writer.send_due()
    if pull:
        pulled = pull_deals(uow=uow, crm=connection.crm, key=connection.key,
                            mapping=connection.mapping, now=now)
        if pulled.recorded:
            log.info("%s deals: outcomes recorded %s", connection.crm.name, pulled.recorded)
    return writer


def run_crm(*, uow: UnitOfWork, connection: Connection, client: WebClient,
            managers: ManagerDirectory | None, stop: threading.Event,
            interval: float = SYNC_INTERVAL) -> None:
    """Sync every `interval` seconds, pulling deals every `pull_minutes`, until `stop`."""
    last_pull: float | None = None
    every = connection.pull_minutes * 60
    email_of = email_finder(client)  # remembered across passes
    while not stop.is_set():
        clock = dt.datetime.now(dt.UTC).timestamp()
        pull = last_pull is None or clock - last_pull >= every
        try:
            sync_once(uow=uow, connection=connection, client=client, managers=managers,
                      pull=pull, email_of=email_of)
        except Exception:
            log.exception("CRM sync failed; trying again in %.0f s", interval)
        if pull:
            last_pull = clock
        stop.wait(interval)
