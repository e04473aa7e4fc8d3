"""SlackClient: plays Slack towards an app with signed commands, clicks, submits and events."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from baton.standin import payloads
from baton.standin.payloads import Who
from baton.standin.signing import Reply, send, sign


class SlackSide:
    """What Slack sends an app: slash commands, clicks, modal submits and events, in its shapes.

    Subclasses deliver them: SlackClient over signed HTTP, SocketSlackClient over Socket Mode.
    """

    def __init__(self, *, response_base: str = "https://hooks.slack.com/",
                 who: Who | None = None) -> None:
        self.response_base = response_base
        self.who = who or Who()
        self._ids = itertools.count(1)

    def response_url(self) -> str:
        """A fresh response_url; on the stand-in (response_base=its root) its posts are recorded."""
        return f"{self.response_base.rstrip('/')}/response_url/{next(self._ids)}"

    def _command(self, fields: dict[str, str], **send: Any) -> Reply:
        raise NotImplementedError

    def _interactive(self, payload: dict[str, Any], **send: Any) -> Reply:
        raise NotImplementedError

    def _event(self, body: dict[str, Any], retry_num: int | None, retry_reason: str,
               **send: Any) -> Reply:
        raise NotImplementedError

    def command(
        self,
        command: str = "/qualify",
        text: str = "",
        *,
        user_id: str | None = None,
        channel_id: str = "C0BDRS",
        **send: Any,
    ) -> Reply:
        """A slash command with the fields Slack sends."""
        who = self.who.as_user(user_id)
        fields = payloads.slash_command(
            who, command, text, channel_id, self.response_url(), payloads.trigger_id()
        )
        return self._command(fields, **send)

    def block_action(
        self,
        action_id: str,
        value: str = "",
        *,
        block_id: str = "block",
        user_id: str | None = None,
        message: dict[str, Any] | None = None,
        channel_id: str = "C0BDRS",
        view: dict[str, Any] | None = None,
        **send: Any,
    ) -> Reply:
        """A button click on a message (or, with view=, inside a modal or App Home)."""
        return self._acted(payloads.button(action_id, value, block_id), user_id, message,
                           channel_id, view, **send)

    def pick(
        self,
        action_id: str,
        *,
        block_id: str,
        date: str | None = None,
        option: tuple[str, str] | None = None,
        user_id: str | None = None,
        message: dict[str, Any] | None = None,
        channel_id: str = "C0BDRS",
        **send: Any,
    ) -> Reply:
        """A date picked, or a menu option (value, label) chosen, in a message's actions."""
        action = payloads.picked(action_id, block_id, date=date, option=option)
        return self._acted(action, user_id, message, channel_id, None, **send)

    def _acted(self, action: dict[str, Any], user_id: str | None,
               message: dict[str, Any] | None, channel_id: str, view: dict[str, Any] | None,
               **send: Any) -> Reply:
        who = self.who.as_user(user_id)
        trigger = payloads.trigger_id()
        if view is not None:
            payload = payloads.view_block_actions(who, action, view, trigger)
        else:
            payload = payloads.message_block_actions(
                who, action, message, channel_id, self.response_url(), trigger
            )
        return self._interactive(payload, **send)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        *,
        private_metadata: str = "",
        user_id: str | None = None,
        view_id: str = "V0MODAL",
        **send: Any,
    ) -> Reply:
        """A modal submitted with state.values[block_id][action_id] = {"type":..., "value":...}."""
        who = self.who.as_user(user_id)
        payload = payloads.view_submission(
            who, callback_id, values, private_metadata, view_id, payloads.trigger_id()
        )
        return self._interactive(payload, **send)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        **send: Any,
    ) -> Reply:
        """An Events API event_callback; retry_num marks it as Slack's retry of an earlier one."""
        event_id = event_id or f"Ev{next(self._ids):08d}"
        body = payloads.event_callback(self.who, event, event_id)
        return self._event(body, retry_num, retry_reason, **send)


class SlackClient(SlackSide):
    """Plays Slack towards an app over HTTP: every request signed with the app's secret."""

    def __init__(
        self,
        base_url: str,
        secret: str,
        *,
        path: str = "/slack/events",
        response_base: str = "https://hooks.slack.com/",
        who: Who | None = None,
    ) -> None:
        super().__init__(response_base=response_base, who=who)
        self.url = base_url.rstrip("/") + path
        self.secret = secret

    def close(self) -> None:
        """Nothing stays open between requests; kept so `with SlackClient(...)` reads naturally."""

    def __enter__(self) -> SlackClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        bad_signature: bool = False,
        age_seconds: int = 0,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """POST a body signed like Slack; optionally with a wrong signature or an old timestamp."""
        signed = sign(body, self.secret, int(time.time()) - age_seconds)
        if bad_signature:
            signed = sign(body, self.secret + "-not-it", int(time.time()) - age_seconds)
        all_headers = {"Content-Type": content_type, **signed, **(headers or {})}
        return send(self.url, body, all_headers)

    def _command(self, fields: dict[str, str], **send: Any) -> Reply:
        body = urlencode(fields).encode()
        return self.post(body, "application/x-www-form-urlencoded", **send)

    def _interactive(self, payload: dict[str, Any], **send: Any) -> Reply:
        return self._command({"payload": json.dumps(payload)}, **send)

    def _event(self, body: dict[str, Any], retry_num: int | None, retry_reason: str,
               **send: Any) -> Reply:
        headers = dict(send.pop("headers", None) or {})
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers, **send)

    def url_verification(
        self, challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", **send: Any
    ) -> Reply:
        """The handshake Slack sends when the Request URL is saved."""
        body = {
            "token": self.who.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.post(json.dumps(body).encode(), "application/json", **send)
