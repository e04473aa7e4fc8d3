"""The intake: `/qualify`'s modal submitted, and the offer made for a lead Baton already knows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from baton.domain.errors import Refusal
from baton.services import qualification as q
from baton.services.crm import look_up_intake
from baton.slack import ids
from baton.slack.acks import deferred
from baton.slack.intake_views import crm_facts
from baton.slack.listeners.conversation import start_conversation
from baton.slack.listeners.resume import ask_in_dm
from baton.slack.listeners.views import value_of
from baton.slack.translator import sentence

if TYPE_CHECKING:
    from baton.slack.listeners import Deps

Listener = Callable[..., None]
Take = Callable[["Deps", str, str, str], q.Step]
TEXT_BLOCKS = {
    "company": ids.INTAKE_COMPANY, "contact_name": ids.INTAKE_CONTACT,
    "title": ids.INTAKE_TITLE, "email": ids.INTAKE_EMAIL, "source": ids.INTAKE_SOURCE,
    "framework": ids.INTAKE_FRAMEWORK,
}
INTAKE_BLOCKS = TEXT_BLOCKS | {"employees": ids.INTAKE_EMPLOYEES}
OPPORTUNITY = {ids.OPPORTUNITY_YES: True, ids.OPPORTUNITY_NO: False}
QUALIFY_TITLE = "Qualify a lead"
STARTED = "Done: the questions are in your DM with Baton."


def register(app: App, deps: Deps) -> None:
    """Wire the intake's submission and the known-lead offer's buttons."""
    app.view(ids.INTAKE_MODAL)(intake_submitted(deps))
    app.action(ids.KNOWN_REQUALIFY)(offer_taken(deps, requalify))
    app.action(ids.KNOWN_CONTINUE)(offer_taken(deps, continue_open))


def read_fit(values: dict[str, Any], picked_block: str, other_block: str,
             label: str) -> tuple[str, dict[str, str]]:
    """An industry or region: the agreed value picked, what was typed under Other…, or ""."""
    picked, typed = value_of(values, picked_block), value_of(values, other_block)
    if picked_block not in values:  # no pick-list: the definition accepts any value
        return typed, {}
    if picked == ids.FIT_OTHER:
        if typed:
            return typed, {}
        return "", {other_block: f"Type the {label} here, or pick one from the list above."}
    if typed:
        # Which of the two was meant cannot be told, and a guess could misjudge the lead.
        return "", {other_block: "You also picked one from the list above: clear this box, "
                                 "or pick “Other…” to use what you typed."}
    return ("" if picked == ids.FIT_UNKNOWN else picked), {}


def read_intake(values: dict[str, Any]) -> tuple[q.Intake, dict[str, str]]:
    """The intake from the modal's state, and errors of fields that cannot be read as given."""
    entered = {name: value_of(values, block) for name, block in TEXT_BLOCKS.items()}
    industry, errors = read_fit(values, ids.INTAKE_INDUSTRY, ids.INTAKE_INDUSTRY_OTHER,
                                "industry")
    region, region_errors = read_fit(values, ids.INTAKE_REGION, ids.INTAKE_REGION_OTHER,
                                     "region")
    errors |= region_errors
    employees, count = value_of(values, ids.INTAKE_EMPLOYEES), None
    try:
        count = int(float(employees)) if employees else None
    except (ValueError, OverflowError):
        errors[ids.INTAKE_EMPLOYEES] = "Give the number of employees as a whole number."
    opportunity = OPPORTUNITY.get(value_of(values, ids.INTAKE_OPEN_OPPORTUNITY))
    return q.Intake(industry=industry, region=region, employees=count,
                    open_opportunity=opportunity, **entered), errors


def intake_submitted(deps: Deps) -> Listener:
    """Intake: field errors on their blocks; otherwise acknowledged at once with the modal saying
    Baton is looking, which then offers a known lead or says the questions are in the DM."""

    @deferred
    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        intake, errors = read_intake(view["state"]["values"])
        problems = q.validate_intake(intake, deps.catalog)
        errors |= {INTAKE_BLOCKS[name]: message for name, message in problems.items()}
        if errors:
            ack(response_action="errors", errors=errors)
            return
        modals = deps.presenter.conversation
        where = f" and in {deps.crm.crm.name}" if deps.crm is not None else ""
        ack(response_action="update", view=modals.notice_modal(
            title=QUALIFY_TITLE, body=f"Looking for {intake.company} among the leads Baton "
                                      f"knows{where}… The questions will come in your DM "
                                      "with Baton."))
        looked = None
        if deps.crm is not None:
            looked = look_up_intake(crm=deps.crm.crm, uow=deps.uow, catalog=deps.catalog,
                                    intake=intake, timeout=deps.crm.lookup_seconds)
            intake = looked.intake
        known = q.known_lead_offer(uow=deps.uow, catalog=deps.catalog, intake=intake,
                                   bdr_user_id=user)
        if known is not None:
            offer = deps.presenter.intake.known_lead_modal(known=known, user=user, crm=looked)
            client.views_update(view_id=view["id"], view=offer)
            return
        start_conversation(client, deps, intake, user, body["team"]["id"], lead_id=None)
        client.views_update(view_id=view["id"], view=modals.notice_modal(
            title=QUALIFY_TITLE, body=STARTED, facts=crm_facts(looked)))

    return listener


def requalify(deps: Deps, draft_id: str, user: str, team: str) -> q.Step:
    return q.requalify(uow=deps.uow, catalog=deps.catalog, draft_id=draft_id,
                       bdr_user_id=user, team_id=team)


def continue_open(deps: Deps, draft_id: str, user: str, _team: str) -> q.Step:
    return q.continue_open(uow=deps.uow, catalog=deps.catalog, draft_id=draft_id,
                           bdr_user_id=user)


def offer_taken(deps: Deps, take: Take) -> Listener:
    """Re-qualify or Continue: the questions go to the DM; a refusal is told on the modal."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, view = body["user"]["id"], body.get("view") or {}
        told = STARTED
        try:
            step = take(deps, str(view.get("private_metadata", "")), user, body["team"]["id"])
        except Refusal as refusal:
            told = sentence(refusal)
        else:
            ask_in_dm(client, deps, user, step)
        notice = deps.presenter.conversation.notice_modal(title=QUALIFY_TITLE, body=told)
        client.views_update(view_id=view.get("id", ""), view=notice)

    return listener

