"""`/pipeline`, `@Baton pipeline` and "pipeline" in the bot's DM: the period's summary and chart."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from baton.domain.errors import Refusal
from baton.domain.periods import parse_period
from baton.services import pipeline
from baton.services.pipeline import Ask, Summary, Teams
from baton.services.pipeline.whatif import WhatIf, what_if_text
from baton.slack.asks import LEADING, is_dm_ask, is_help, parse_ask
from baton.slack.directory import TeamChannels
from baton.slack.translator import sentence
from baton.slack.views import Message

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

log = logging.getLogger(__name__)
Listener = Callable[..., None]
PIPELINE = "/pipeline"
APP_MENTION = "app_mention"
USAGE = ("*Pipeline summaries*: `/pipeline [period] [@person | #team-channel] [share]`, e.g. "
         "`/pipeline`, `/pipeline last week`, `/pipeline this quarter @dana`, `/pipeline this "
         "month #sales-emea`, `/pipeline 2026-01-01 to 2026-03-31 share`; managers also "
         "`/pipeline criteria [period]`: which criteria predict a won deal. Periods: today, this "
         "week, last week, last 30 days, this month, this quarter, last quarter or two dates. "
         "Managers see the team, a person or a team channel's members, and may `share` in the "
         "channel; everyone else sees their own numbers.")
MENTION_HINT = ("Ask me `@Baton pipeline [period] [@person | #team-channel] [share]`, e.g. "
                "`@Baton pipeline last week`; to qualify a lead, use `/qualify`.")


@dataclass(frozen=True)
class Reply:
    """What to say back: the message, whether everyone in the channel sees it, and the chart."""

    message: Message
    public: bool = False
    summary: Summary | None = None
    # The criteria report, whose chart compares each criterion met and not met.
    criteria: pipeline.CriteriaSeen | None = None
    # A what-if replay, charted as the leads before and after and what the dropped became.
    whatif: WhatIf | None = None

    @property
    def charted(self) -> bool:
        return any(part is not None for part in (self.summary, self.criteria, self.whatif))


def answer(deps: Deps, teams: Teams, user: str, ask: Ask) -> Reply:
    """The summary this person may see for what they asked, or a sentence saying what is wrong."""
    if is_help(ask):
        return Reply(Message(text=USAGE))
    if ask.period.lower().split()[:1] == ["criteria"]:
        return criteria(deps, user, ask)
    if ask.period.lower().split()[:1] == ["by"]:
        return broken_down(deps, user, ask)
    try:
        seen = pipeline.ask_pipeline(uow=deps.uow, catalog=deps.catalog, asker=user, ask=ask,
                                     manager=deps.managers.is_manager(user), teams=teams)
    except Refusal as refusal:
        return Reply(Message(text=sentence(refusal)))
    # The funnel charts a BDR's pipeline; a rep's numbers stand alone.
    return Reply(deps.presenter.pipeline.summarised_message(seen), public=seen.public,
                 summary=seen.summary if seen.rep is None else None)


def criteria(deps: Deps, user: str, ask: Ask) -> Reply:
    """`/pipeline criteria [period]`: which criteria predict a won deal, for managers."""
    words = " ".join(ask.period.split()[1:])
    try:
        seen = pipeline.ask_criteria(uow=deps.uow, catalog=deps.catalog, words=words,
                                     manager=deps.managers.is_manager(user),
                                     now=dt.datetime.now(dt.UTC))
    except Refusal as refusal:
        return Reply(Message(text=sentence(refusal)))
    return Reply(deps.presenter.pipeline.criteria_message(seen), public=ask.share,
                 criteria=seen)


_WHATIF = re.compile(r"^\s*whatif\b(.*)$", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^\s*```[a-z]*\s*\n?|\n?\s*```\s*$", re.IGNORECASE)


def whatif(deps: Deps, user: str, words: str) -> Reply | None:
    """`pipeline whatif` with a proposed definition pasted after it (in a code block or not):
    the last 90 days replayed by it, for managers; None when the words ask something else."""
    match = _WHATIF.match(words)
    if match is None:
        return None
    pasted = html.unescape(_FENCE.sub("", match[1].strip()))
    if not pasted:
        return Reply(Message(text="Paste the proposed definition after `pipeline whatif`, "
                                  "in a code block, in your DM with me."))
    try:
        result = what_if_text(uow=deps.uow, catalog=deps.catalog, yaml_text=pasted,
                              manager=deps.managers.is_manager(user),
                              now=dt.datetime.now(dt.UTC))
    except Refusal as refusal:
        return Reply(Message(text=sentence(refusal)))
    return Reply(deps.presenter.pipeline.whatif_message(result), whatif=result)


def broken_down(deps: Deps, user: str, ask: Ask) -> Reply:
    """`/pipeline by region [period]`: the period's cohort by one dimension; a manager's for the
    team, anyone else's for their own leads."""
    words = ask.period.split()
    dimension = words[1].lower() if len(words) > 1 else ""
    if dimension not in pipeline.DIMENSIONS:
        return Reply(Message(text=f"Break the pipeline down by one of: "
                                  f"{', '.join(pipeline.DIMENSIONS)}, e.g. "
                                  "`/pipeline by region last quarter`."))
    manager = deps.managers.is_manager(user)
    tz = deps.catalog.definition.sla.timezone
    try:
        period = parse_period(" ".join(words[2:]) or "this month",
                              now=dt.datetime.now(dt.UTC), tz=tz)
    except Refusal as refusal:
        return Reply(Message(text=sentence(refusal)))
    seen = pipeline.breakdown(uow=deps.uow, catalog=deps.catalog, period=period,
                              dimension=dimension, scope=None if manager else [user])
    return Reply(deps.presenter.pipeline.breakdown_message(
        seen, whose="The team" if manager else "Your leads"), public=manager and ask.share)


