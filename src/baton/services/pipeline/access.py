"""Who may see whose pipeline: managers the team, a person or a team channel; others their own."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from baton.domain.errors import Refusal
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.pipeline.reps import RepSummary, rep_summary
from baton.services.pipeline.summary import Summary, summarise
from baton.services.unit_of_work import UnitOfWork
from baton.store.types import utcnow

log = logging.getLogger(__name__)
Whose = Literal["own", "team", "person", "channel"]


@dataclass(frozen=True)
class Channel:
    """A channel named in an ask: its id and, when Slack sent it, its name."""

    id: str
    name: str = ""


@dataclass(frozen=True)
class Ask:
    """What someone asked for: the period's words, people, channels, other things, and `share`."""

    period: str
    users: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    share: bool = False
    channels: tuple[Channel, ...] = ()


@dataclass(frozen=True)
class Summarised:
    """A summary as the asker may see it: whose numbers, what was withheld, who else sees it."""

    summary: Summary
    whose: Whose
    tz: str
    public: bool = False
    person: str = ""  # the person a manager named
    channel: Channel | None = None  # the team channel named: seen by a manager, else withheld
    withheld: bool = False  # someone not a manager named others; they see their own numbers
    # A sales rep's own numbers (what they claimed, accepted, met and won), for a rep who
    # qualifies nothing: asked by the rep, or by a manager naming them.
    rep: RepSummary | None = None


class ChannelUnreadable(RuntimeError):
    """Slack refuses to list this channel's members until someone changes something."""

    def __init__(self, channel: str, error: str) -> None:
        super().__init__(f"channel {channel}: {error}")
        self.channel, self.error = channel, error


class ChannelsUnavailable(RuntimeError):
    """Slack could not say, for now, who is in a channel."""


class Teams(Protocol):
    """Who is in a team channel; raises ChannelUnreadable or ChannelsUnavailable."""

    def members(self, channel: str) -> list[str]: ...


class NotAPerson(Refusal):
    """A manager named more than one person or channel, or something that is neither."""

    def __init__(self) -> None:
        super().__init__("Name one person with @ or one team channel with # (picked from Slack's "
                         "list), or nobody for the whole team; user groups are not summarised.")


class TeamUnreadable(Refusal):
    """Slack will not list the named channel's members until Baton is invited or re-scoped."""

    def __init__(self, channel: Channel, error: str) -> None:
        super().__init__(f"I cannot see who is in channel {channel.id} ({error}).")
        self.channel, self.error = channel, error


class TeamUnavailable(Refusal):
    """Slack did not say, just now, who is in the named channel."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(f"Slack did not say who is in channel {channel.id} just now.")
        self.channel = channel


def ask_pipeline(*, uow: UnitOfWork, catalog: Catalog, asker: str, ask: Ask, manager: bool,
                 teams: Teams, now: dt.datetime | None = None) -> Summarised:
    """The summary this person may see for what they asked; a Refusal says what is wrong."""
    if manager and (ask.others or len(ask.users) + len(ask.channels) > 1):
        raise NotAPerson()
    tz = catalog.definition.sla.timezone
    period = parse_period(ask.period, now=now or utcnow(), tz=tz)
    if not manager:
        withheld = bool(ask.users or ask.others or ask.channels)
        own = summarise(uow=uow, period=period, bdr_user_ids=[asker])
        rep = _as_rep(uow, own, asker, now)
        return Summarised(own, "own", tz, channel=next(iter(ask.channels), None),
                          withheld=withheld, rep=rep)
    public = ask.share
    if ask.channels:
        channel = ask.channels[0]
        team = summarise(uow=uow, period=period, bdr_user_ids=_members(teams, channel))
        return Summarised(team, "channel", tz, public, channel=channel)
    if ask.users:
        person = summarise(uow=uow, period=period, bdr_user_ids=list(ask.users))
        rep = _as_rep(uow, person, ask.users[0], now)
        return Summarised(person, "person", tz, public, person=ask.users[0], rep=rep)
    return Summarised(summarise(uow=uow, period=period), "team", tz, public)


def _as_rep(uow: UnitOfWork, bdr: Summary, user: str,
            now: dt.datetime | None) -> RepSummary | None:
    """A rep's numbers, when this person qualified nothing in either period but has handled
    leads: a sales rep sees what they did, not a BDR's zeros."""
    if bdr.figures.qualified or bdr.previous.qualified or bdr.bdrs:
        return None
    rep = rep_summary(uow=uow, period=bdr.period, reps=[user], now=now or utcnow())
    return rep if rep.figures.anything or rep.previous.anything else None


def _members(teams: Teams, channel: Channel) -> list[str]:
    """The channel's members, or a Refusal saying what to do."""
    try:
        return teams.members(channel.id)
    except ChannelUnreadable as error:
        raise TeamUnreadable(channel, error.error) from error
    except ChannelsUnavailable as error:
        log.warning("Could not list the members of %s: %s", channel.id, error)
        raise TeamUnavailable(channel) from error
