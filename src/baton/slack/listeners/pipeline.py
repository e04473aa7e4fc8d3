"""`/pipeline`, `@Baton pipeline` and "pipeline" in the bot's DM: the period's summary and chart."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from baton.domain.periods import PeriodError, parse_period
from baton.services import chart
from baton.services.pipeline import Summary, summarise
from baton.services.teams import ChannelsUnavailable, ChannelUnreadable, TeamChannels
from baton.slack import pipeline_views, text
from baton.slack.views import Message
from baton.store.db import session_scope
from baton.store.types import utcnow

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

log = logging.getLogger(__name__)
PIPELINE = "/pipeline"
APP_MENTION = "app_mention"
_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$")
_OTHER_MENTION = re.compile(r"^(<[#!][^>]*>|[@#]\S+)$")
_DM_ASK = re.compile(r"^\s*pipeline\b", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:<@[UW][A-Z0-9]+(?:\|[^>]*)?>\s*)?pipeline\b", re.IGNORECASE)
USAGE = ("*Pipeline summaries*: `/pipeline [period] [@person | #team-channel] [share]`, e.g. "
         "`/pipeline`, `/pipeline last week`, `/pipeline this quarter @dana`, `/pipeline this "
         "month #sales-emea`, `/pipeline 2026-01-01 to 2026-03-31 share`. Periods: today, this "
         "week, last week, last 30 days, this month, this quarter, last quarter or two dates. "
         "Managers see the team, a person or a team channel's members, and may `share` in the "
         "channel; everyone else sees their own numbers.")
MENTION_HINT = ("Ask me `@Baton pipeline [period] [@person | #team-channel] [share]`, e.g. "
                "`@Baton pipeline last week`; to qualify a lead, use `/qualify`.")
NOT_A_PERSON = ("Name one person with @ or one team channel with # (picked from Slack's list), "
                "or nobody for the whole team; user groups are not summarised.")


@dataclass(frozen=True)
class Channel:
    """A channel named in an ask: its id and, when Slack sent it, its name."""

    id: str
    name: str = ""

    @property
    def label(self) -> str:
        """"#sales-emea" when the name came along, else a link Slack shows as the name."""
        return f"#{text.safe(self.name, 80)}" if self.name else f"<#{self.id}>"


@dataclass(frozen=True)
class Ask:
    """What someone asked for: the period's words, people, channels, other things, and `share`."""

    period: str
    users: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    share: bool = False
    channels: tuple[Channel, ...] = ()


def parse_ask(words: str) -> Ask:
    """Split `last week <@U1> <#C1|emea> share` into period, people, channels and share flag."""
    period, users, channels, others, share = [], [], [], [], False
    for token in words.split():
        if match := _USER.match(token):
            users.append(match[1])
        elif match := _CHANNEL.match(token):
            channels.append(Channel(match[1], (match[2] or "").strip()))
        elif _OTHER_MENTION.match(token):
            others.append(token)
        elif token.lower() == "share":
            share = True
        else:
            period.append(token)
    return Ask(" ".join(period), tuple(users), tuple(others), share, tuple(channels))


@dataclass(frozen=True)
class Reply:
    """What to say back: the message, whether everyone in the channel sees it, and the chart."""

    message: Message
    public: bool = False
    summary: Summary | None = None


class Refused(Exception):
    """What was asked cannot be answered; the message says why and what to do."""


def unreadable(channel: Channel, error: str) -> str:
    """What to do when Slack will not list a channel's members to Baton."""
    if error == "missing_scope":
        return (f"I may not list who is in {channel.label}: ask your Slack admin to reinstall "
                f"Baton with the channels:read and groups:read scopes, or name a person.")
    return (f"I cannot see who is in {channel.label}: invite @Baton to {channel.label} "
            f"(`/invite @Baton` there), or name a person.")


def team_members(teams: TeamChannels, channel: Channel) -> list[str]:
    """The channel's members, or Refused with a sentence saying what to do."""
    try:
        return teams.members(channel.id)
    except ChannelUnreadable as error:
        raise Refused(unreadable(channel, error.error)) from error
    except ChannelsUnavailable as error:
        log.warning("Could not list the members of %s: %s", channel.id, error)
        raise Refused(f"Slack did not say who is in {channel.label} just now; try again in a "
                      f"minute, or name a person.") from error


def scope(teams: TeamChannels, user: str, ask: Ask, manager: bool) -> tuple[list[str] | None, str]:
    """Whose numbers this person sees (None is everyone) and how the summary names them."""
    if not manager:
        return [user], "Your numbers"
    if ask.channels:
        return team_members(teams, ask.channels[0]), f"Team {ask.channels[0].label}"
    if ask.users:
        return list(ask.users), f"<@{ask.users[0]}>"
    return None, "The team"