def upload_chart(client: WebClient, channel: str, summary: Summary | None,
                 criteria: pipeline.CriteriaSeen | None = None,
                 whatif: WhatIf | None = None) -> None:
    """Upload the funnel beside the summary (or the criteria's comparison beside their
    report); the text stands alone if this fails."""
    try:
        if whatif is not None:
            stages = [pipeline.Stage("Sales-ready before", whatif.ready_before),
                      pipeline.Stage("Sales-ready after", whatif.ready_after),
                      *(pipeline.Stage(f"Dropped, {fate}", count)
                        for fate, count in whatif.became(whatif.dropped).most_common(4))]
            png = pipeline.funnel_png(stages, f"What if {whatif.proposed_version}")
            client.files_upload_v2(channel=channel, content=png, filename="whatif.png",
                                   title=f"What if {whatif.proposed_version}")
            return
        if criteria is not None:
            rows = criteria.comparisons()
            if not rows:
                return
            png = pipeline.criteria_png(rows, f"Won when met, and when not: {criteria.label}")
            client.files_upload_v2(channel=channel, content=png, filename="criteria.png",
                                   title=f"Criteria: {criteria.label}")
            return
        if summary is None:
            return
        png = pipeline.funnel_png(pipeline.funnel_stages(summary.figures),
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
    app.command(PIPELINE)(on_command(deps, teams))
    app.event(APP_MENTION)(on_mention(deps, teams))
    app.event({"type": "message", "channel_type": "im"}, matchers=[is_dm_ask])(on_dm(deps, teams))


def on_command(deps: Deps, teams: Teams) -> Listener:
    """`/pipeline ...`: ephemeral unless a manager adds `share`; the chart beside it or in DM."""

    def listener(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user, channel = command["user_id"], command["channel_id"]
        words = command.get("text", "")
        reply = whatif(deps, user, words) or answer(deps, teams, user, parse_ask(words))
        respond(response_type="in_channel" if reply.public else "ephemeral",
                **reply.message.as_kwargs())
        if reply.charted:
            upload_chart(client, chart_channel(client, reply, channel, user), reply.summary,
                         reply.criteria, reply.whatif)

    return listener


def on_mention(deps: Deps, teams: Teams) -> Listener:
    """`@Baton pipeline ...` in a channel: told to the asker alone unless a manager shares."""

    def listener(event: dict[str, Any], client: WebClient) -> None:
        user, channel = event["user"], event["channel"]
        if not LEADING.match(event.get("text", "")):
            client.chat_postEphemeral(channel=channel, user=user, text=MENTION_HINT)
            return
        words = LEADING.sub("", event["text"])
        reply = whatif(deps, user, words) or answer(deps, teams, user, parse_ask(words))
        if reply.public:
            client.chat_postMessage(channel=channel, **reply.message.as_kwargs())
        else:
            client.chat_postEphemeral(channel=channel, user=user, **reply.message.as_kwargs())
        if reply.charted:
            upload_chart(client, chart_channel(client, reply, channel, user), reply.summary,
                         reply.criteria, reply.whatif)

    return listener


def on_dm(deps: Deps, teams: Teams) -> Listener:
    """"pipeline last week" typed in the bot's DM: only the asker is there to read it."""

    def listener(event: dict[str, Any], client: WebClient) -> None:
        user, channel = event["user"], event["channel"]
        words = LEADING.sub("", event["text"])
        reply = whatif(deps, user, words) or answer(deps, teams, user, parse_ask(words))
        client.chat_postMessage(channel=channel, **reply.message.as_kwargs())
        if reply.charted:
            upload_chart(client, channel, reply.summary, reply.criteria, reply.whatif)

    return listener
