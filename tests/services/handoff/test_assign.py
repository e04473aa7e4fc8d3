"""Leads given to reps without a claim: the routing rule's weighted round robin (reps away or at
their cap skipped, said in the card's thread) and the account's owner; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.assignment import Assignment
from baton.domain.errors import Refusal
from baton.services.catalog import Catalog
from baton.services.handoff import (
    away_status,
    come_back,
    go_away,
    move_expired_assignments,
    queue_pending_cards,
    state_of,
)
from baton.services.handoff.claims import accept, claim
from baton.services.qualification import Judged
from baton.services.unit_of_work import UnitOfWork
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.store.tables import Handoff, OutboxMessage
from baton.store.types import utcnow
from tests.services.conftest import STRONG_BANT, StartFn, acme, click

CARDS = HandoffViews(Renderer())
ANA, BEN, CAI = "U0ANA0001", "U0BEN0001", "U0CAI0001"
TODAY = dt.date(2026, 12, 7)


def assigning(catalog: Catalog, **assign: Any) -> Catalog:
    """The shipped prompts with the EMEA team's rule assigning as given."""
    definition = catalog.definition
    routing = tuple(
        rule.model_copy(update={"assign": Assignment.model_validate(assign)})
        if rule.name == "EMEA team" else rule for rule in definition.routing)
    return dataclasses.replace(catalog, definition=definition.model_copy(
        update={"routing": routing}))


def hand_off(engine: sa.Engine, catalog: Catalog, start: StartFn, company: str,
             **intake: Any) -> int:
    slug = "".join(letter for letter in company.lower() if letter.isalnum())
    step = start(acme(company=company, email=f"jo@{slug}.example", **intake))
    for key, choice in STRONG_BANT.items():
        move = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(move, Judged)
    assert move.handoff_id is not None
    queue_pending_cards(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS,
                        members_of=lambda group: [BEN, CAI] if group == "S0EMEAREPS" else [])
    return move.handoff_id


def owner_of(engine: sa.Engine, handoff_id: int) -> str | None:
    with Session(engine) as session:
        return session.get(Handoff, handoff_id).claimed_by  # type: ignore[union-attr]


def thread_note(engine: sa.Engine, handoff_id: int) -> str:
    with Session(engine) as session:
        row = session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"assigned:{handoff_id}")).one()
    return str(row.payload["text"])


def test_round_robin_names_the_next_rep_by_weight_on_the_card_and_in_its_thread(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN, CAI],
                         weights={ANA: 2})
    handoffs = [hand_off(engine, rotating, start, f"Lead{n}") for n in range(8)]

    owners = [owner_of(engine, h) for h in handoffs]
    assert owners == [ANA, BEN, CAI, ANA, ANA, BEN, CAI, ANA]
    with Session(engine) as session:
        state = state_of(session=session, handoff_id=handoffs[0])
        card = session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"card:{handoffs[0]}")).one()
    assert (state.status, state.owner, state.assigned_by) == ("claimed", ANA, "round_robin")
    assert f"*Assigned to <@{ANA}>* by round robin: accept it, or release it to the channel." in (
        str(card.payload["blocks"]))
    assert thread_note(engine, handoffs[1]) == (
        f":bust_in_silhouette: Assigned to <@{BEN}> by round robin.")


def test_a_rep_away_gets_none_and_the_thread_says_so_until_they_are_back(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    uow = UnitOfWork(engine)
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN])
    go_away(uow=uow, user=ANA, until=dt.date(2099, 12, 7), today=TODAY)

    first = hand_off(engine, rotating, start, "Globex")
    second = hand_off(engine, rotating, start, "Initech")
    assert come_back(uow=uow, user=ANA)
    third = hand_off(engine, rotating, start, "Umbrella")

    assert [owner_of(engine, h) for h in (first, second, third)] == [BEN, BEN, ANA]
    assert thread_note(engine, first) == (
        f":bust_in_silhouette: Assigned to <@{BEN}> by round robin. "
        f"Skipped <@{ANA}>: away until Mon 7 Dec.")
    assert not come_back(uow=uow, user=ANA)
    assert not away_status(uow=uow, user=ANA, today=TODAY).away


