"""A local stand-in of Slack: its Web API, signed requests towards an app, Block Kit checks.

Point any Baton at it with SLACK_API_URL; `baton demo` runs a whole qualification through it.
Its Socket Mode end (socket_mode, socket_client) needs the `websockets` development dependency.
"""

from baton.standin.calls import Call
from baton.standin.client import SlackClient
from baton.standin.payloads import Who
from baton.standin.server import CallCheck, SlackStandIn
from baton.standin.signing import Reply, sign
from baton.standin.socket_client import SocketSlackClient
from baton.standin.socket_mode import SocketModeServer
from baton.standin.validation import validate_blocks, validate_call, validate_view

__all__ = [
    "Call",
    "CallCheck",
    "Reply",
    "SlackClient",
    "SlackStandIn",
    "SocketModeServer",
    "SocketSlackClient",
    "Who",
    "sign",
    "validate_blocks",
    "validate_call",
    "validate_view",
]
