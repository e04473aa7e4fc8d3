"""The one translator of refusals into what the person is told, privately, where they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from slack_sdk import WebClient

from baton.domain.errors import NotOwner, NotTheBdr, NotYours, Refusal
from baton.domain.periods import PeriodError
from baton.services.pipeline import TeamUnavailable, TeamUnreadable
from baton.slack import text
from baton.slack.pipeline_views import channel_label

T = TypeVar("T")


def sentence(refusal: Refusal) -> str:
    """The sentence for the person: what was refused and, where it helps, what to do."""
    if isinstance(refusal, NotYours | NotOwner | NotTheBdr):
        # These name only the person to mention; every other sentence may quote people's text.
        return str(refusal)
    if isinstance(refusal, PeriodError):
        return f"Pipeline: {text.safe(str(refusal), 2000)}. Try `/pipeline last week`."
    if isinstance(refusal, TeamUnreadable):
        return _unreadable(channel_label(refusal.channel), refusal.error)
    if isinstance(refusal, TeamUnavailable):
        return (f"Slack did not say who is in {channel_label(refusal.channel)} just now; try "
                f"again in a minute, or name a person.")
    return text.safe(str(refusal), text.SECTION_TEXT)


def _unreadable(label: str, error: str) -> str:
    """What to do when Slack will not list a channel's members to Baton."""
    if error == "missing_scope":
        return (f"I may not list who is in {label}: ask your Slack admin to reinstall "
                f"Baton with the channels:read and groups:read scopes, or name a person.")
    return (f"I cannot see who is in {label}: invite @Baton to {label} "
            f"(`/invite @Baton` there), or name a person.")


def attempt(client: WebClient, channel: str, user: str, work: Callable[[], T]) -> T | None:
    """Run `work`; a refusal is told to `user` in `channel`, ephemerally, and gives None."""
    try:
        return work()
    except Refusal as refusal:
        client.chat_postEphemeral(channel=channel, user=user, text=sentence(refusal))
        return None
