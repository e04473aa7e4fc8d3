"""Moving through the questions: skip, back, pause, resume, notes, known leads, races."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.errors import Closed, FormInvalid
from baton.services.catalog import Catalog
from baton.services.qualification import (
    Answered,
    Asked,
    Duplicate,
    FormAnswer,
    Move,
    Paused,
    Step,
    StillOpen,
    add_note,
    answer,
    attach_conversation,
    back,
    find_known_lead,
    pause,
    paused_qualifications,
    resume_qualification,
    skip,
    start_qualification,
    submit_form,
    validate_intake,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, EventLog, Handoff, Note, Qualification, VerdictRecord
from tests.services.conftest import (
    BDR,
    DM,
    OTHER_BDR,
    STRONG_BANT,
    StartFn,
    acme,
    click,
    count,
    use,
)


def step_of(move: Move) -> Step:
    """The question a move leaves the BDR on."""
    assert isinstance(move, Asked | StillOpen)
    return move.next if isinstance(move, Asked) else move.step


def nav(engine: sa.Engine, catalog: Catalog, service: Any, qid: int, ask: str) -> Move:
    return use(engine, service, catalog=catalog, qualification_id=qid, bdr_user_id=BDR,
               ask_key=ask)


def test_skip_back_pause_and_resume_keep_every_answer(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    click(engine, catalog, qid, "budget", "approved")
    click(engine, catalog, qid, "authority", "influencer")
    skipped = nav(engine, catalog, skip, qid, "D0DM:3")
    assert isinstance(skipped, Asked)
    assert isinstance(skipped.clicked, Answered)
    assert skipped.clicked.answer_text == "Skipped"
    assert (skipped.next.criterion.key, skipped.next.position) == ("timeline", 4)
    again = nav(engine, catalog, back, qid, "D0DM:4")
    assert isinstance(again, Asked | StillOpen)
    assert (step_of(again).criterion.key, step_of(again).current_answer) == ("need", None)
    earlier = nav(engine, catalog, back, qid, "D0DM:5")
    assert isinstance(earlier, Asked | StillOpen)
    assert step_of(earlier).current_answer == "They influence the decision"
    paused = use(engine, pause, catalog=catalog, qualification_id=qid, bdr_user_id=BDR,
                 ask_key="D0DM:6")
    assert isinstance(paused, Paused)
    items = use(engine, paused_qualifications, catalog=catalog, bdr_user_id=BDR)
    assert [(i.qualification_id, i.company, i.framework, i.position, i.total)
            for i in items] == [(qid, "Acme Corp", "BANT", 2, 4)]
    resumed = use(engine, resume_qualification, catalog=catalog, qualification_id=qid,
                  bdr_user_id=BDR)
    assert (resumed.criterion.key, resumed.position) == ("authority", 2)
    assert use(engine, paused_qualifications, catalog=catalog, bdr_user_id=BDR) == []
    with Session(engine) as session:
        current = {e.criterion_key: e.choice for e in session.exec(select(AnswerEntry))}
    assert current == {"budget": "approved", "authority": "influencer"}
    kinds = ["question.skipped", "question.back", "qualification.paused",
             "qualification.resumed"]
    assert [count(engine, EventLog, EventLog.kind == kind) for kind in kinds] == [1, 2, 1, 1]


def test_back_then_a_new_answer_supersedes_the_old_one_and_keeps_it(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    click(engine, catalog, qid, "budget", "none")
    nav(engine, catalog, back, qid, "D0DM:2")
    corrected = click(engine, catalog, qid, "budget", "approved", ask="D0DM:3")
    assert isinstance(corrected, Asked)
    assert corrected.next.criterion.key == "authority"
    with Session(engine) as session:
        rows = session.exec(select(AnswerEntry).order_by(AnswerEntry.id)).all()
    assert [(r.choice, r.is_current) for r in rows] == [("none", False), ("approved", True)]
    assert rows[0].superseded_at is not None
    assert rows[1].superseded_at is None


def test_notes_in_the_thread_are_stored_on_the_current_question(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    use(engine, attach_conversation, qualification_id=qid, dm_channel=DM,
        thread_ts="1700000000.000100")
    click(engine, catalog, qid, "budget", "approved")

    def note(thread_ts: str = "1700000000.000100", text: str = "Board meets in March") -> bool:
        return use(engine, add_note, catalog=catalog, dm_channel=DM,
                   thread_ts=thread_ts, author=BDR, text=text)

    assert note() is True
    assert note(thread_ts="1700000000.999999") is False
    assert note(text="   ") is False
    with Session(engine) as session:
        notes = session.exec(select(Note)).all()
    assert [(n.qualification_id, n.criterion_key, n.text, n.author) for n in notes] == [
        (qid, "authority", "Board meets in March", BDR)]


def test_a_known_lead_is_found_by_company_whatever_the_case_or_by_email(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    by_name = use(engine, find_known_lead, catalog=catalog, company="  aCME corp ", email="",
                  bdr_user_id=BDR)
    assert by_name is not None
    assert by_name.company == "Acme Corp"
    assert by_name.open is not None
    assert (by_name.open.qualification_id, by_name.open.bdr_user_id, by_name.open.status) == (
        qid, BDR, "in_progress")
    assert by_name.continuable_by(BDR)
    assert not by_name.continuable_by(OTHER_BDR)
    by_email = use(engine, find_known_lead, catalog=catalog, company="Globex",
                   email=" Dana@Acme.example ")
    assert by_email is not None
    assert by_email.lead_id == by_name.lead_id
    assert use(engine, find_known_lead, catalog=catalog, company="Globex", email="") is None
    assert use(engine, find_known_lead, catalog=catalog, company="", email="") is None


def test_start_new_on_a_known_lead_reuses_it(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    first = start()
    known = use(engine, find_known_lead, catalog=catalog, company="Acme Corp", email="")
    second = use(engine, start_qualification, catalog=catalog, intake=acme(title="CRO"),
                 bdr_user_id=BDR, team_id="T0TEAM001", lead_id=known.lead_id)
    assert second.qualification_id != first.qualification_id
    assert second.lead.title == "CRO"
    with Session(engine) as session:
        leads = {q.lead_id for q in session.exec(select(Qualification))}
    assert leads == {known.lead_id}


def test_paused_qualifications_lists_only_that_bdrs(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    mine = start().qualification_id
    theirs = start(acme(company="Globex"), bdr=OTHER_BDR).qualification_id
    use(engine, pause, catalog=catalog, qualification_id=mine, bdr_user_id=BDR,
        ask_key="D0DM:1")
    use(engine, pause, catalog=catalog, qualification_id=theirs, bdr_user_id=OTHER_BDR,
        ask_key="D0DM:2")
    listed = use(engine, paused_qualifications, catalog=catalog, bdr_user_id=BDR)
    assert [(i.qualification_id, i.company) for i in listed] == [(mine, "Acme Corp")]


def test_intake_errors_name_each_field(catalog: Catalog) -> None:
    bad = acme(company="  ", contact_name="", email="dana-at-acme", framework="spin")
    errors = validate_intake(bad, catalog)
    assert set(errors) == {"company", "contact_name", "email", "framework"}
    assert "'dana-at-acme'" in errors["email"]
    assert "bant" in errors["framework"]
    assert validate_intake(acme(email="", framework=""), catalog) == {}


def test_starting_with_a_bad_intake_stores_nothing(
    engine: sa.Engine, catalog: Catalog
) -> None:
    with pytest.raises(FormInvalid) as raised:
        use(engine, start_qualification, catalog=catalog, intake=acme(title=""),
            bdr_user_id=BDR, team_id="T0TEAM001")
    assert set(raised.value.errors) == {"title"}
    assert count(engine, Qualification) == 0


def test_four_workers_answering_the_same_message_at_once_store_one_answer(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    barrier = threading.Barrier(4)
    results: list[Move] = []

    def answer_once(choice: str) -> None:
        barrier.wait()
        results.append(answer(uow=UnitOfWork(engine), catalog=catalog, qualification_id=qid,
                              bdr_user_id=BDR, criterion_key="budget", choice=choice,
                              ask_key="D0DM:1700000000.000200"))

    threads = [threading.Thread(target=answer_once, args=(choice,))
               for choice in ("approved", "planned", "none", "unknown")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(isinstance(r, Duplicate) for r in results) == [False, True, True, True]
    assert count(engine, AnswerEntry) == 1
    with Session(engine) as session:
        assert session.get(Qualification, qid).current_index == 1


def test_a_company_written_in_capitals_outside_ascii_is_found_again(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    start(acme(company="ÉCOLE Normale"))
    found = use(engine, find_known_lead, catalog=catalog, company=" ÉCOLE normale ", email="")
    assert found is not None
    assert found.company == "ÉCOLE Normale"


def test_the_same_form_submitted_twice_at_once_gives_one_verdict(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    form = {key: FormAnswer(choice=value) for key, value in STRONG_BANT.items()}
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def submit() -> None:
        barrier.wait()
        try:
            submit_form(uow=UnitOfWork(engine), catalog=catalog, qualification_id=qid,
                        bdr_user_id=BDR, answers=form)
            outcomes.append("finished")
        except Closed:
            outcomes.append("closed")

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed", "closed", "finished"]
    assert (count(engine, VerdictRecord), count(engine, Handoff), count(engine, AnswerEntry)) == (
        1, 1, 4)
