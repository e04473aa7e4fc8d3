"""Buttons of the BDR's conversation: answer, type, skip, back, pause, finish, form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.services import qualifications as q
from baton.services.catalog import render_question
from baton.slack import ids, views
from baton.slack.ids import ButtonValue
from baton.slack.listeners.conversation import (
    Clicked,
    attempt,
    clicked,
    framework_of,
    post_question,
    post_verdict,
)
from baton.store.db import session_scope

if TYPE_CHECKING:
    from sqlmodel import Session

    from baton.domain.framework import Framework
    from baton.domain.lead import Lead
    from baton.slack.listeners import Deps

Move = Callable[["Session", "Deps", ButtonValue, str, str], q.Progress]


def register(app: App, deps: Deps) -> None:
    """Wire the buttons of the question messages and the root message."""
    app.action(ids.ANSWER_CHOICE_PATTERN)(moving(deps, _choose))
    app.action(ids.ANSWER_SKIP)(moving(deps, _step_move(q.skip)))
    app.action(ids.ANSWER_BACK)(moving(deps, _step_move(q.back, judges=False)))
    app.action(ids.ANSWER_PAUSE)(pauser(deps))
    app.action(ids.ANSWER_FINISH)(moving(deps, _step_move(q.finish)))
    app.action(ids.ANSWER_TYPE)(opener(deps, typed_modal))
    app.action(ids.OPEN_FORM)(opener(deps, form_modal))


def moving(deps: Deps, move: Move) -> Callable[..., None]:
    """A listener that acks, applies one service move to the clicked question and shows it."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)

        def run() -> q.Progress:
            with session_scope(deps.engine) as session:
                return move(session, deps, click.value, click.user, click.ask_key)

        progress = attempt(client, click.channel, click.user, run)
        if progress is not None and not progress.duplicate:
            show_progress(client, deps, click, progress)

    return listener


def show_progress(client: WebClient, deps: Deps, click: Clicked, progress: q.Progress) -> None:
    """Replace the clicked question with what became of it, then ask the next or judge."""
    if progress.next is not None:
        lead, framework = progress.next.lead, progress.next.framework
    elif progress.finished is not None:
        lead, framework = progress.finished.lead, framework_of(deps, progress.finished.verdict)
    else:
        return
    shown = before(click.value, lead, framework, progress)
    if shown is not None:
        client.chat_update(channel=click.channel, ts=click.ts, **shown.as_kwargs())
    elif progress.next is not None:
        # A note without an answer: the same question stays open.
        return
    if progress.next is not None:
        post_question(client, progress.next)
    elif progress.finished is not None:
        post_verdict(client, click.channel, progress.finished)


def before(value: ButtonValue, lead: Lead, framework: Framework,
           progress: q.Progress) -> views.Message | None:
    """The clicked question as it now stands: answered or skipped, or left to go back."""
    criterion = framework.criterion(value.criterion) or framework.criteria[0]
    position, total = framework.keys.index(criterion.key) + 1, len(framework.criteria)
    step, done = progress.next, progress.answered
    if done is not None:
        return views.answered_message(
            lead=lead, framework=framework, question=done.question, answer=done.answer_text,
            answered_by=done.answered_by, answered_at=dt.datetime.now(dt.UTC),
            position=position, total=total)
    if step is not None and step.position < position:
        return views.left_message(lead=lead, framework=framework,
                                  question=render_question(criterion, lead), position=position,
                                  total=total, back_to=step.position)
    return None

def _choose(session: Session, deps: Deps, value: ButtonValue, user: str,
            ask_key: str) -> q.Progress:
    return q.answer(session=session, catalog=deps.catalog, bdr_user_id=user,
                    qualification_id=value.qualification_id, criterion_key=value.criterion,
                    choice=value.choice, ask_key=ask_key,
                    default_channel=deps.settings.baton_sales_channel)


def _step_move(service: Callable[..., q.Progress], judges: bool = True) -> Move:
    """A move that needs only the qualification; one that can judge routes to the sales channel."""

    def move(session: Session, deps: Deps, value: ButtonValue, user: str,
             ask_key: str) -> q.Progress:
        routing = {"default_channel": deps.settings.baton_sales_channel} if judges else {}
        return service(session=session, catalog=deps.catalog, bdr_user_id=user,
                       qualification_id=value.qualification_id, ask_key=ask_key, **routing)

    return move

def pauser(deps: Deps) -> Callable[..., None]:
    """Pause: the question message says where it stopped and how to resume."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)

        def run() -> q.Step | None:
            with session_scope(deps.engine) as session:
                progress = q.pause(session=session, qualification_id=click.value.qualification_id,
                                   bdr_user_id=click.user, ask_key=click.ask_key)
                if progress.duplicate:
                    return None
                return q.current_step(session=session, catalog=deps.catalog,
                                      qualification_id=click.value.qualification_id)

        step = attempt(client, click.channel, click.user, run)
        if step is not None:
            shown = views.left_message(lead=step.lead, framework=step.framework,
                                       question=step.question, position=step.position,
                                       total=step.total)
            client.chat_update(channel=click.channel, ts=click.ts, **shown.as_kwargs())

    return listener


def opener(deps: Deps, modal: Callable[[q.Step, Clicked], dict[str, Any]]) -> Callable[..., None]:
    """A button that opens a modal about the clicked qualification's current question."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)

        def run() -> q.Step:
            with session_scope(deps.engine) as session:
                return q.current_step(session=session, catalog=deps.catalog,
                                      qualification_id=click.value.qualification_id)

        step = attempt(client, click.channel, click.user, run)
        if step is not None:
            client.views_open(trigger_id=body["trigger_id"], view=modal(step, click))

    return listener


def typed_modal(step: q.Step, click: Clicked) -> dict[str, Any]:
    """Type an answer: inputs of the criterion's kind, tied to the question message."""
    metadata = ButtonValue(step.qualification_id, step.criterion.key, click.ask_key).pack()
    return views.typed_answer_modal(criterion=step.criterion, question=step.question,
                                    private_metadata=metadata, initial=step.current_answer or "")


def form_modal(step: q.Step, _click: Clicked) -> dict[str, Any]:
    """Answer all in one form: every question of the framework in one modal."""
    questions = {c.key: render_question(c, step.lead) for c in step.framework.criteria}
    return views.form_modal(lead=step.lead, framework=step.framework, questions=questions,
                            private_metadata=str(step.qualification_id))
