"""A sales rep's own numbers for a period: what they claimed (or were given), accepted,
rejected, reached, met and won, and how fast they accepted; beside the period before.

Counted for the reps asked about, for [start, end):
- claimed: leads they hold that they claimed (or were assigned) in the period;
- accepted: leads accepted in it while theirs; rejected: leads they rejected in it;
- contacted: first contacts they recorded in it;
- meetings / opportunities / won / lost: outcomes they recorded in it;
- accept_median_seconds: from holding a lead to accepting it, over those accepted in it;
- accepted_late / contacted_late: their SLA deadlines that passed in the period unmet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.domain.periods import Period
from baton.services.pipeline import sql
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Outcome

_H = sql.HANDOFF
_O = Outcome.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RepFigures:
    """One period of a rep's (or several reps') handoffs."""

    claimed: int = 0
    accepted: int = 0
    rejected: int = 0
    contacted: int = 0
    meetings: int = 0
    opportunities: int = 0
    won: int = 0
    lost: int = 0
    accepted_late: int = 0
    contacted_late: int = 0
    accept_median_seconds: float | None = None

    @property
    def anything(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class RepSummary:
    """The reps' figures for a period and for the period before."""

    period: Period
    reps: tuple[str, ...]
    figures: RepFigures
    previous: RepFigures


def rep_summary(*, uow: UnitOfWork, period: Period, reps: Sequence[str],
                now: dt.datetime) -> RepSummary:
    """What these reps did with their leads in the period and the one before."""
    periods = (period, period.previous())
    with uow.reading() as session:
        handled = _handoff_counts(session, periods, reps, now)
        outcomes = _outcome_counts(session, periods, reps)
        medians = sql.seconds_between(session, periods, None, _H.c.claimed_at,
                                      _H.c.accepted_at, also=_H.c.claimed_by.in_(list(reps)))
    figures = []
    for counts, kinds, (median, _) in zip(handled, outcomes, medians, strict=True):
        claimed, accepted, rejected, contacted, accepted_late, contacted_late = counts
        meetings, opportunities, won, lost = kinds
        figures.append(RepFigures(
            claimed=claimed, accepted=accepted, rejected=rejected, contacted=contacted,
            meetings=meetings, opportunities=opportunities, won=won, lost=lost,
            accepted_late=accepted_late, contacted_late=contacted_late,
            accept_median_seconds=median))
    return RepSummary(period, tuple(reps), figures[0], figures[1])


def _handoff_counts(session: Session, periods: Sequence[Period], reps: Sequence[str],
                    now: dt.datetime) -> list[list[int]]:
    owner, decider = _H.c.claimed_by.in_(list(reps)), _H.c.decided_by.in_(list(reps))
    counted: list[Any] = []
    for period in periods:
        def during(column: Any, period: Period = period) -> Any:
            return sa.and_(column >= period.start, column < period.end)

        counted += [
            sa.func.count().filter(sa.and_(owner, during(_H.c.claimed_at))),
            sa.func.count().filter(sa.and_(owner, during(_H.c.accepted_at))),
            sa.func.count().filter(sa.and_(decider, during(_H.c.decided_at),
                                           _H.c.status == HandoffStatus.REJECTED)),
            sa.func.count().filter(sa.and_(owner, during(_H.c.contacted_at))),
            *(sa.func.count().filter(sa.and_(owner, during(deadline), deadline < now,
                                             sa.or_(done.is_(None), done > deadline)))
              for deadline, done in ((_H.c.accept_by, _H.c.accepted_at),
                                     (_H.c.contact_by, _H.c.contacted_at))),
        ]
    row = session.execute(sa.select(*counted).where(sa.or_(owner, decider))).one()
    size = len(counted) // len(periods)
    return [[int(v) for v in row[i * size:(i + 1) * size]] for i in range(len(periods))]


def _outcome_counts(session: Session, periods: Sequence[Period],
                    reps: Sequence[str]) -> list[list[int]]:
    kinds = (OutcomeKind.MEETING_HELD, OutcomeKind.OPPORTUNITY_CREATED, OutcomeKind.WON,
             OutcomeKind.LOST)
    counted = [sa.func.count().filter(_O.c.kind == kind, _O.c.recorded_at >= period.start,
                                      _O.c.recorded_at < period.end)
               for period in periods for kind in kinds]
    row = session.execute(sa.select(*counted).where(
        _O.c.recorded_by.in_(list(reps)))).one()
    return [[int(v) for v in row[i * 4:(i + 1) * 4]] for i in range(len(periods))]
