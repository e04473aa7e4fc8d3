"""Modals of the BDR's conversation: the typed answer and the all-questions form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk.models.views import View

from baton.domain.framework import AnswerKind, Choice, Criterion, Framework, Status
from baton.domain.lead import Answer, Lead
from baton.slack import ids, views
from baton.slack.render import Renderer

VIEWS = views.ConversationViews(Renderer())

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "frameworks"
SHIPPED = sorted(p.stem for p in PROMPTS.glob("*.yaml"))
NASTY = ["x" * 5000, "Acme <!channel> <@U123> & Sons", "شركة الأمل 🚀👩🏽‍💻 للتقنية 🇸🇦"]


def _framework(key: str) -> Framework:
    return Framework.model_validate(yaml.safe_load((PROMPTS / f"{key}.yaml").read_text()))


def _valid(view: dict[str, Any]) -> dict[str, Any]:
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    return view


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def _criterion(kind: AnswerKind, choices: bool = True) -> Criterion:
    options = (Choice(label="Yes", value="yes", points=5, meets=Status.MET),) if choices else ()
    return Criterion(key="k", title="Budget", question="Q?", kind=kind, choices=options)


def _typed(kind: AnswerKind) -> dict[str, dict[str, Any]]:
    view = VIEWS.typed_answer_modal(criterion=_criterion(kind), private_metadata="42|k",
                                    question="Is there budget at Acme <!channel>?")
    assert _valid(view)["callback_id"] == ids.TYPED_MODAL
    return _inputs(view)


def test_money_asks_for_an_amount_with_examples() -> None:
    element = _typed(AnswerKind.MONEY)[ids.TYPED_VALUE]["element"]
    assert element["placeholder"]["text"] == "$120k, 120,000 USD, 1.2M EUR"


def test_date_offers_a_datepicker_and_words() -> None:
    fields = _typed(AnswerKind.DATE)
    assert fields[ids.TYPED_DATE]["element"]["type"] == "datepicker"
    assert "next quarter" in fields[ids.TYPED_VALUE]["element"]["placeholder"]["text"]


@pytest.mark.parametrize(("kind", "element", "multiline"), [
    (AnswerKind.NUMBER, "number_input", None),
    (AnswerKind.TEXT, "plain_text_input", True),
    (AnswerKind.PERSON, "plain_text_input", False),
])
def test_each_kind_gets_its_input(kind: AnswerKind, element: str, multiline: bool | None) -> None:
    field = _typed(kind)[ids.TYPED_VALUE]["element"]
    assert field["type"] == element
    assert field.get("multiline") is multiline


def test_a_choice_question_takes_a_note_only_and_requires_it() -> None:
    fields = _typed(AnswerKind.CHOICE)
    assert list(fields) == [ids.TYPED_NOTES]
    assert fields[ids.TYPED_NOTES]["optional"] is False


@pytest.mark.parametrize("key", SHIPPED)
def test_form_has_an_input_for_every_question_of_each_shipped_framework(key: str) -> None:
    framework = _framework(key)
    view = _valid(VIEWS.form_modal(
        lead=Lead(company=NASTY[1]), framework=framework, private_metadata="42",
        questions={c.key: c.question.replace("{{ lead.company }}", NASTY[1])
                   for c in framework.criteria}))
    asked = {ids.parse_form_block(b)[1] for b in _inputs(view) if b != ids.FORM_NOTES}
    assert asked == set(framework.keys)


def test_form_selects_offer_the_choice_labels_and_keep_given_answers() -> None:
    bant = _framework("bant")
    view = VIEWS.form_modal(lead=Lead(company="Acme"), framework=bant, private_metadata="42",
                            questions={k: k for k in bant.keys},
                            answers={"authority": Answer(criterion="authority",
                                                         choice="influencer")})
    select = _inputs(view)[ids.form_block(ids.FORM_CHOICE, "authority")]["element"]
    assert [o["text"]["text"] for o in select["options"]] == [
        c.label for c in bant.criterion("authority").choices]
    assert select["initial_option"]["value"] == "influencer"


def test_a_framework_of_thirty_criteria_fits_in_one_form() -> None:
    criteria = tuple(_criterion(AnswerKind.DATE).model_copy(update={"key": f"c{i}"})
                     for i in range(30))
    big = Framework(key="big", name="Big", criteria=criteria)
    view = _valid(VIEWS.form_modal(lead=Lead(company="Acme"), framework=big,
                                   questions={k: k for k in big.keys}, private_metadata="1"))
    assert len(_inputs(view)) == 91


def test_form_refuses_a_criterion_without_its_question_text() -> None:
    bant = _framework("bant")
    with pytest.raises(ValueError, match="no question text given for need, timeline"):
        VIEWS.form_modal(lead=Lead(company="A"), framework=bant, private_metadata="1",
                         questions={"budget": "Q", "authority": "Q"})