def test_away_until_a_day_that_has_passed_is_refused(engine: sa.Engine) -> None:
    with pytest.raises(Refusal, match="has passed"):
        go_away(uow=UnitOfWork(engine), user=ANA, until=dt.date(2026, 12, 1), today=TODAY)
    status = go_away(uow=UnitOfWork(engine), user=ANA, until=None, today=TODAY)
    assert (status.away, status.until) == (True, None)


def test_a_rep_at_the_cap_is_skipped_until_they_accept(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN], max_open=1)
    first = hand_off(engine, rotating, start, "Globex")  # Ana, now at her cap
    second = hand_off(engine, rotating, start, "Initech")  # Ben, at his cap too
    third = hand_off(engine, rotating, start, "Umbrella")  # nobody: first to claim
    with UnitOfWork(engine).writing() as session:
        accept(session=session, handoff_id=first, rep_user_id=ANA, now=utcnow())
    fourth = hand_off(engine, rotating, start, "Hooli")

    assert [owner_of(engine, h) for h in (first, second, third, fourth)] == [
        ANA, BEN, None, ANA]
    assert thread_note(engine, third).startswith(
        ":warning: Nobody in this rule's rotation can take this lead now (skipped "
        f"<@{ANA}>: at the cap of 1 leads not yet accepted; <@{BEN}>: at the cap")
    with UnitOfWork(engine).writing() as session:
        assert claim(session=session, handoff_id=third, rep_user_id=CAI, now=utcnow()).won


def test_a_user_group_takes_turns_by_its_members(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    rotating = assigning(catalog, mode="round_robin", members=["S0EMEAREPS"])
    owners = [owner_of(engine, hand_off(engine, rotating, start, f"Lead{n}")) for n in range(4)]
    assert owners == [BEN, CAI, BEN, CAI]


def test_the_account_owner_gets_the_company_again_else_the_fallback(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    owned = assigning(catalog, mode="owner", fallback="round_robin", members=[BEN])
    first = hand_off(engine, owned, start, "Globex")  # nobody owns Globex: Ben by rotation
    with UnitOfWork(engine).writing() as session:
        session.execute(sa.update(Handoff).where(Handoff.id == first)  # type: ignore[arg-type]
                        .values(claimed_by=CAI))
    again = hand_off(engine, owned, start, "Globex Inc.")  # the same company, another spelling

    assert owner_of(engine, first) == CAI
    assert owner_of(engine, again) == CAI
    assert thread_note(engine, again) == (
        f":bust_in_silhouette: Assigned to <@{CAI}> as the account's owner.")


def test_claim_mode_leaves_the_card_to_the_first_claim(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    handoff_id = hand_off(engine, catalog, start, "Globex")
    assert owner_of(engine, handoff_id) is None
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"assigned:{handoff_id}")).first() is None


@pytest.mark.postgres
def test_two_processes_handing_off_at_once_take_consecutive_turns(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    import threading

    if engine.dialect.name != "postgresql":
        pytest.skip("two writers at once: PostgreSQL")
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN])
    steps = []
    for n in range(8):
        step = start(acme(company=f"Lead{n}", email=f"jo@lead{n}.example"))
        for key, choice in STRONG_BANT.items():
            click(engine, rotating, step.qualification_id, key, choice)
        steps.append(step)

    def sender() -> None:
        while queue_pending_cards(uow=UnitOfWork(engine), catalog=rotating, presenter=CARDS,
                                  limit=1):
            pass

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sender()  # what both passed over while the other held it
    with Session(engine) as session:
        owners = Counter(session.exec(select(Handoff.claimed_by)).all())
    assert owners == {ANA: 4, BEN: 4}


def claim_deadline(engine: sa.Engine, handoff_id: int) -> dt.datetime:
    with Session(engine) as session:
        deadline = session.get(Handoff, handoff_id).claim_by  # type: ignore[union-attr]
    assert deadline is not None
    return deadline


def moved(engine: sa.Engine, catalog: Catalog, now: dt.datetime) -> list[int]:
    return move_expired_assignments(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS,
                                    now=now)


