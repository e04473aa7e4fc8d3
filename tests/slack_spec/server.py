"""FakeSlack: the stand-in of Slack's Web API, also held to Slack's published method specs."""

from __future__ import annotations

from typing import Any

from baton.standin.methods import Answer
from baton.standin.server import SlackStandIn
from tests.slack_spec.specs import method_spec, missing_args


class FakeSlack(SlackStandIn):
    """The stand-in, refusing methods Slack's reference lacks and calls missing arguments."""

    def __init__(
        self,
        *,
        token: str = "xoxb-fake-bot-token",
        app_token: str = "xapp-1-A0BATON-1-fake",
        team_id: str = "T0FAKE",
        bot_user_id: str = "U0BATON",
    ) -> None:
        super().__init__(
            token=token, app_token=app_token, team_id=team_id, bot_user_id=bot_user_id,
            check_call=self._by_the_spec,
        )

    def _by_the_spec(self, method: str, args: dict[str, Any]) -> Answer | None:
        if method_spec(method) is None:
            with self._lock:
                self.unknown.append(method)
            return {"ok": False, "error": "unknown_method"}
        missing = missing_args(method, args)
        if not missing:
            return None
        return {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {
                "messages": [f"[ERROR] missing required field: {name}" for name in missing]
            },
        }
