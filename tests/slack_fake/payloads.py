"""Request payloads in the exact shapes Slack sends to an app (the stand-in's builders)."""

from baton.standin.payloads import (
    Who,
    button,
    event_callback,
    message_block_actions,
    slash_command,
    view_block_actions,
    view_submission,
)

__all__ = [
    "Who",
    "button",
    "event_callback",
    "message_block_actions",
    "slash_command",
    "view_block_actions",
    "view_submission",
]
