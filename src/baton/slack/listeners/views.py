"""Modal submissions of the conversation: a typed answer, and the form with every question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import FormInvalid, InvalidAnswer, Refusal
from baton.services import qualification as q
from baton.slack import ids
from baton.slack.acks import deferred
from baton.slack.ids import ButtonValue
from baton.slack.listeners.conversation import (
    Clicked,
    open_dm,
    post_verdict,
    show,
    tell_in_dm,
)
from baton.slack.views import ConversationViews

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]


def register(app: App, deps: Deps) -> None:
    """Wire the modal submissions."""
    app.view(ids.TYPED_MODAL)(typed_submitted(deps))
    app.view(ids.FORM_MODAL)(form_submitted(deps))


def value_of(values: dict[str, Any], block_id: str) -> str:
    """What the person entered in one input block, as text ("" when left empty)."""
    element = values.get(block_id, {}).get(ids.INPUT) or {}
    picked = element.get("selected_option") or {}
    found = (element.get("value") or element.get("selected_date") or picked.get("value")
             or element.get("selected_user"))
    return str(found or "").strip()


def refuse_on_modal(ack: Ack, views: ConversationViews, values: dict[str, Any], message: str,
                    block: str | None = None) -> None:
    """Tell the person why on the modal: on `block`, else its first input, else in a notice."""
    target = block if block in values else next(iter(values), None)
    if target is None:  # nothing to put an error on: the modal itself says it
        ack(response_action="update", view=views.notice_modal(title="Not saved", body=message))
        return
    ack(response_action="errors", errors={target: message})


def typed_submitted(deps: Deps) -> Listener:
    """A typed answer: an unreadable value is shown on its input at once; a readable one is
    acknowledged before it is stored, and a refusal then (the question answered already, the
    qualification no longer open or not theirs) is told where the question is."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        typed = value_of(values, ids.TYPED_DATE) or value_of(values, ids.TYPED_VALUE) or None
        notes = value_of(values, ids.TYPED_NOTES)
        try:
            meta = ids.TypedMetadata.unpack(str(view.get("private_metadata", "")))
            q.check_typed(deps.catalog, meta.criterion, typed, notes)
        except Refusal as refusal:
            on = ids.TYPED_VALUE if ids.TYPED_VALUE in values else ids.TYPED_NOTES
            block = on if isinstance(refusal, InvalidAnswer) else None
            refuse_on_modal(ack, deps.presenter.conversation, values, str(refusal), block)
            return
        ack()
        try:
            move = q.answer(
                uow=deps.uow, catalog=deps.catalog, qualification_id=meta.qualification_id,
                bdr_user_id=user, criterion_key=meta.criterion, ask_key=meta.ask_key,
                typed=typed, notes=notes, default_channel=deps.settings.baton_sales_channel)
        except Refusal as refusal:
            tell_in_dm(client, user, refusal)
            return
        click = Clicked(ButtonValue(meta.qualification_id, meta.criterion), user, meta.channel,
                        meta.ts)
        show(deps, client, click, move)

    return listener


def read_form(values: dict[str, Any]) -> dict[str, q.FormAnswer]:
    """Every criterion the form gave a choice or a typed value for; the notes go with the first."""
    answers: dict[str, dict[str, str | None]] = {}
    for block_id in values:
        if block_id == ids.FORM_NOTES:
            continue
        part, criterion = ids.parse_form_block(block_id)
        entered = value_of(values, block_id)
        if entered:
            slot = answers.setdefault(criterion, {"choice": None, "typed": None})
            slot["choice" if part == ids.FORM_CHOICE else "typed"] = entered
    notes = value_of(values, ids.FORM_NOTES)
    return {key: q.FormAnswer(choice=slot["choice"], typed=slot["typed"],
                              notes=notes if index == 0 else "")
            for index, (key, slot) in enumerate(answers.items())}


def form_submitted(deps: Deps) -> Listener:
    """The form: unreadable typed values are shown on their inputs at once; otherwise it is
    acknowledged before it is stored and judged, and a refusal then is told in the DM."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        try:
            answers = read_form(values)
            meta = ids.FormMetadata.unpack(str(view.get("private_metadata", "")))
            q.check_form(deps.catalog, meta.framework, answers)
        except FormInvalid as error:
            ack(response_action="errors", errors=form_errors(values, error.errors))
            return
        except Refusal as refusal:
            refuse_on_modal(ack, deps.presenter.conversation, values, str(refusal))
            return
        ack()
        try:
            judged = q.submit_form(
                uow=deps.uow, catalog=deps.catalog, qualification_id=meta.qualification_id,
                bdr_user_id=user, answers=answers,
                default_channel=deps.settings.baton_sales_channel)
        except Refusal as refusal:
            tell_in_dm(client, user, refusal)
            return
        post_verdict(deps, client, open_dm(client, user), judged)

    return listener


def form_errors(values: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Each criterion's error on the input its typed value came from."""
    placed = {}
    for key, message in errors.items():
        parts = (ids.FORM_TYPED, ids.FORM_DATE, ids.FORM_CHOICE)
        candidates = [ids.form_block(part, key) for part in parts]
        block = next((b for b in candidates if b in values), candidates[0])
        placed[block] = message
    return placed
