"""What a modal gives, checked before the database is read, by the question sets loaded."""

from __future__ import annotations

import dataclasses

import pytest

from baton.domain.errors import FormInvalid, InvalidAnswer
from baton.services import qualification as q
from baton.services.catalog import Catalog


def test_an_unreadable_amount_is_refused_with_what_the_answer_would_have_said(
    catalog: Catalog,
) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        q.check_typed(catalog, "budget", "lots", notes="")

    assert raised.value.criterion == "budget"
    assert "expected an amount" in str(raised.value)


def test_nothing_typed_and_no_note_is_refused_as_answer_would(catalog: Catalog) -> None:
    with pytest.raises(InvalidAnswer, match="Pick an answer for Budget, or type one"):
        q.check_typed(catalog, "budget", None, notes="  ")


@pytest.mark.parametrize(("criterion", "typed", "notes"), [
    ("budget", "$120k", ""),
    ("budget", None, "Their CFO owns it"),
    ("no_such_criterion", "anything", ""),
])
def test_what_can_be_stored_or_only_the_qualification_can_judge_passes(
    catalog: Catalog, criterion: str, typed: str | None, notes: str
) -> None:
    q.check_typed(catalog, criterion, typed, notes)


def test_a_criterion_the_sets_ask_in_different_ways_is_left_to_the_qualification(
    catalog: Catalog,
) -> None:
    budget = catalog.frameworks["bant"].criteria[0]
    assert budget.key == "budget"
    frameworks = dict(catalog.frameworks)
    other = frameworks["gpct"]
    frameworks["gpct"] = other.model_copy(update={"criteria": [
        *other.criteria, budget.model_copy(update={"kind": "text"})]})
    mixed = dataclasses.replace(catalog, frameworks=frameworks)

    q.check_typed(mixed, "budget", "lots", notes="")


def test_the_form_names_each_field_its_framework_cannot_read(catalog: Catalog) -> None:
    answers = {"budget": q.FormAnswer(choice=None, typed="lots", notes=""),
               "need": q.FormAnswer(choice="real", typed=None, notes=""),
               "timeline": q.FormAnswer(choice="someday", typed=None, notes="")}

    with pytest.raises(FormInvalid) as raised:
        q.check_form(catalog, "bant", answers)

    assert sorted(raised.value.errors) == ["budget", "timeline"]


def test_a_form_whose_framework_the_sets_do_not_hold_is_left_to_the_qualification(
    catalog: Catalog,
) -> None:
    q.check_form(catalog, "", {"budget": q.FormAnswer(choice=None, typed="lots", notes="")})