def test_a_lead_not_accepted_in_time_moves_once_to_the_next_rep_who_is_told_in_the_thread(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN])
    handoff_id = hand_off(engine, rotating, start, "Globex")
    late = claim_deadline(engine, handoff_id) + dt.timedelta(minutes=1)

    assert moved(engine, rotating, late - dt.timedelta(minutes=2)) == []
    assert moved(engine, rotating, late) == [handoff_id]
    assert moved(engine, rotating, late + dt.timedelta(hours=3)) == []  # once, even later

    assert owner_of(engine, handoff_id) == BEN
    with Session(engine) as session:
        rows = {row.dedupe_key: row.payload for row in session.exec(select(OutboxMessage))}
        state = state_of(session=session, handoff_id=handoff_id)
    assert rows[f"moved:{handoff_id}"]["text"] == (
        f":alarm_clock: <@{ANA}> did not accept this lead in time: it moves to <@{BEN}>, next in "
        "the round robin.")
    assert rows[f"moved-told:{handoff_id}"]["channel"] == ANA
    assert (state.owner, state.assigned_by) == (BEN, "round_robin")


def test_an_accepted_lead_stays_and_one_without_a_rotation_goes_back_to_the_channel(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    rotating = assigning(catalog, mode="round_robin", members=[ANA])
    accepted = hand_off(engine, rotating, start, "Globex")
    alone = hand_off(engine, rotating, start, "Initech")
    with UnitOfWork(engine).writing() as session:
        accept(session=session, handoff_id=accepted, rep_user_id=ANA, now=utcnow())
    late = claim_deadline(engine, alone) + dt.timedelta(minutes=1)

    assert moved(engine, rotating, late) == [alone]
    assert owner_of(engine, accepted) == ANA
    assert owner_of(engine, alone) is None
    with Session(engine) as session:
        assert session.get(Handoff, alone).status == "released"  # type: ignore[union-attr]


@pytest.mark.postgres
def test_two_processes_ticking_at_once_move_a_late_lead_exactly_once(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    import threading

    if engine.dialect.name != "postgresql":
        pytest.skip("two writers at once: PostgreSQL")
    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN, CAI])
    handoffs = [hand_off(engine, rotating, start, f"Lead{n}") for n in range(6)]
    late = max(claim_deadline(engine, h) for h in handoffs) + dt.timedelta(minutes=1)
    results: list[list[int]] = []

    def tick() -> None:
        results.append(moved(engine, rotating, late))

    threads = [threading.Thread(target=tick) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(h for result in results for h in result) == sorted(handoffs)
    with Session(engine) as session:
        told = session.exec(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.startswith("moved:"))).all()  # type: ignore[attr-defined]
    assert len(told) == 6


def test_when_acceptance_is_timed_an_assigned_lead_moves_at_its_accept_deadline(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    from baton.services.handoff import set_follow_up_deadlines

    rotating = assigning(catalog, mode="round_robin", members=[ANA, BEN])
    assert rotating.definition.sla.accept_within_minutes == 60
    handoff_id = hand_off(engine, rotating, start, "Globex")
    claim_late = claim_deadline(engine, handoff_id) + dt.timedelta(minutes=1)
    set_follow_up_deadlines(uow=UnitOfWork(engine), catalog=rotating, now=claim_late)
    with Session(engine) as session:
        accept_by = session.get(Handoff, handoff_id).accept_by  # type: ignore[union-attr]
    assert accept_by is not None

    assert moved(engine, rotating, claim_late) == []
    assert moved(engine, rotating, claim_late + dt.timedelta(minutes=5)) == []
    with Session(engine) as session:
        reminders = session.exec(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"remind:{handoff_id}")).all()
    assert len(reminders) == 1
    assert reminders[0].payload["text"].startswith(
        f":alarm_clock: <@{ANA}>, this lead is waiting for you to accept it: unless you do by ")
    assert moved(engine, rotating, accept_by + dt.timedelta(minutes=1)) == [handoff_id]
    assert owner_of(engine, handoff_id) == BEN
