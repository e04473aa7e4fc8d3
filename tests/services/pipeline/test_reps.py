"""A sales rep's own numbers: what they claimed, accepted, reached, met and won, asked by the
rep or by a manager naming them; a BDR still sees their own pipeline."""

from __future__ import annotations

import sqlalchemy as sa
from freezegun import freeze_time

from baton.services.catalog import Catalog
from baton.services.handoff.claims import (
    accept,
    claim,
    record_first_contact,
    record_outcome,
    reject,
)
from baton.services.pipeline import Ask, ask_pipeline
from baton.services.unit_of_work import UnitOfWork
from tests.services.conftest import BDR, StartFn
from tests.services.handoff.test_follow_up import ALEX, SAM, act, at, handed_off


class NoTeams:
    def members(self, channel: str) -> list[str]:
        raise AssertionError("no channel is asked about")


def asked(engine: sa.Engine, catalog: Catalog, asker: str, manager: bool = False,
          users: tuple[str, ...] = ()) -> object:
    with freeze_time(at(180)):
        return ask_pipeline(uow=UnitOfWork(engine), catalog=catalog, asker=asker,
                            ask=Ask(period="today", users=users), manager=manager,
                            teams=NoTeams(), now=at(180))


def test_a_rep_sees_what_they_claimed_accepted_reached_and_won(
    engine: sa.Engine, catalog: Catalog, start: StartFn,
) -> None:
    won, rejected, others = (handed_off(engine, catalog, start, name)
                             for name in ("Globex", "Initech", "Umbrella"))
    act(engine, 5, claim, handoff_id=won, rep_user_id=SAM)
    act(engine, 7, claim, handoff_id=rejected, rep_user_id=SAM)
    act(engine, 9, claim, handoff_id=others, rep_user_id=ALEX)
    act(engine, 15, accept, handoff_id=won, rep_user_id=SAM)
    act(engine, 20, record_first_contact, handoff_id=won, rep_user_id=SAM, kind="contacted")
    act(engine, 60, record_outcome, handoff_id=won, rep_user_id=SAM, kind="meeting_held")
    act(engine, 90, record_outcome, handoff_id=won, rep_user_id=SAM, kind="won")
    act(engine, 30, reject, handoff_id=rejected, rep_user_id=SAM, reason="no_budget",
        comment="")

    seen = asked(engine, catalog, SAM)
    named = asked(engine, catalog, "U0BOSS0001", manager=True, users=(SAM,))
    bdr = asked(engine, catalog, BDR)

    rep = seen.rep  # type: ignore[attr-defined]
    assert rep is not None
    figures = rep.figures
    assert (figures.claimed, figures.accepted, figures.rejected, figures.contacted) == (
        2, 1, 1, 1)
    assert (figures.meetings, figures.opportunities, figures.won, figures.lost) == (1, 0, 1, 0)
    assert figures.accept_median_seconds == 600.0
    assert not rep.previous.anything
    assert named.rep == rep  # type: ignore[attr-defined]
    assert named.whose == "person"  # type: ignore[attr-defined]
    assert bdr.rep is None  # type: ignore[attr-defined]
    assert bdr.summary.figures.qualified == 3  # type: ignore[attr-defined]


def test_someone_with_nothing_at_all_sees_their_empty_pipeline_not_a_reps(
    engine: sa.Engine, catalog: Catalog,
) -> None:
    seen = asked(engine, catalog, "U0NEW00001")
    assert seen.rep is None  # type: ignore[attr-defined]
    assert seen.whose == "own"  # type: ignore[attr-defined]

