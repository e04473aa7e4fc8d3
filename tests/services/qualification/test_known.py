"""Known leads: found by company key or company domain, with their story; drafts used once."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session, select

from baton.domain.errors import QualificationError
from baton.domain.lifecycle import HandoffStatus
from baton.services.catalog import Catalog
from baton.services.qualification import (
    DraftGone,
    continue_open,
    find_known_lead,
    known_lead_offer,
    pause,
    requalify,
)
from baton.store.tables import Handoff, IntakeDraft, Lead, Outcome, Qualification
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


def found(engine: sa.Engine, catalog: Catalog, company: str, email: str = "") -> str | None:
    known = use(engine, find_known_lead, catalog=catalog, company=company, email=email)
    return known.company if known else None


@pytest.mark.parametrize(("typed", "email"), [
    ("ACME, Inc.", ""), ("The Acme Corp", ""), ("acme ltd", ""), ("Acme GmbH", ""),
    ("Somebody Else", "jo@acme.example"), ("Somebody Else", "jo@ACME.example"),
])
def test_a_lead_is_known_by_its_company_key_or_its_company_domain(
    engine: sa.Engine, catalog: Catalog, start: StartFn, typed: str, email: str
) -> None:
    start(acme(company="Acme Corp", email="dana@acme.example"))

    assert found(engine, catalog, typed, email) == "Acme Corp"


def test_free_mail_and_different_companies_are_not_the_same_lead(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    start(acme(company="Acme Corp", email="dana.acme@gmail.com"))

    assert found(engine, catalog, "Globex", "jo@gmail.com") is None
    assert found(engine, catalog, "Acme Rockets", "") is None
    assert found(engine, catalog, "Globex", "dana.acme@gmail.com") == "Acme Corp"


def test_the_lookup_uses_the_indexes_not_a_scan(engine: sa.Engine) -> None:
    key, domain = Lead.company_key == "acme", Lead.company_domain == "acme.example"
    query = select(Lead).where(sa.or_(key, domain, Lead.email == "jo@acme.example"))
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # An empty table is cheapest to scan; asked not to, the planner shows what it can use.
            connection.exec_driver_sql("SET enable_seqscan = off")
            explain = f"EXPLAIN {compiled}"
        else:
            explain = f"EXPLAIN QUERY PLAN {compiled}"
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(explain))
    assert "ix_lead_company_key" in plan
    assert "ix_lead_company_domain" in plan
    assert "SCAN lead" not in plan
    assert "Seq Scan" not in plan


def test_the_offer_tells_the_last_verdict_and_what_became_of_the_handoff(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    for key, choice in STRONG_BANT.items():
        click(engine, catalog, qid, key, choice)
    with Session(engine) as session:
        handoff = session.exec(select(Handoff)).one()
        handoff.status, handoff.claimed_by = HandoffStatus.REJECTED, "U0REP0001"
        handoff.reject_reason, handoff.reject_comment = "no_budget", "Frozen until Q3"
        session.add(Outcome(handoff_id=handoff.id or 0, kind="lost", reason="went elsewhere",
                            recorded_by="U0REP0001"))
        session.add(handoff)
        session.commit()

    known = use(engine, find_known_lead, catalog=catalog, company="acme", email="")

    assert known.verdict is not None
    assert (known.verdict.sales_ready, known.verdict.bdr_user_id) == (True, BDR)
    assert known.verdict.score >= 60
    assert known.handoff is not None
    assert (known.handoff.status, known.handoff.rep, known.handoff.reject_reason,
            known.handoff.reject_comment, known.handoff.outcome,
            known.handoff.outcome_reason) == ("rejected", "U0REP0001", "no budget",
                                              "Frozen until Q3", "lost", "went elsewhere")
    assert known.open is None


def test_another_bdrs_open_qualification_is_named_not_continuable(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    theirs = start(bdr=OTHER_BDR).qualification_id

    known = use(engine, find_known_lead, catalog=catalog, company="Acme Corp", email="",
                bdr_user_id=BDR)

    assert known.open is not None
    assert (known.open.qualification_id, known.open.bdr_user_id) == (theirs, OTHER_BDR)
    assert not known.continuable_by(BDR)


def offer(engine: sa.Engine, catalog: Catalog, bdr: str = BDR, **changes: object) -> str:
    known = use(engine, known_lead_offer, catalog=catalog, intake=acme(**changes),
                bdr_user_id=bdr)
    assert known is not None
    assert known.draft_id
    return str(known.draft_id)


def test_requalify_starts_a_new_qualification_with_the_intake_just_entered_once(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    first = start()
    draft = offer(engine, catalog, title="Chief Revenue Officer", open_opportunity=True)

    step = use(engine, requalify, catalog=catalog, draft_id=draft, bdr_user_id=BDR,
               team_id="T0TEAM001")

    assert step.qualification_id != first.qualification_id
    assert (step.lead.title, step.lead.open_opportunity) == ("Chief Revenue Officer", True)
    assert count(engine, Lead) == 1
    with pytest.raises(DraftGone):
        use(engine, requalify, catalog=catalog, draft_id=draft, bdr_user_id=BDR,
            team_id="T0TEAM001")
    assert count(engine, Qualification) == 2


def test_a_draft_is_only_its_makers_and_only_for_a_day(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    start()
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=2)):
        stale = offer(engine, catalog)
    draft = offer(engine, catalog)

    for draft_id, user in [(draft, OTHER_BDR), (stale, BDR), ("no-such-draft", BDR)]:
        with pytest.raises(DraftGone, match="expired or was already used"):
            use(engine, requalify, catalog=catalog, draft_id=draft_id, bdr_user_id=user,
                team_id="T0TEAM001")
    assert count(engine, IntakeDraft) == 1  # the stale one went when the next was kept


def test_continue_resumes_the_bdrs_own_paused_qualification(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    qid = start().qualification_id
    click(engine, catalog, qid, "budget", "approved")
    use(engine, pause, catalog=catalog, qualification_id=qid, bdr_user_id=BDR,
        ask_key=f"{DM}:2")

    step = use(engine, continue_open, catalog=catalog, draft_id=offer(engine, catalog),
               bdr_user_id=BDR)

    assert (step.qualification_id, step.position, step.criterion.key) == (qid, 2, "authority")
    with Session(engine) as session:
        assert session.get(Qualification, qid).status == "in_progress"


def test_continue_is_refused_without_an_open_qualification_of_ones_own(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    start(bdr=OTHER_BDR)
    draft = offer(engine, catalog)

    with pytest.raises(QualificationError, match="no qualification of this lead open"):
        use(engine, continue_open, catalog=catalog, draft_id=draft, bdr_user_id=BDR)
    assert count(engine, IntakeDraft) == 1  # still there for Re-qualify
