"""A qualification's posts in the BDR's DM: each tried at once, as the BDR is waiting for it;
one Slack cannot take now is kept in the outbox, and every later one of the same conversation
follows it there, so they arrive in order once Slack answers again."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from baton.services import outbox
from baton.services.unit_of_work import UnitOfWork
from baton.slack.failures import describe, transient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placed:
    """Where Slack put a message, or None for either while it waits in the outbox."""

    channel: str | None
    ts: str | None

    @property
    def waiting(self) -> bool:
        return self.ts is None


@dataclass
class Posts:
    """The posts of one conversation step (a redraw, then the next question), in order."""

    client: WebClient
    uow: UnitOfWork
    _kept: str | None = field(default=None, init=False)  # the last post kept for later

    def post(self, *, channel: str, message: dict[str, Any], key: str | None = None) -> Placed:
        """Post at the top level of `channel`; kept for later when Slack cannot take it now."""
        arguments = {"channel": channel, **message}
        if self._kept is None:
            try:
                answer = self.client.chat_postMessage(**arguments)
                return Placed(str(answer["channel"]), str(answer["ts"]))
            except (SlackClientError, OSError) as error:
                self._keep_or_raise(error, "chat.postMessage", arguments, key)
        else:
            self._keep("chat.postMessage", arguments, key)
        return Placed(None, None)

    def update(self, *, channel: str, ts: str, message: dict[str, Any]) -> None:
        """Change a posted message; kept for later when Slack cannot take it now."""
        arguments = {"channel": channel, "ts": ts, **message}
        if self._kept is None:
            try:
                self.client.chat_update(**arguments)
                return
            except (SlackClientError, OSError) as error:
                self._keep_or_raise(error, "chat.update", arguments, None)
        else:
            self._keep("chat.update", arguments, None)

    def _keep_or_raise(self, error: Exception, kind: str, arguments: dict[str, Any],
                       key: str | None) -> None:
        if not transient(error):
            raise error
        log.warning("Slack did not take a %s in %s (%s); it goes out once Slack answers", kind,
                    arguments["channel"], describe(error))
        self._keep(kind, arguments, key)

    def _keep(self, kind: str, arguments: dict[str, Any], key: str | None) -> None:
        key = key or f"conversation-post:{uuid.uuid4().hex}"
        outbox.keep(uow=self.uow, kind=kind, payload=arguments, dedupe_key=key,
                    after=self._kept)
        self._kept = key
