"""The BDR's conversation through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.errors import Closed, InvalidAnswer, NotYours
from baton.services.catalog import Catalog, apply_definition
from baton.services.qualification import (
    Asked,
    Duplicate,
    FormAnswer,
    Judged,
    current_step,
    finish,
    submit_form,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import (
    AnswerEntry,
    EventLog,
    Handoff,
    ProcessedRequest,
    Qualification,
    VerdictRecord,
)
from tests.conftest import FRAMEWORKS, PROMPTS_DIR
from tests.services.conftest import (
    BDR,
    OTHER_BDR,
    STRONG_BANT,
    StartFn,
    acme,
    click,
    count,
    use,
)


def test_strong_bant_lead_by_buttons_is_handed_to_the_routed_channel_once(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    assert (step.position, step.total, step.criterion.key) == (1, 4, "budget")
    assert "Acme Corp" in step.question
    progress = None
    for key, choice in STRONG_BANT.items():
        progress = click(engine, catalog, step.qualification_id, key, choice)
    assert progress is not None
    assert isinstance(progress, Judged)
    assert progress.clicked is not None
    assert progress.clicked.answer_text == "This quarter"
    finished = progress
    assert finished.verdict.sales_ready is True
    assert finished.verdict.definition_version == "2026-Q4.3"
    with Session(engine) as session:
        handoffs = session.exec(select(Handoff)).all()
    assert [(h.id, h.channel, h.routing_rule, h.status) for h in handoffs] == [
        (finished.handoff_id, "C0EMEA0001", "EMEA team", "pending")]
    assert count(engine, EventLog, EventLog.kind == "handoff.requested") == 1
    assert count(engine, VerdictRecord) == 1


def test_lead_no_rule_matches_goes_to_the_default_channel(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start(acme(region="NA", employees=120))
    for key, choice in STRONG_BANT.items():
        click(engine, catalog, step.qualification_id, key, choice)
    with Session(engine) as session:
        handoff = session.exec(select(Handoff)).one()
    assert (handoff.channel, handoff.routing_rule) == ("C0SALES001", None)


def test_weak_meddpicc_form_is_not_sales_ready_and_names_what_is_missing(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start(acme(framework="meddpicc"))
    weak = {"metrics": "rough", "economic_buyer": "not_identified", "implicated_pain": "minor",
            "champion": "unknown", "competition": "behind"}
    answers = {key: FormAnswer(choice=value) for key, value in weak.items()}
    finished = use(engine, submit_form, catalog=catalog, qualification_id=step.qualification_id,
                   bdr_user_id=BDR, answers=answers)
    assert finished.verdict.sales_ready is False
    missing = " ".join(finished.verdict.missing)
    for title in ("Economic buyer", "Implicated pain", "Champion"):
        assert title.lower() in missing.lower()
    assert finished.handoff_id is None
    assert count(engine, Handoff) == 0
    assert count(engine, AnswerEntry) == 5
    with Session(engine) as session:
        assert session.get(Qualification, step.qualification_id).status == "finished"


def test_form_with_a_bad_amount_names_the_field_and_stores_nothing(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    from baton.domain.errors import FormInvalid

    step = start()
    answers = {"budget": FormAnswer(typed="lots"), "need": FormAnswer(choice="urgent"),
               "authority": FormAnswer(choice="maybe")}
    with pytest.raises(FormInvalid) as raised:
        use(engine, submit_form, catalog=catalog, qualification_id=step.qualification_id,
            bdr_user_id=BDR, answers=answers)
    assert set(raised.value.errors) == {"budget", "authority"}
    assert "expected an amount" in raised.value.errors["budget"]
    assert count(engine, AnswerEntry) == 0


def test_typed_money_and_date_are_stored_normalised_with_what_was_typed(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    money = click(engine, catalog, step.qualification_id, "budget", typed="$120k")
    assert isinstance(money, Asked)
    assert "120,000" in money.clicked.answer_text
    click(engine, catalog, step.qualification_id, "authority", "decision_maker")
    click(engine, catalog, step.qualification_id, "need", "urgent")
    click(engine, catalog, step.qualification_id, "timeline", typed="March 2027")
    with Session(engine) as session:
        rows = {e.criterion_key: e for e in session.exec(select(AnswerEntry))}
    assert (rows["budget"].typed_value, rows["budget"].normalised_value) == ("$120k",
                                                                             "120000 USD")
    assert (rows["timeline"].typed_value, rows["timeline"].normalised_value) == ("March 2027",
                                                                                 "2027-03-31")


def test_a_bad_typed_answer_is_refused_and_a_corrected_one_on_the_same_message_is_kept(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    with pytest.raises(InvalidAnswer) as raised:
        click(engine, catalog, step.qualification_id, "budget", typed="lots", ask="D0DM:1.1")
    assert raised.value.criterion == "budget"
    assert "expected an amount" in str(raised.value)
    assert "'lots'" in str(raised.value)
    assert (count(engine, AnswerEntry), count(engine, ProcessedRequest)) == (0, 0)
    with pytest.raises(InvalidAnswer, match="Type an answer for Budget"):
        click(engine, catalog, step.qualification_id, "budget", typed="  ", ask="D0DM:1.1")
    fixed = click(engine, catalog, step.qualification_id, "budget", typed="$50k", ask="D0DM:1.1")
    assert not isinstance(fixed, Duplicate)
    assert isinstance(fixed, Asked)
    assert fixed.next.criterion.key == "authority"
    assert count(engine, AnswerEntry) == 1


def test_a_choice_the_question_does_not_offer_is_refused(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    with pytest.raises(InvalidAnswer, match="Budget has no answer 'plenty'"):
        click(engine, catalog, step.qualification_id, "budget", "plenty")
    assert count(engine, AnswerEntry) == 0


def test_the_same_question_message_clicked_twice_changes_nothing_the_second_time(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    first = click(engine, catalog, step.qualification_id, "budget", "approved", ask="D0DM:1.1")
    counts = [count(engine, table) for table in (AnswerEntry, EventLog, ProcessedRequest)]
    second = click(engine, catalog, step.qualification_id, "budget", "none", ask="D0DM:1.1")
    assert isinstance(first, Asked)
    assert second == Duplicate()
    assert [count(engine, table) for table in (AnswerEntry, EventLog, ProcessedRequest)] == counts
    with Session(engine) as session:
        assert session.exec(select(AnswerEntry)).one().choice == "approved"
        assert session.get(Qualification, step.qualification_id).current_index == 1


def test_only_the_bdr_who_started_it_can_answer(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    with pytest.raises(NotYours) as raised:
        click(engine, catalog, step.qualification_id, "budget", "approved", bdr=OTHER_BDR)
    assert str(raised.value) == f"Only <@{BDR}>, who started it, can answer this qualification."
    assert (count(engine, AnswerEntry), count(engine, ProcessedRequest)) == (0, 0)


def test_a_finished_qualification_is_closed_to_clicks(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start()
    done = use(engine, finish, catalog=catalog, qualification_id=step.qualification_id,
               bdr_user_id=BDR, ask_key="D0DM:1.1")
    assert isinstance(done, Judged)
    assert done.verdict.sales_ready is False
    with pytest.raises(Closed, match="This qualification of Acme Corp is finished"):
        click(engine, catalog, step.qualification_id, "budget", "approved", ask="D0DM:2.2")
    with pytest.raises(Closed):
        use(engine, current_step, catalog=catalog, qualification_id=step.qualification_id)
    with pytest.raises(Closed, match="no longer exists"):
        click(engine, catalog, 999_999, "budget", "approved")
    assert count(engine, AnswerEntry) == 0


def test_a_definition_applied_in_the_database_is_the_one_the_verdict_records(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    text = (PROMPTS_DIR / "definition.yaml").read_text()
    stricter = text.replace('version: "2026-Q4.3"', 'version: "2026-Q4.8"').replace(
        "must_meet: [need, authority]\n    min_score: 60",
        "must_meet: [need, authority]\n    min_score: 95")
    assert stricter.count("2026-Q4.8") == 1
    assert "min_score: 95" in stricter
    apply_definition(uow=UnitOfWork(engine), yaml_text=stricter, applied_by="U0OPS0001",
                     frameworks=FRAMEWORKS)
    step = start()
    answers = {"budget": "planned", "authority": "decision_maker", "need": "urgent",
               "timeline": "this_quarter"}
    for key, choice in answers.items():
        progress = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(progress, Judged)
    assert progress.verdict.definition_version == "2026-Q4.8"
    assert progress.verdict.sales_ready is False
    assert progress.min_score == 95
    with Session(engine) as session:
        record = session.exec(select(VerdictRecord)).one()
        qualification = session.get(Qualification, step.qualification_id)
    assert record.definition_version == qualification.definition_version == "2026-Q4.8"
    assert count(engine, Handoff) == 0


def test_the_framework_left_empty_is_the_default_of_the_definition_in_force(
    engine: sa.Engine, start: StartFn
) -> None:
    text = (PROMPTS_DIR / "definition.yaml").read_text()
    assert start(acme(framework="")).framework.key == "bant"
    changed = text.replace('version: "2026-Q4.3"', 'version: "2026-Q4.4"').replace(
        "default_framework: bant", "default_framework: meddpicc")
    apply_definition(uow=UnitOfWork(engine), yaml_text=changed, applied_by="U0OPS0001",
                     frameworks=FRAMEWORKS)
    step = start(acme(company="Globex", framework=""))
    assert (step.framework.key, step.total) == ("meddpicc", 8)


def test_a_typed_amount_below_the_minimum_is_judged_by_its_value(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    click(engine, catalog, qid, "budget", typed="$5k")
    for key in ("authority", "need", "timeline"):
        progress = click(engine, catalog, qid, key, STRONG_BANT[key])
    assert isinstance(progress, Judged)
    budget = next(c for c in progress.verdict.criteria if c.key == "budget")
    assert (budget.status, budget.points) == ("not_met", 0)
    assert "5,000" in budget.reason
