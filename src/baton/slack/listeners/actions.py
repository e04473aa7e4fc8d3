"""Buttons of the BDR's conversation: answer, type, skip, back, pause, finish, form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.services import qualification as q
from baton.services.catalog import render_question
from baton.slack import ids
from baton.slack.acks import deferred
from baton.slack.listeners.conversation import Clicked, clicked, show
from baton.slack.translator import attempt
from baton.slack.views import ConversationViews

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
Move = Callable[["Deps", Clicked], "q.Move | q.Paused"]
Modal = Callable[[ConversationViews, q.Step, Clicked], dict[str, Any]]


def register(app: App, deps: Deps) -> None:
    """Wire the buttons of the question messages and the root message."""
    app.action(ids.ANSWER_CHOICE_PATTERN)(moving(deps, choose))
    app.action(ids.ANSWER_SKIP)(moving(deps, skip))
    app.action(ids.ANSWER_BACK)(moving(deps, back))
    app.action(ids.ANSWER_PAUSE)(moving(deps, pause))
    app.action(ids.ANSWER_FINISH)(moving(deps, finish))
    app.action(ids.ANSWER_TYPE)(opener(deps, typed_modal))
    app.action(ids.OPEN_FORM)(opener(deps, form_modal))


def moving(deps: Deps, move: Move) -> Listener:
    """A listener that acks, applies one move to the clicked question and shows what it did."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)
        result = attempt(client, click.channel, click.user, lambda: move(deps, click))
        if result is not None:
            show(deps, client, click, result)

    return listener


def _on(deps: Deps, click: Clicked) -> dict[str, Any]:
    """What every move names: the unit of work, the qualification, the BDR and the message."""
    return {"uow": deps.uow, "catalog": deps.catalog, "bdr_user_id": click.user,
            "qualification_id": click.value.qualification_id, "ask_key": click.ask_key}


def choose(deps: Deps, click: Clicked) -> q.Move:
    return q.answer(**_on(deps, click), criterion_key=click.value.criterion,
                    choice=click.value.choice,
                    default_channel=deps.settings.baton_sales_channel)


def skip(deps: Deps, click: Clicked) -> q.Move:
    return q.skip(**_on(deps, click), criterion_key=click.value.criterion,
                  default_channel=deps.settings.baton_sales_channel)


def back(deps: Deps, click: Clicked) -> q.Move:
    return q.back(**_on(deps, click), criterion_key=click.value.criterion)


def pause(deps: Deps, click: Clicked) -> q.Paused | q.Duplicate:
    return q.pause(**_on(deps, click))


def finish(deps: Deps, click: Clicked) -> q.Judged | q.Duplicate:
    return q.finish(**_on(deps, click), default_channel=deps.settings.baton_sales_channel)


def opener(deps: Deps, modal: Modal) -> Listener:
    """A button that opens a modal about the clicked qualification's current question."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)
        step = attempt(client, click.channel, click.user, lambda: q.current_step(
            uow=deps.uow, catalog=deps.catalog, qualification_id=click.value.qualification_id))
        if step is not None:
            client.views_open(trigger_id=body["trigger_id"],
                              view=modal(deps.presenter.conversation, step, click))

    return listener


def typed_modal(views: ConversationViews, step: q.Step, click: Clicked) -> dict[str, Any]:
    """Type an answer: inputs of the criterion's kind, tied to the question message."""
    metadata = ids.TypedMetadata(step.qualification_id, step.criterion.key, click.channel,
                                 click.ts).pack()
    return views.typed_answer_modal(criterion=step.criterion, question=step.question,
                                    private_metadata=metadata, initial=step.current_answer or "")


def form_modal(views: ConversationViews, step: q.Step, _click: Clicked) -> dict[str, Any]:
    """Answer all in one form: every question of the framework in one modal."""
    questions = {c.key: render_question(c, step.lead) for c in step.framework.criteria}
    metadata = ids.FormMetadata(step.qualification_id, step.framework.key).pack()
    return views.form_modal(lead=step.lead, framework=step.framework, questions=questions,
                            private_metadata=metadata)
