"""A local stand-in of Slack: its Web API, signed requests towards the app, Block Kit checks."""

from tests.slack_fake.calls import Call
from tests.slack_fake.payloads import Who
from tests.slack_fake.server import FakeSlack
from tests.slack_fake.signing import SlackClient, sign
from tests.slack_fake.validation import validate_blocks, validate_call, validate_view

__all__ = [
    "Call",
    "FakeSlack",
    "SlackClient",
    "Who",
    "sign",
    "validate_blocks",
    "validate_call",
    "validate_view",
]
