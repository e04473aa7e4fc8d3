"""Signed requests shaped like Slack's, sent over HTTP to an app under test."""

from baton.standin.client import SlackClient
from baton.standin.signing import Reply, Sent, send, sign

__all__ = ["Reply", "Sent", "SlackClient", "send", "sign"]
