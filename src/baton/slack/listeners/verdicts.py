"""The verdict message's next steps in the BDR's DM: Correct an answer (the form, prefilled),
Recheck on… and the nurture reason; and Resume on the morning's recheck reminder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import FormInvalid, Refusal
from baton.services import qualification as q
from baton.services import verdicts
from baton.slack import ids
from baton.slack.listeners.conversation import clicked, converse, open_dm, post_verdict
from baton.slack.listeners.views import form_errors, read_form, value_of
from baton.slack.translator import attempt

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
ALREADY_RESUMED = "You already resumed this lead: its questions are in this conversation."


def register(app: App, deps: Deps) -> None:
    """Wire the verdict message's next steps and the recheck reminder's Resume."""
    app.action(ids.CORRECT_ANSWERS)(correction_opener(deps))
    app.view(ids.CORRECT_MODAL)(correction_submitted(deps))
    app.action(ids.RECHECK_ON)(recheck_picked(deps))
    app.action(ids.NURTURE_REASON)(reason_picked(deps))
    app.action(ids.RECHECK_RESUME)(resumer(deps))


def correction_opener(deps: Deps) -> Listener:
    """Correct an answer: the answer-all form, prefilled with the answers in force."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)
        form = attempt(client, click.channel, click.user, lambda: verdicts.correction_form(
            uow=deps.uow, catalog=deps.catalog, qualification_id=click.value.qualification_id,
            bdr_user_id=click.user))
        if form is not None:
            view = deps.presenter.conversation.form_modal(
                lead=form.lead, framework=form.framework, questions=form.questions,
                answers=form.answers, private_metadata=str(form.qualification_id),
                correction=True)
            client.views_open(trigger_id=body["trigger_id"], view=view)

    return listener


def correction_submitted(deps: Deps) -> Listener:
    """The corrected form: errors on their inputs, else the new verdict in the BDR's DM."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        answers = {key: replace(given, notes="") for key, given in read_form(values).items()}
        try:
            corrected = verdicts.correct_answers(
                uow=deps.uow, catalog=deps.catalog, presenter=deps.presenter.handoff,
                qualification_id=int(view["private_metadata"]), bdr_user_id=user,
                answers=answers, notes=value_of(values, ids.FORM_NOTES),
                default_channel=deps.settings.baton_sales_channel)
        except FormInvalid as error:
            ack(response_action="errors", errors=form_errors(values, error.errors))
            return
        except Refusal as refusal:
            ack(response_action="errors",
                errors={next(iter(values), ids.FORM_NOTES): str(refusal)})
            return
        ack()
        post_verdict(deps.presenter.conversation, client, open_dm(client, user),
                     corrected.judged, note=deps.presenter.verdicts.corrected_note(corrected))

    return listener


def _picked(body: dict[str, Any]) -> tuple[dict[str, Any], str, str, int]:
    """The element picked, who picked it, in which channel, and the verdict its block names."""
    action = body["actions"][0]
    channel = body.get("container", {}).get("channel_id") or body.get("channel", {}).get("id")
    return action, body["user"]["id"], str(channel or ""), ids.parse_verdict_block(
        action["block_id"])


def recheck_picked(deps: Deps) -> Listener:
    """Recheck on…: the day is kept and the BDR told when they will be reminded."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action, user, channel, verdict_id = _picked(body)
        day = dt.date.fromisoformat(action["selected_date"])
        result = attempt(client, channel, user, lambda: verdicts.set_recheck(
            uow=deps.uow, catalog=deps.catalog, verdict_id=verdict_id, bdr_user_id=user,
            day=day))
        if result is not None:
            client.chat_postEphemeral(channel=channel, user=user,
                                      text=deps.presenter.verdicts.recheck_set(result))

    return listener


def reason_picked(deps: Deps) -> Listener:
    """The nurture reason picked: kept for the export, and the BDR told so."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action, user, channel, verdict_id = _picked(body)
        choice = (action.get("selected_option") or {}).get("value", "")
        reason = attempt(client, channel, user, lambda: verdicts.set_nurture_reason(
            uow=deps.uow, verdict_id=verdict_id, bdr_user_id=user, choice=choice))
        if reason is not None:
            client.chat_postEphemeral(channel=channel, user=user,
                                      text=deps.presenter.verdicts.nurture_set(reason))

    return listener


def resumer(deps: Deps) -> Listener:
    """Resume: the lead qualified again in the DM, its earlier answers in place, once."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        click = clicked(body)
        channel = click.channel or open_dm(client, click.user)
        step = attempt(client, channel, click.user, lambda: verdicts.requalify(
            uow=deps.uow, catalog=deps.catalog, qualification_id=click.value.qualification_id,
            bdr_user_id=click.user, ask_key=click.ask_key))
        if isinstance(step, q.Step):
            converse(client, deps, channel, step)
        elif isinstance(step, q.Duplicate):
            client.chat_postEphemeral(channel=channel, user=click.user, text=ALREADY_RESUMED)

    return listener