def withheld(ask: Ask) -> str:
    """What a non-manager named that only managers see, for the note beside their own numbers."""
    if ask.channels:
        return f"the numbers of {ask.channels[0].label}"
    return "another person's numbers" if ask.users or ask.others else ""


def answer(deps: Deps, teams: TeamChannels, user: str, ask: Ask) -> Reply:
    """The summary this person may see for what they asked, or a sentence saying what is wrong."""
    if ask.period.lower() == "help" and not ask.users and not ask.channels:
        return Reply(Message(text=USAGE))
    manager = deps.managers.is_manager(user)
    if manager and (ask.others or len(ask.users) + len(ask.channels) > 1):
        return Reply(Message(text=NOT_A_PERSON))
    tz = deps.catalog.definition.sla.timezone
    try:
        period = parse_period(ask.period, now=utcnow(), tz=tz)
        bdrs, whose = scope(teams, user, ask, manager)
    except PeriodError as error:
        sentence = text.safe(str(error), 2000)
        return Reply(Message(text=f"Pipeline: {sentence}. Try `/pipeline last week`."))
    except Refused as refusal:
        return Reply(Message(text=str(refusal)))
    with session_scope(deps.engine) as session:
        summary = summarise(session=session, period=period, bdr_user_ids=bdrs)
    message = pipeline_views.summary_message(
        summary, whose=whose, own_only=not manager, withheld="" if manager else withheld(ask),
        tz=tz)
    return Reply(message, public=manager and ask.share, summary=summary)


def upload_chart(client: WebClient, channel: str, summary: Summary) -> None:
    """Upload the funnel beside the summary; the text stands alone if this fails."""
    try:
        png = chart.funnel_png(chart.funnel_stages(summary.figures),
                               f"Pipeline: {summary.period.label}")
        client.files_upload_v2(channel=channel, content=png, filename="pipeline-funnel.png",
                               title=f"Pipeline funnel: {summary.period.label}")
    except (SlackClientError, OSError, ValueError):
        log.warning("The pipeline chart could not be made or uploaded", exc_info=True)


def chart_channel(client: WebClient, reply: Reply, channel: str, user: str) -> str:
    """Where the chart goes: beside a shared reply, else privately in the asker's DM."""
    return channel if reply.public else client.conversations_open(users=user)["channel"]["id"]


def register(app: App, deps: Deps) -> None:
    """Wire `/pipeline`, the app mention and the DM ask."""
    teams = TeamChannels(app.client)

    def command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Ephemeral unless a manager adds `share`; the chart goes beside it or to the DM."""
        ack()
        user, channel = command["user_id"], command["channel_id"]
        reply = answer(deps, teams, user, parse_ask(command.get("text", "")))
        respond(response_type="in_channel" if reply.public else "ephemeral",
                **reply.message.as_kwargs())
        if reply.summary is not None:
            upload_chart(client, chart_channel(client, reply, channel, user), reply.summary)

    def mention(event: dict[str, Any], client: WebClient) -> None:
        """`@Baton pipeline ...` in a channel: told to the asker alone unless a manager shares."""
        user, channel = event["user"], event["channel"]
        if not _LEADING.match(event.get("text", "")):
            client.chat_postEphemeral(channel=channel, user=user, text=MENTION_HINT)
            return
        reply = answer(deps, teams, user, parse_ask(_LEADING.sub("", event["text"])))
        if reply.public:
            client.chat_postMessage(channel=channel, **reply.message.as_kwargs())
        else:
            client.chat_postEphemeral(channel=channel, user=user, **reply.message.as_kwargs())
        if reply.summary is not None:
            upload_chart(client, chart_channel(client, reply, channel, user), reply.summary)

    def direct(event: dict[str, Any], client: WebClient) -> None:
        """"pipeline last week" typed in the bot's DM: only the asker is there to read it."""
        user, channel = event["user"], event["channel"]
        reply = answer(deps, teams, user, parse_ask(_LEADING.sub("", event["text"])))
        client.chat_postMessage(channel=channel, **reply.message.as_kwargs())
        if reply.summary is not None:
            upload_chart(client, channel, reply.summary)

    app.command(PIPELINE)(command)
    app.event(APP_MENTION)(mention)
    app.event({"type": "message", "channel_type": "im"}, matchers=[is_dm_ask])(direct)


def is_dm_ask(event: dict[str, Any]) -> bool:
    """A person's own top-level DM message starting with "pipeline"."""
    return (not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))
            and not event.get("thread_ts") and bool(_DM_ASK.match(event.get("text", ""))))
