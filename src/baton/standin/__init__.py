"""A local stand-in of Slack: its Web API, signed requests towards an app, Block Kit checks.

Point any Baton at it with SLACK_API_URL; `baton demo` runs a whole qualification through it.
"""

from baton.standin.calls import Call
from baton.standin.client import SlackClient
from baton.standin.payloads import Who
from baton.standin.server import CallCheck, SlackStandIn
from baton.standin.signing import Reply, sign
from baton.standin.validation import validate_blocks, validate_call, validate_view

__all__ = [
    "Call",
    "CallCheck",
    "Reply",
    "SlackClient",
    "SlackStandIn",
    "Who",
    "sign",
    "validate_blocks",
    "validate_call",
    "validate_view",
]
