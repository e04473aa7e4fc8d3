"""The HTTP side of FakeSlack, which is the stand-in's own."""

from baton.standin.handler import make_handler

__all__ = ["make_handler"]
