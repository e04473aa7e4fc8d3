"""A qualification's conversation in the BDR's DM: clicks, questions, verdicts, what moves show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from baton.services import qualification as q
from baton.slack.ids import ButtonValue
from baton.slack.translator import attempt
from baton.slack.views import ConversationViews, verdict_steps

if TYPE_CHECKING:
    from baton.domain.framework import Framework
    from baton.domain.lead import Lead
    from baton.slack.listeners import Deps


@dataclass(frozen=True)
class Clicked:
    """A button click on a message: its value, who clicked, and the message it came from."""

    value: ButtonValue
    user: str
    channel: str
    ts: str

    @property
    def ask_key(self) -> str:
        return f"{self.channel}:{self.ts}"


def clicked(body: dict[str, Any]) -> Clicked:
    """The click of a block_actions payload on a message."""
    container = body.get("container", {})
    channel = container.get("channel_id") or body.get("channel", {}).get("id", "")
    value = ButtonValue.unpack(body["actions"][0].get("value", ""))
    return Clicked(value, body["user"]["id"], channel, container.get("message_ts", ""))


def show(views: ConversationViews, client: WebClient, click: Clicked,
         move: q.Move | q.Paused) -> None:
    """Replace the clicked question with what became of it, then ask the next or judge."""
    if isinstance(move, q.Asked):
        redraw(views, client, click, move.next.lead, move.next.framework, move.clicked)
        post_question(views, client, move.next)
    elif isinstance(move, q.Judged):
        if move.clicked is not None:
            redraw(views, client, click, move.lead, move.framework, move.clicked)
        post_verdict(views, client, click.channel, move)
    elif isinstance(move, q.Paused):
        step = move.step
        shown = views.left_message(lead=step.lead, framework=step.framework,
                                    question=step.question, position=step.position,
                                    total=step.total)
        client.chat_update(channel=click.channel, ts=click.ts, **shown.as_kwargs())


def redraw(views: ConversationViews, client: WebClient, click: Clicked, lead: Lead,
           framework: Framework, now: q.Answered | q.WentBack) -> None:
    """The clicked question message as it now reads: answered or skipped, or left behind."""
    if isinstance(now, q.Answered):
        shown = views.answered_message(
            lead=lead, framework=framework, question=now.question, answer=now.answer_text,
            answered_by=now.answered_by, answered_at=now.answered_at, position=now.position,
            total=now.total)
    else:
        shown = views.left_message(lead=lead, framework=framework, question=now.question,
                                    position=now.position, total=now.total, back_to=now.back_to)
    client.chat_update(channel=click.channel, ts=click.ts, **shown.as_kwargs())


def post_question(views: ConversationViews, client: WebClient, step: q.Step) -> None:
    """Post the step's question at the top level of the BDR's DM."""
    message = views.question_message(
        qualification_id=step.qualification_id, lead=step.lead, framework=step.framework,
        criterion=step.criterion, question=step.question, position=step.position,
        total=step.total, before=step.current_answer,
    )
    client.chat_postMessage(channel=step.dm_channel, **message.as_kwargs())


def post_verdict(views: ConversationViews, client: WebClient, channel: str,
                 judged: q.Judged, note: str = "") -> None:
    """The verdict in the BDR's DM, with its next steps: correct an answer, and for a lead
    going to nurture, the day to look at it again and why."""
    steps = None
    if judged.verdict_id is not None:
        steps = verdict_steps(judged.qualification_id, judged.verdict_id, judged.verdict)
    message = views.verdict_message(lead=judged.lead, verdict=judged.verdict,
                                     min_score=judged.min_score,
                                     framework_name=judged.framework.name, steps=steps,
                                     override=judged.override, note=note)
    client.chat_postMessage(channel=channel, **message.as_kwargs())


def open_dm(client: WebClient, user: str) -> str:
    """The channel id of the bot's DM with a person."""
    return str(client.conversations_open(users=user)["channel"]["id"])


def start_conversation(client: WebClient, deps: Deps, intake: q.Intake, user: str, team: str,
                       lead_id: int | None) -> None:
    """Start a qualification and open its conversation in the BDR's DM."""
    channel = open_dm(client, user)
    step = attempt(client, channel, user, lambda: q.start_qualification(
        uow=deps.uow, catalog=deps.catalog, intake=intake, bdr_user_id=user, team_id=team,
        lead_id=lead_id))
    if step is not None:
        converse(client, deps, channel, step)


def converse(client: WebClient, deps: Deps, channel: str, step: q.Step) -> None:
    """Post the root message whose thread collects notes, then the step's question."""
    views = deps.presenter.conversation
    root = views.root_message(qualification_id=step.qualification_id, lead=step.lead,
                               framework=step.framework)
    thread_ts = client.chat_postMessage(channel=channel, **root.as_kwargs())["ts"]
    q.attach_conversation(uow=deps.uow, qualification_id=step.qualification_id,
                          dm_channel=channel, thread_ts=thread_ts)
    post_question(views, client, replace(step, dm_channel=channel, thread_ts=thread_ts))
