"""Builders of the intake modal and of the offer made for a lead Baton already knows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from baton.domain.fit import FitOption
from baton.services.crm import Looked
from baton.services.qualification import (
    HandoffFate,
    IntakeChoices,
    KnownLead,
    LastVerdict,
    OpenQualification,
)
from baton.slack import ids, text
from baton.slack.handoff_views import OUTCOMES
from baton.slack.render import Renderer
from baton.slack.views import check_metadata, user_id, when

_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
OTHER_HINT = ("Only with “Other…” picked above: type it as they said it, and the agreed "
              "definition judges it.")


@dataclass(frozen=True)
class FitInput:
    """A fit field of the intake: its pick-list and what its hints say."""

    label: str
    options: list[tuple[str, str]]
    hint: str
    other_hint: str
    placeholder: str


def _fit(label: str, agreed: tuple[FitOption, ...], unknown_blocks: bool,
         placeholder: str) -> FitInput:
    blank = ("keeps the lead from being sales-ready until it is known" if unknown_blocks
             else "leaves it out of the verdict")
    if not agreed:
        return FitInput(label, [], "The definition accepts any; leave it empty if you don't "
                        "know.", "", placeholder)
    options = [(o.value, o.label) for o in agreed]
    options += [(ids.FIT_UNKNOWN, "Don't know"), (ids.FIT_OTHER, "Other…")]
    return FitInput(label, options, f"“Don't know” {blank}.", OTHER_HINT, placeholder)


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _verdict(verdict: LastVerdict | None) -> str:
    if verdict is None:
        return "*Last verdict:* none yet."
    state = "Sales-ready" if verdict.sales_ready else "Not sales-ready"
    why = f" ({text.safe(verdict.disqualified, 300)})" if verdict.disqualified else ""
    return (f"*Last verdict:* {state}{why}, score {verdict.score} / 100, "
            f"{when(verdict.decided_at)}, by <@{user_id(verdict.bdr_user_id)}>.")


def _handoff(fate: HandoffFate) -> str:
    where = f"<#{fate.channel}>" if _CHANNEL.match(fate.channel) else "the sales channel"
    rep = f"<@{user_id(fate.rep)}>" if fate.rep else "a rep"
    said = {
        "pending": f"decided; the card is on its way to {where}",
        "posted": f"posted to {where}, not claimed yet",
        "claimed": f"claimed by {rep} in {where}",
        "accepted": f"accepted by {rep}",
        "rejected": f"rejected by {rep}: {text.safe(fate.reject_reason or 'no reason', 100)}",
        "released": f"released by {rep}, waiting in {where} for a new claim",
    }.get(fate.status, text.safe(fate.status, 50))
    if fate.status == "rejected" and fate.reject_comment:
        said += f" (“{text.safe(fate.reject_comment, 500)}”)"
    if fate.outcome:
        label = OUTCOMES.get(fate.outcome, fate.outcome).rstrip("…")
        reason = f": {text.safe(fate.outcome_reason, 300)}" if fate.outcome_reason else ""
        said += f". Outcome: {label}{reason}"
    return f"*Handoff:* {said}."


def _open(open_one: OpenQualification, user: str) -> str:
    state = "paused" if open_one.status == "paused" else "in progress"
    at = f"at {open_one.position} of {open_one.total}, started {_day(open_one.started_at)}"
    if open_one.bdr_user_id == user:
        return f"*Open:* your qualification of it is {state} ({at})."
    return (f"*Open:* <@{user_id(open_one.bdr_user_id)}> has a qualification of it {state} "
            f"({at}); only they can continue it.")


class IntakeViews:
    """The intake's builders, over the renderer the composition root built."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def intake_modal(self, *, company: str, choices: IntakeChoices,
                     private_metadata: str = "") -> dict[str, Any]:
        """The modal `/qualify [company]` opens: who the lead is, its fit, and the framework."""
        if choices.default_framework not in {key for key, _ in choices.frameworks}:
            raise ValueError(f"default framework {choices.default_framework!r} is not among "
                             "the frameworks")
        blocks = choices.unknown_blocks
        size = ("Leave it empty if you don't know: the lead cannot be sales-ready until its "
                "size is known." if blocks else "Leave it empty if you don't know.")
        opportunity = ("Yes rules the lead out: sales already works on it. “Don't know” does "
                       "not." if choices.open_opportunity_rules_out else None)
        return self.renderer.view(
            "intake.j2", company=company.strip(), frameworks=list(choices.frameworks),
            default_framework=choices.default_framework,
            industry=_fit("Industry", choices.industries, blocks, "Software, retail…"),
            region=_fit("Region", choices.regions, blocks, "EMEA, North America…"),
            employees_hint=size, opportunity_hint=opportunity,
            opportunity=[(ids.OPPORTUNITY_YES, "Yes"), (ids.OPPORTUNITY_NO, "No"),
                         (ids.OPPORTUNITY_UNKNOWN, "Don't know")],
            private_metadata=check_metadata(private_metadata))

    def known_lead_modal(self, *, known: KnownLead, user: str,
                         crm: Looked | None = None) -> dict[str, Any]:
        """What Baton (and the CRM) know of the lead, with Re-qualify, and Continue for the
        open one's BDR."""
        facts = [_verdict(known.verdict), *crm_facts(crm)]
        if known.handoff is not None:
            facts.append(_handoff(known.handoff))
        if known.open is not None:
            facts.append(_open(known.open, user))
        return self.renderer.view("known.j2", company=known.company, facts=facts,
                                  continuable=known.continuable_by(user),
                                  private_metadata=check_metadata(known.draft_id))


def crm_facts(looked: Looked | None) -> list[str]:
    """What the CRM said of the lead at intake, as lines of the intake's answer."""
    if looked is None:
        return []
    crm = looked.crm
    if looked.found is None:
        return [f"{text.mrkdwn_escape(looked.unanswered)}: the qualification goes on without "
                "it."] if looked.unanswered else []
    found = looked.found
    if not found.known:
        return [f"*Not in {crm} yet:* Baton adds the contact and company with the verdict."]
    said = [f"*In {crm}:* " + " · ".join(text.mrkdwn_escape(part) for part in (
        f"owner {found.owner}" if found.owner else "no owner",
        f"status {found.status}" if found.status else "",
        found.company_name) if part)]
    for deal in found.open_deals[:5]:
        amount = f", {deal.amount:,.0f}" if deal.amount is not None else ""
        named = text.mrkdwn_escape(f"{deal.name} ({deal.stage}{amount})")
        said.append(f"*Open deal:* {named}: already with sales, so this lead is not "
                    "sales-ready.")
    filled = {"industry": "industry", "region": "region", "employees": "employees"}
    shown = [f"{label} {getattr(looked.intake, name)}" for name, label in filled.items()
             if name in looked.filled]
    if shown:
        said.append(f"*Filled in from {crm}:* " + text.mrkdwn_escape(", ".join(shown)))
    if looked.unknown_industry:
        said.append(f"{crm}'s industry {text.mrkdwn_escape(looked.unknown_industry)} is none of "
                    "the definition's industries; ask sales ops to add it as an alias.")
    return said
