"""Modal submissions: the intake, a typed answer, and the form with every question."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import FormInvalid, InvalidAnswer, Refusal
from baton.services import qualification as q
from baton.slack import ids, text, views
from baton.slack.ids import ButtonValue
from baton.slack.listeners.conversation import (
    Clicked,
    open_dm,
    post_verdict,
    show,
    start_conversation,
)

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
INTAKE_BLOCKS = {
    "company": ids.INTAKE_COMPANY, "contact_name": ids.INTAKE_CONTACT,
    "title": ids.INTAKE_TITLE, "email": ids.INTAKE_EMAIL, "source": ids.INTAKE_SOURCE,
    "industry": ids.INTAKE_INDUSTRY, "employees": ids.INTAKE_EMPLOYEES,
    "region": ids.INTAKE_REGION, "framework": ids.INTAKE_FRAMEWORK,
}


def register(app: App, deps: Deps) -> None:
    """Wire the modal submissions."""
    app.view(ids.INTAKE_MODAL)(intake_submitted(deps))
    app.view(ids.TYPED_MODAL)(typed_submitted(deps))
    app.view(ids.FORM_MODAL)(form_submitted(deps))


def value_of(values: dict[str, Any], block_id: str) -> str:
    """What the person entered in one input block, as text ("" when left empty)."""
    element = values.get(block_id, {}).get(ids.INPUT) or {}
    picked = element.get("selected_option") or {}
    found = element.get("value") or element.get("selected_date") or picked.get("value")
    return str(found or "").strip()


def read_intake(values: dict[str, Any]) -> tuple[q.Intake, dict[str, str]]:
    """The intake from the modal's state, and an error for an employee count that is no number."""
    entered = {name: value_of(values, block) for name, block in INTAKE_BLOCKS.items()}
    employees, errors = entered.pop("employees"), {}
    count: int | None = None
    try:
        count = int(float(employees)) if employees else None
    except ValueError:
        errors[ids.INTAKE_EMPLOYEES] = "Give the number of employees as a whole number."
    return q.Intake(employees=count, **entered), errors


def intake_submitted(deps: Deps) -> Listener:
    """Intake: field errors on their blocks, a known lead offered, otherwise the first question."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        intake, errors = read_intake(view["state"]["values"])
        problems = q.validate_intake(intake, deps.catalog)
        errors |= {INTAKE_BLOCKS[name]: message for name, message in problems.items()}
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user = body["user"]["id"]
        known = None
        if view.get("private_metadata") != "new":
            known = q.find_known_lead(uow=deps.uow, company=intake.company, email=intake.email)
        if known is not None:
            ack(response_action="update", view=known_offer(deps, intake, known))
            return
        ack()
        start_conversation(client, deps, intake, user, body["team"]["id"], lead_id=None)

    return listener


def known_offer(deps: Deps, intake: q.Intake, known: q.KnownLead) -> dict[str, Any]:
    """The modal offering to continue what Baton knows of the lead, or start afresh."""
    started = known.started_at.date() if known.started_at else None
    offer = deps.presenter.conversation.known_lead_offer(
        company=known.company, qualification_id=known.qualification_id or 0,
        qualified_by=known.bdr_user_id or "USLACKBOT",
        started_on=started or dt.datetime.now(dt.UTC).date(),
    )
    # Slack keeps 3,000 characters of metadata; a name that long is cut, not refused.
    kept = {k: text.clip(v, 400) if isinstance(v, str) else v for k, v in asdict(intake).items()}
    metadata = json.dumps({"lead_id": known.lead_id, "intake": kept}, ensure_ascii=False)
    return views.known_lead_modal(offer=offer, private_metadata=metadata)


def typed_submitted(deps: Deps) -> Listener:
    """A typed answer: an unreadable value is shown on its input, a good one moves on."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        meta = ids.TypedMetadata.unpack(view["private_metadata"])
        values, user = view["state"]["values"], body["user"]["id"]
        typed = value_of(values, ids.TYPED_DATE) or value_of(values, ids.TYPED_VALUE) or None
        try:
            move = q.answer(
                uow=deps.uow, catalog=deps.catalog, qualification_id=meta.qualification_id,
                bdr_user_id=user, criterion_key=meta.criterion, ask_key=meta.ask_key,
                typed=typed, notes=value_of(values, ids.TYPED_NOTES),
                default_channel=deps.settings.baton_sales_channel)
        except Refusal as refusal:
            ack(response_action="errors", errors=typed_errors(values, refusal))
            return
        ack()
        click = Clicked(ButtonValue(meta.qualification_id, meta.criterion), user, meta.channel,
                        meta.ts)
        show(deps, client, click, move)

    return listener


def typed_errors(values: dict[str, Any], refusal: Refusal) -> dict[str, str]:
    """An unreadable answer on its input; any other refusal on the first one."""
    if isinstance(refusal, InvalidAnswer):
        return {ids.TYPED_VALUE if ids.TYPED_VALUE in values else ids.TYPED_NOTES: str(refusal)}
    return {next(iter(values)): str(refusal)}


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
    """The form: unreadable typed values are shown on their inputs, otherwise the verdict."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values, user = view["state"]["values"], body["user"]["id"]
        try:
            judged = q.submit_form(
                uow=deps.uow, catalog=deps.catalog,
                qualification_id=int(view["private_metadata"]), bdr_user_id=user,
                answers=read_form(values), default_channel=deps.settings.baton_sales_channel)
        except FormInvalid as error:
            ack(response_action="errors", errors=form_errors(values, error.errors))
            return
        except Refusal as refusal:
            ack(response_action="errors", errors={next(iter(values)): str(refusal)})
            return
        ack()
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
