"""A qualification's conversation in the BDR's DM: clicks, questions, verdicts, and refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk import WebClient

from baton.services import qualifications as q
from baton.services.qualifications import NotYours, QualificationError
from baton.slack import text
from baton.slack import views as blocks
from baton.slack.ids import ButtonValue
from baton.store.db import session_scope

if TYPE_CHECKING:
    from baton.domain.framework import Framework
    from baton.domain.verdict import Verdict
    from baton.services.qualifications import Finished, Step
    from baton.slack.listeners import Deps

T = TypeVar("T")


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


def attempt(client: WebClient, channel: str, user: str, work: Callable[[], T]) -> T | None:
    """Run service work; a QualificationError becomes an ephemeral sentence and None."""
    try:
        return work()
    except QualificationError as error:
        # NotYours names only the BDR to mention; other sentences may quote what people typed.
        sentence = str(error) if isinstance(error, NotYours) else text.safe(str(error), 3000)
        client.chat_postEphemeral(channel=channel, user=user, text=sentence)
        return None


def post_question(client: WebClient, step: Step) -> None:
    """Post the step's question at the top level of the BDR's DM."""
    message = blocks.question_message(
        qualification_id=step.qualification_id, lead=step.lead, framework=step.framework,
        criterion=step.criterion, question=step.question, position=step.position,
        total=step.total,
    )
    client.chat_postMessage(channel=step.dm_channel, **message.as_kwargs())


def framework_of(deps: Deps, verdict: Verdict) -> Framework:
    """The catalog's framework a verdict was judged with (by key or name)."""
    found = deps.catalog.frameworks.values()
    return next(f for f in found if verdict.framework in (f.key, f.name))


def post_verdict(client: WebClient, channel: str, finished: Finished) -> None:
    """The verdict in the BDR's DM."""
    message = blocks.verdict_message(lead=finished.lead, verdict=finished.verdict,
                                    min_score=finished.min_score,
                                    framework_name=finished.framework_name)
    client.chat_postMessage(channel=channel, **message.as_kwargs())


def open_dm(client: WebClient, user: str) -> str:
    """The channel id of the bot's DM with a person."""
    return client.conversations_open(users=user)["channel"]["id"]


def start_conversation(client: WebClient, deps: Deps, intake: q.Intake, user: str, team: str,
                       lead_id: int | None) -> None:
    """Start a qualification and open its conversation in the BDR's DM."""
    channel = open_dm(client, user)

    def start() -> Step:
        with session_scope(deps.engine) as session:
            return q.start_qualification(session=session, catalog=deps.catalog, intake=intake,
                                         bdr_user_id=user, team_id=team, lead_id=lead_id)

    step = attempt(client, channel, user, start)
    if step is not None:
        converse(client, deps, channel, step)


def converse(client: WebClient, deps: Deps, channel: str, step: Step) -> None:
    """Post the root message whose thread collects notes, then the step's question."""
    root = blocks.root_message(qualification_id=step.qualification_id, lead=step.lead,
                              framework=step.framework)
    thread_ts = client.chat_postMessage(channel=channel, **root.as_kwargs())["ts"]
    with session_scope(deps.engine) as session:
        q.attach_conversation(session=session, qualification_id=step.qualification_id,
                              dm_channel=channel, thread_ts=thread_ts)
    post_question(client, replace(step, dm_channel=channel, thread_ts=thread_ts))
