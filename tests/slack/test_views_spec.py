"""Every surface, for every shipped framework and hostile text, passes the Slack stand-in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from baton.domain.framework import Framework, Status
from baton.domain.lead import Lead
from baton.domain.verdict import CriterionResult, Verdict
from baton.slack import views
from baton.slack.intake_views import IntakeViews
from baton.slack.render import Renderer
from baton.standin.validation import validate_blocks, validate_view
from tests.slack.test_intake_views import CHOICES

VIEWS = views.ConversationViews(Renderer())
INTAKE = IntakeViews(Renderer())

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "frameworks"
FRAMEWORKS = [Framework.model_validate(yaml.safe_load(p.read_text()))
              for p in sorted(PROMPTS.glob("*.yaml"))]
WHEN = dt.datetime(2026, 5, 3, 9, 0, tzinfo=dt.UTC)


def _conversation(company: str) -> tuple[list[str], list[str]]:
    """Problems found in (messages, modals) of a whole conversation about `company`."""
    lead = Lead(company=company, contact_name=company, title=company)
    messages: list[str] = []
    modals = validate_view(INTAKE.intake_modal(company=company, choices=CHOICES))
    for framework in FRAMEWORKS:
        modals += validate_view(VIEWS.form_modal(
            lead=lead, framework=framework, questions=dict.fromkeys(framework.keys, company),
            private_metadata="1"))
        for position, criterion in enumerate(framework.criteria, start=1):
            messages += validate_blocks(VIEWS.question_message(
                qualification_id=1, lead=lead, framework=framework, criterion=criterion,
                question=company, position=position, total=len(framework.criteria)).blocks)
            modals += validate_view(VIEWS.typed_answer_modal(
                criterion=criterion, question=company, private_metadata="1",
                initial=company, notes=company))
    return messages, modals


def _endings(company: str) -> list[str]:
    lead = Lead(company=company, contact_name=company)
    result = CriterionResult(key="a", title="Budget", status=Status.MET, reason=company,
                             points=0, max_points=1, answer=company)
    verdict = Verdict(sales_ready=False, score=3, framework=company, definition_version=company,
                      criteria=(result,), missing=(company,) * 5, disqualified=company)
    return [
        *validate_blocks(VIEWS.verdict_message(lead=lead, verdict=verdict, min_score=60).blocks),
        *validate_blocks(VIEWS.answered_message(
            lead=lead, framework=FRAMEWORKS[0], question=company, answer=company,
            answered_by="U1AB", answered_at=WHEN, position=1, total=3, notes=company).blocks),
        *validate_blocks(VIEWS.resume_list(
            items=[views.Paused(i, company, company, 1, 2, WHEN) for i in range(70)]).blocks),
        *validate_blocks(VIEWS.closed_message(company=company).blocks),
    ]


@pytest.mark.parametrize("company", ["x" * 5000, "Acme <!channel> <@U123> & Sons",
                                     "شركة الأمل 🚀👩🏽‍💻 للتقنية 🇸🇦"])
def test_the_whole_conversation_is_accepted_by_slack(company: str) -> None:
    messages, modals = _conversation(company)
    assert messages == []
    assert modals == []
    assert _endings(company) == []
