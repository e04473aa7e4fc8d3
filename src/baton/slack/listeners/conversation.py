"""A qualification's conversation in the BDR's DM: clicks, questions, verdicts, what moves show.
Each post is tried at once; one Slack cannot take now waits in the outbox (slack/posts.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from baton.domain.errors import Refusal
from baton.services import qualification as q
from baton.slack.failures import transient
from baton.slack.ids import ButtonValue
from baton.slack.posts import Posts
from baton.slack.translator import attempt, sentence
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


def show(deps: Deps, client: WebClient, click: Clicked, move: q.Move | q.Paused) -> None:
    """Replace the clicked question with what became of it, then ask the next or judge."""
    views, posts = deps.presenter.conversation, Posts(client, deps.uow)
    if isinstance(move, q.Asked):
        redraw(views, posts, click, move.next.lead, move.next.framework, move.clicked)
        ask(views, posts, move.next)
    elif isinstance(move, q.Judged):
        if move.clicked is not None:
            redraw(views, posts, click, move.lead, move.framework, move.clicked)
        judge(views, posts, click.channel, move)
    elif isinstance(move, q.Paused):
        step = move.step
        shown = views.left_message(lead=step.lead, framework=step.framework,
                                    question=step.question, position=step.position,
                                    total=step.total)
        posts.update(channel=click.channel, ts=click.ts, message=shown.as_kwargs())


def redraw(views: ConversationViews, posts: Posts, click: Clicked, lead: Lead,
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
    posts.update(channel=click.channel, ts=click.ts, message=shown.as_kwargs())


def post_question(deps: Deps, client: WebClient, step: q.Step) -> None:
    """Post the step's question at the top level of the BDR's DM."""
    ask(deps.presenter.conversation, Posts(client, deps.uow), step)


def ask(views: ConversationViews, posts: Posts, step: q.Step) -> None:
    """The question in the DM; while it waits for Slack, the BDR's place is kept, paused at it."""
    message = views.question_message(
        qualification_id=step.qualification_id, lead=step.lead, framework=step.framework,
        criterion=step.criterion, question=step.question, position=step.position,
        total=step.total, before=step.current_answer,
    )
    if posts.post(channel=step.dm_channel or "", message=message.as_kwargs()).waiting:
        q.stalled(uow=posts.uow, qualification_id=step.qualification_id)


def post_verdict(deps: Deps, client: WebClient, channel: str, judged: q.Judged,
                 note: str = "") -> None:
    """The verdict in the BDR's DM, with its next steps."""
    judge(deps.presenter.conversation, Posts(client, deps.uow), channel, judged, note)


def judge(views: ConversationViews, posts: Posts, channel: str, judged: q.Judged,
          note: str = "") -> None:
    """The verdict with its next steps: correct an answer, and for a lead going to nurture, the
    day to look at it again and why."""
    steps = None
    if judged.verdict_id is not None:
        steps = verdict_steps(judged.qualification_id, judged.verdict_id, judged.verdict)
    message = views.verdict_message(lead=judged.lead, verdict=judged.verdict,
                                     min_score=judged.min_score,
                                     framework_name=judged.framework.name, steps=steps,
                                     override=judged.override, note=note)
    posts.post(channel=channel, message=message.as_kwargs())


def tell_in_dm(client: WebClient, user: str, refusal: Refusal) -> None:
    """A refusal after the modal closed, told in the person's DM with Baton, for their eyes
    only."""
    client.chat_postEphemeral(channel=open_dm(client, user), user=user, text=sentence(refusal))


def open_dm(client: WebClient, user: str) -> str:
    """The channel id of the bot's DM with a person; their user id while Slack cannot say
    (Slack posts a message to a user id in that same DM)."""
    try:
        return str(client.conversations_open(users=user)["channel"]["id"])
    except (SlackClientError, OSError) as error:
        if not transient(error):
            raise
        return user


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
    """Post the root message whose thread collects notes, then the step's question; a root
    message that waits for Slack attaches the conversation once it is posted."""
    views, posts = deps.presenter.conversation, Posts(client, deps.uow)
    root = views.root_message(qualification_id=step.qualification_id, lead=step.lead,
                               framework=step.framework)
    posted = posts.post(channel=channel, message=root.as_kwargs(),
                        key=q.root_key(step.qualification_id))
    dm = posted.channel or channel
    q.attach_conversation(uow=deps.uow, qualification_id=step.qualification_id,
                          dm_channel=dm, thread_ts=posted.ts)
    ask(views, posts, replace(step, dm_channel=dm, thread_ts=posted.ts))
