"""Slack's published specifications as test oracles, and the stand-in held to them."""
