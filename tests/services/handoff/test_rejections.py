"""Rejection reasons come from the definition in force: offered in the form, kept as worded with
the criterion they blame and the version, and counted by criterion in the pipeline."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session

from baton.domain.definition_checks import check_definition
from baton.domain.errors import Refusal
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog
from baton.services.handoff import queue_pending_cards, reject_card, rejection_reasons
from baton.services.handoff.claims import claim
from baton.services.pipeline import summarise
from baton.services.unit_of_work import UnitOfWork
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.tables import Handoff
from tests.services.conftest import StartFn
from tests.services.handoff.test_follow_up import SAM, act, at, handed_off

CARDS = HandoffViews(Renderer())


def rejected(engine: sa.Engine, catalog: Catalog, handoff_id: int, reason: str) -> None:
    queue_pending_cards(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS)
    act(engine, 5, claim, handoff_id=handoff_id, rep_user_id=SAM)
    with freeze_time(at(10)):
        reject_card(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS,
                    handoff_id=handoff_id, rep_user_id=SAM, reason=reason, comment="")


def test_the_form_offers_the_definitions_reasons(engine: sa.Engine, catalog: Catalog) -> None:
    reasons = rejection_reasons(uow=UnitOfWork(engine), catalog=catalog)
    assert ("no_real_need", "no real need") in reasons
    assert reasons[-1] == ("other", "other")


def test_a_rejection_keeps_its_wording_criterion_and_version_and_counts_by_criterion(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    first, second, third = (handed_off(engine, catalog, start, name)
                            for name in ("Globex", "Initech", "Umbrella"))
    rejected(engine, catalog, first, "no_real_need")
    rejected(engine, catalog, second, "no_real_need")
    rejected(engine, catalog, third, "duplicate")

    with Session(engine) as session:
        row = session.get(Handoff, first)
    assert row is not None
    assert (row.reject_reason, row.reject_label, row.reject_criterion, row.reject_version) == (
        "no_real_need", "no real need", "need", catalog.definition.version)
    with freeze_time(at(60)):
        figures = summarise(uow=UnitOfWork(engine), period=parse_period(
            "today", now=at(60), tz="America/New_York")).figures
    assert figures.top_rejection_reasons[:2] == (("no real need", 2), ("duplicate", 1))
    assert figures.rejected_by_criterion == (("need", 2),)
    assert figures.rejected_by_version == ((catalog.definition.version, 3),)


def test_a_reason_the_definition_does_not_give_is_refused(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    handoff_id = handed_off(engine, catalog, start, "Globex")
    with pytest.raises(Refusal, match="Choose one of the reasons listed"):
        rejected(engine, catalog, handoff_id, "too_expensive")
    with Session(engine) as session:
        assert session.get(Handoff, handoff_id).status == "claimed"  # type: ignore[union-attr]


def test_duplicate_reasons_and_unknown_criteria_are_refused(catalog: Catalog) -> None:
    reasons = catalog.definition.model_dump(mode="json")["rejection_reasons"]
    reasons[1]["criterion"] = "budgett"
    reasons.append({"key": "other", "label": "something else"})
    broken = catalog.definition.model_validate(
        {**catalog.definition.model_dump(mode="json"), "rejection_reasons": reasons})
    problems = [(p.field, p.message) for p in check_definition(broken, catalog.frameworks)]
    assert ("rejection_reasons[7].key", "duplicate reason 'other', also rejection_reasons[6]"
            ) in problems
    assert any(field == "rejection_reasons[1].criterion" and message.startswith(
        "'budgett' is not a criterion of any framework") for field, message in problems)
