"""A definition version is its text and the question sets it judges with: edits under a stored
label are refused, verdicts judge by the version in force (or, re-judged, by their own), an
older version can be put back, and managers hear once a week when the review is due."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services.catalog import (
    Catalog,
    DefinitionError,
    apply_definition,
    catalog_of_version,
    current_definition,
    definition_history,
    edits_under_stored_label,
    put_back,
    remind_review,
)
from baton.services.qualification import FormAnswer, Judged
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts import correct_answers
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.tables import DefinitionVersion, EventLog, OutboxMessage, VerdictRecord
from tests.conftest import FRAMEWORKS, PROMPTS_DIR
from tests.services.conftest import BDR, STRONG_BANT, StartFn, acme, click, use

SHIPPED = (PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")
NEXT = SHIPPED.replace('version: "2026-Q4.3"', 'version: "2027-Q1.1"')
# In the next version an influencer no longer counts as authority.
STRICTER_BANT = {**FRAMEWORKS, "bant": FRAMEWORKS["bant"].replace(
    'value: "influencer", points: 15, meets: met',
    'value: "influencer", points: 0, meets: not_met')}
INFLUENCER = {**STRONG_BANT, "authority": "influencer"}
MANAGERS = ("U0MAX00001", "U0MAX00002")


def applied(uow: UnitOfWork, text: str = SHIPPED, frameworks: dict[str, str] = FRAMEWORKS,
            by: str = "priya") -> None:
    apply_definition(uow=uow, yaml_text=text, applied_by=by, frameworks=frameworks)


def judged(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str) -> Judged:
    step = start(acme(company=company))
    for key, choice in INFLUENCER.items():
        move = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(move, Judged)
    return move


def test_an_edited_question_set_under_a_stored_label_is_refused_naming_the_file(
    uow: UnitOfWork,
) -> None:
    applied(uow)
    with pytest.raises(DefinitionError) as refused:
        applied(uow, frameworks=STRICTER_BANT)
    assert str(refused.value) == (
        "frameworks/bant.yaml (edited) changed since definition 2026-Q4.3 was applied, and the "
        "question sets are part of the version; give definition.yaml a new version label (not "
        "2026-Q4.3) to apply them, or restore the files")
    stored = current_definition(uow=uow)
    assert stored is not None
    assert stored.frameworks == FRAMEWORKS


def test_an_added_or_removed_question_set_is_an_edit_too(uow: UnitOfWork) -> None:
    applied(uow)
    fewer = {key: text for key, text in FRAMEWORKS.items() if key != "anum"}
    more = {**FRAMEWORKS, "spiced": FRAMEWORKS["bant"]}
    with pytest.raises(DefinitionError, match=r"^frameworks/anum.yaml \(removed\) changed"):
        applied(uow, frameworks=fewer)
    with pytest.raises(DefinitionError, match=r"^frameworks/spiced.yaml \(added\) changed"):
        applied(uow, frameworks=more)


def test_the_check_names_each_file_edited_under_the_stored_label(
    uow: UnitOfWork, catalog: Catalog,
) -> None:
    import dataclasses

    applied(uow)
    assert edits_under_stored_label(uow=uow, catalog=catalog) == []
    edited = dataclasses.replace(catalog, framework_texts=STRICTER_BANT)
    assert edits_under_stored_label(uow=uow, catalog=edited) == [(
        "frameworks/bant.yaml", "edited since definition 2026-Q4.3 was applied, and the "
        "question sets are part of that version; give definition.yaml a new version label "
        "(not 2026-Q4.3) to apply it, or restore it")]
    relabelled = dataclasses.replace(catalog, framework_texts=STRICTER_BANT,
                                     definition_text=NEXT)
    relabelled = dataclasses.replace(relabelled, definition=relabelled.definition.model_copy(
        update={"version": "2027-Q1.1"}))
    assert edits_under_stored_label(uow=uow, catalog=relabelled) == []


def test_a_version_stored_before_versions_pinned_question_sets_adopts_the_current_ones(
    uow: UnitOfWork,
) -> None:
    applied(uow)
    with Session(uow.engine) as session, session.begin():
        session.execute(sa.update(DefinitionVersion).values(frameworks=None,
                                                            frameworks_checksum=None))
    again = apply_definition(uow=uow, yaml_text=SHIPPED, applied_by="baton",
                             frameworks=FRAMEWORKS)
    assert again.already_applied
    assert again.stored.frameworks == FRAMEWORKS
    with pytest.raises(DefinitionError, match="frameworks/bant.yaml"):
        applied(uow, frameworks=STRICTER_BANT)


def test_verdicts_judge_with_the_question_sets_of_the_version_in_force_not_the_files(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    uow = UnitOfWork(engine)
    applied(uow)
    before = judged(engine, catalog, start, "Acme Corp")
    applied(uow, text=NEXT, frameworks=STRICTER_BANT)
    # The files on disk (the `catalog`) still count an influencer as authority.
    after = judged(engine, catalog, start, "Globex")

    assert (before.verdict.sales_ready, before.verdict.definition_version) == (True, "2026-Q4.3")
    assert (after.verdict.sales_ready, after.verdict.definition_version) == (False, "2027-Q1.1")
    assert "authority" in {c.key for c in after.verdict.criteria if c.status == "not_met"}
    with Session(engine) as session:
        old = catalog_of_version(session=session, catalog=catalog, version="2026-Q4.3")
    assert old.framework_texts == FRAMEWORKS


def test_a_correction_re_judges_by_the_version_and_question_sets_of_its_verdict(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    uow = UnitOfWork(engine)
    applied(uow)
    first = judged(engine, catalog, start, "Acme Corp")
    applied(uow, text=NEXT, frameworks=STRICTER_BANT)

    corrected = use(engine, correct_answers, catalog=catalog,
                    presenter=HandoffViews(Renderer()), qualification_id=first.qualification_id,
                    bdr_user_id=BDR, answers={**{k: FormAnswer(choice=v) for k, v in
                                                 INFLUENCER.items()},
                                              "timeline": FormAnswer(choice="next_quarter")},
                    default_channel="C0SALES001")

    verdict = corrected.judged.verdict
    assert (verdict.sales_ready, verdict.definition_version) == (True, "2026-Q4.3")
    assert corrected.changed == ("Timeline",)
    with Session(engine) as session:
        versions = session.exec(select(VerdictRecord.definition_version)
                                .order_by(VerdictRecord.id)).all()  # type: ignore[arg-type]
    assert versions == ["2026-Q4.3", "2026-Q4.3"]


def test_an_older_version_put_back_is_in_force_recorded_and_judges_the_next_verdict(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    uow = UnitOfWork(engine)
    applied(uow)
    applied(uow, text=NEXT, frameworks=STRICTER_BANT, by="marcus")

    result = put_back(uow=uow, version="2026-Q4.3", by="priya")
    again = put_back(uow=uow, version="2026-Q4.3", by="priya")
    # Applying the newer one again (as a restart does) leaves the older one in force.
    reapplied = apply_definition(uow=uow, yaml_text=NEXT, applied_by="baton",
                                 frameworks=STRICTER_BANT)

    assert (result.previous, result.already_in_force) == ("2027-Q1.1", False)
    assert again.already_in_force
    assert (reapplied.already_applied, reapplied.in_force) == (True, "2026-Q4.3")
    move = judged(engine, catalog, start, "Initech")
    assert (move.verdict.sales_ready, move.verdict.definition_version) == (True, "2026-Q4.3")
    with Session(engine) as session:
        kinds = session.exec(select(EventLog.kind).order_by(EventLog.id)).all()  # type: ignore[arg-type]
    assert kinds.count("definition.put_back") == 1
    with pytest.raises(DefinitionError, match=r"^no version '1999' was ever applied \(applied: "
                                              r"2026-Q4.3, 2027-Q1.1\)$"):
        put_back(uow=uow, version="1999", by="priya")


def test_the_history_lists_each_version_its_periods_in_force_and_its_verdicts(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    uow = UnitOfWork(engine)
    applied(uow)
    judged(engine, catalog, start, "Acme Corp")
    applied(uow, text=NEXT, frameworks=STRICTER_BANT, by="marcus")
    judged(engine, catalog, start, "Globex")
    judged(engine, catalog, start, "Initech")
    put_back(uow=uow, version="2026-Q4.3", by="dana")

    first, second = definition_history(uow=uow)

    assert (first.version, first.applied_by, first.verdicts, first.in_force) == (
        "2026-Q4.3", "priya", 1, True)
    assert (second.version, second.applied_by, second.verdicts, second.in_force) == (
        "2027-Q1.1", "marcus", 2, False)
    assert [(p.cause, p.by) for p in first.periods] == [("applied", "priya"), ("put back", "dana")]
    assert first.periods[0].until == second.periods[0].since
    assert second.periods[0].until == first.periods[1].since
    assert first.periods[1].until is None


def _review_rows(engine: sa.Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key.startswith("review:"))  # type: ignore[attr-defined]
            .order_by(OutboxMessage.id)).all()  # type: ignore[arg-type]
    return [(row.payload["channel"], row.dedupe_key) for row in rows]


def test_managers_hear_once_a_week_from_the_review_date_even_with_two_processes(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    applied(UnitOfWork(engine))
    new_york = dt.timezone(dt.timedelta(hours=-5))

    def tick(day: int, hour: int = 10) -> bool:
        now = dt.datetime(2026, 12, day, hour, tzinfo=new_york) if day <= 31 else \
            dt.datetime(2027, 1, day - 31, hour, tzinfo=new_york)
        # A second process: its own unit of work on the same database.
        told = [remind_review(uow=UnitOfWork(engine), catalog=catalog, managers=MANAGERS,
                              now=now) for _ in range(2)]
        return all(told)

    assert not tick(30)  # the day before review_by
    assert not tick(31, hour=7)  # review day, before the working morning
    assert _review_rows(engine) == []
    assert tick(31)  # Thursday 31 December
    assert tick(32)  # Friday 1 January: the same ISO week
    assert _review_rows(engine) == [
        ("U0MAX00001", "review:2026-Q4.3:2026-W53:U0MAX00001"),
        ("U0MAX00002", "review:2026-Q4.3:2026-W53:U0MAX00002")]
    assert tick(35)  # Monday 4 January: a new week
    assert len(_review_rows(engine)) == 4
    with Session(engine) as session:
        text = session.exec(select(OutboxMessage)).first().payload["text"]  # type: ignore[union-attr]
    assert text.startswith(":calendar: The sales-ready lead definition 2026-Q4.3 was due for "
                           "review on Thu 31 Dec 2026 by Dana Whitfield, VP Marketing, ")


def test_a_version_whose_review_is_later_stops_the_reminders(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    uow = UnitOfWork(engine)
    applied(uow)
    applied(uow, text=NEXT.replace("review_by: 2026-12-31", "review_by: 2027-03-31"))
    now = dt.datetime(2027, 1, 4, 15, tzinfo=dt.UTC)
    assert not remind_review(uow=uow, catalog=catalog, managers=MANAGERS, now=now)
    assert _review_rows(engine) == []


def test_a_comment_or_spacing_in_a_question_set_is_not_an_edit(uow: UnitOfWork) -> None:
    applied(uow)
    commented = {**FRAMEWORKS, "bant": "# Read by the BDRs' team lead.\n"
                 + FRAMEWORKS["bant"].replace("points: 25, meets: met", "points:  25, meets: met")}
    again = apply_definition(uow=uow, yaml_text=SHIPPED, applied_by="priya", frameworks=commented)
    assert again.already_applied


def test_a_comment_in_the_definition_under_its_label_changes_nothing(uow: UnitOfWork) -> None:
    applied(uow)
    again = apply_definition(uow=uow, yaml_text="# Agreed at the October offsite.\n" + SHIPPED,
                             applied_by="priya", frameworks=FRAMEWORKS)
    assert again.already_applied
    assert again.stored.yaml_text == SHIPPED
