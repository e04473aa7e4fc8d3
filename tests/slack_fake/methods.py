"""The workspace behind FakeSlack, which is the stand-in's own."""

from baton.standin.methods import Answer, SlackError, Workspace

__all__ = ["Answer", "SlackError", "Workspace"]
