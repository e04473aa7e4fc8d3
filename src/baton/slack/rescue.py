"""A handoff card Slack refuses for good still reaches sales: Baton joins a public channel it is
not in, else posts the card in the fallback channel saying why, else keeps it waiting; the BDR
and the managers are told once. A card a dead sender may have posted is looked for first."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from baton.services import handoff
from baton.services.handoff import Undelivered
from baton.services.outbox import Leased, SentMessage
from baton.slack import ids, undelivered
from baton.slack.delivery import Posted, Refused
from baton.slack.directory import ManagerDirectory, ManagersUnavailable
from baton.slack.failures import error_code, transient
from baton.slack.handoff_views import HandoffViews
from baton.slack.history import find_posted

log = logging.getLogger(__name__)

Tell = Callable[[Session], None]


@dataclass(frozen=True)
class CardRescue:
    """What the sender does with a card when Slack refuses it, or when it may be posted already."""

    client: WebClient
    presenter: HandoffViews
    fallback: str
    managers: ManagerDirectory | None = None

    def takes(self, row: Leased) -> bool:
        return row.kind == "chat.postMessage" and handoff.handoff_of(row.dedupe_key) is not None

    def recover(self, row: Leased, arguments: dict[str, Any]) -> Posted | None:
        """The card as a sender that died posted it, found by its metadata; None if it did not."""
        metadata = arguments.get("metadata")
        routed = str(arguments.get("channel") or "")
        for channel in dict.fromkeys(c for c in (routed, self.fallback) if c):
            message = find_posted(self.client, channel, metadata, row.first_attempt_at)
            if message is None:
                continue
            log.info("outbox: %s was already posted in %s; not posting it again",
                     row.dedupe_key, channel)
            taken = {**arguments, "channel": channel, "text": message.get("text", ""),
                     "blocks": message.get("blocks", [])}
            result = {"channel": channel, "ts": str(message["ts"])}
            error = _redirected_because(message)
            if channel == routed or error is None:
                return Posted(taken, result)
            return Posted(taken, result, self._telling(row, routed, error, channel))
        return None

    def rescue(self, row: Leased, arguments: dict[str, Any],
               error: SlackApiError) -> Posted | Refused:
        """Post a refused card where it can go; transient failures on the way are raised."""
        routed, code = str(arguments.get("channel") or ""), error_code(error)
        managers = self._managers()
        if code == "not_in_channel":
            joined = self._join(routed)
            if joined is None:
                try:
                    return Posted(arguments, self._post(arguments))
                except SlackApiError as again:
                    if transient(again):
                        raise
                    code = error_code(again)
            elif joined != undelivered.PRIVATE_CHANNEL:
                code = joined
        fallback_code = None
        if self.fallback and self.fallback != routed:
            moved = self._redirected(arguments, routed, code)
            try:
                return Posted(moved, self._post(moved),
                              self._telling(row, routed, code, self.fallback, managers))
            except SlackApiError as refused:
                if transient(refused):
                    raise
                fallback_code = error_code(refused)
        reason = undelivered.reason(routed, code, self.fallback, fallback_code)
        tell = self._telling(row, routed, code, None, managers)
        return Refused(reason, lambda session: tell(session, None))

    def _post(self, arguments: dict[str, Any]) -> dict[str, Any]:
        response = self.client.api_call("chat.postMessage", json=arguments)
        return {"channel": response["channel"], "ts": response["ts"]}

    def _join(self, channel: str) -> str | None:
        """Join a public channel; None once in, else why not (a private one cannot be joined)."""
        try:
            self.client.conversations_join(channel=channel)
        except SlackApiError as error:
            if transient(error):
                raise
            return error_code(error)
        log.info("Baton joined %s to post a handoff card there", channel)
        return None

    def _redirected(self, arguments: dict[str, Any], routed: str, code: str) -> dict[str, Any]:
        """The card for the fallback channel, led by the line that says why it is there."""
        line = self.presenter.redirected_line(routed, code)
        said = undelivered.redirected(routed, code)
        return {**arguments, "channel": self.fallback,
                "text": f"{said} {arguments.get('text', '')}".strip(),
                "blocks": line + list(arguments.get("blocks") or [])}

    def _managers(self) -> list[str]:
        if self.managers is None:
            return []
        try:
            return self.managers.users()
        except ManagersUnavailable as error:
            # Slack cannot name them just now: the card is tried again once it can.
            raise error.__cause__ or error from None

    def _telling(self, row: Leased, routed: str, code: str, posted_in: str | None,
                 managers: list[str] | None = None) -> Callable[[Session, SentMessage | None],
                                                                  None]:
        """Queue the notices to the BDR and the managers with the record of the card."""
        people = self._managers() if managers is None else managers
        handoff_id = handoff.handoff_of(row.dedupe_key) or 0

        def tell(session: Session, _message: SentMessage | None) -> None:
            handoff.tell_undelivered(session=session, presenter=self.presenter,
                                     handoff_id=handoff_id,
                                     undelivered=Undelivered(routed, code, posted_in),
                                     managers=people)

        return tell


def _redirected_because(message: dict[str, Any]) -> str | None:
    """Slack's error code a card posted in the fallback channel carries on its line."""
    prefix = f"{ids.CARD_REDIRECTED}:"
    for block in message.get("blocks") or []:
        block_id = str(block.get("block_id", ""))
        if block_id.startswith(prefix):
            return block_id.removeprefix(prefix)
    return None
