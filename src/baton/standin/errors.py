"""How the stand-in's Web API methods answer: a JSON object, or Slack's error code."""

from __future__ import annotations

from typing import Any

Answer = dict[str, Any]


class SlackError(Exception):
    """A call Slack answers with ok=false and this error code."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error
