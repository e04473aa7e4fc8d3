"""The pipeline's aggregate queries; each returns a few grouped rows, never the underlying rows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.domain.periods import Period
from baton.store.tables import Handoff, Outcome, Qualification
from baton.store.tables import VerdictRecord as Verdict

_Q = Qualification.__table__  # type: ignore[attr-defined]
_V = Verdict.__table__  # type: ignore[attr-defined]
_H = Handoff.__table__  # type: ignore[attr-defined]
_O = Outcome.__table__  # type: ignore[attr-defined]
Scope = Sequence[str] | None


@dataclass(frozen=True)
class HandoffCounts:
    """One BDR's handoff figures in a period."""

    created: int = 0
    claimed: int = 0
    reminded: int = 0
    escalated: int = 0
    accepted: int = 0
    rejected: int = 0


def _during(column: Any, period: Period) -> Any:
    return sa.and_(column >= period.start, column < period.end)


def _count_if(condition: Any) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def _scoped(query: sa.Select[Any], scope: Scope) -> sa.Select[Any]:
    return query if scope is None else query.where(_Q.c.bdr_user_id.in_(list(scope)))


def qualified_by_bdr(session: Session, period: Period, scope: Scope) -> dict[str, tuple[int, int]]:
    """Per BDR: qualifications finished in the period, and how many were judged sales-ready."""
    # The last verdict recorded for a qualification is the one that stands.
    judged = _V.alias("judged")
    latest = sa.select(sa.func.max(judged.c.id)).where(judged.c.qualification_id == _Q.c.id)
    query = (
        sa.select(_Q.c.bdr_user_id, sa.func.count(), _count_if(_V.c.sales_ready))
        .select_from(_Q.join(_V, _V.c.id == latest.correlate(_Q).scalar_subquery()))
        .where(_during(_Q.c.finished_at, period))
        .group_by(_Q.c.bdr_user_id)
    )
    rows = session.execute(_scoped(query, scope)).all()
    return {bdr: (int(qualified), int(ready)) for bdr, qualified, ready in rows}


def overrides(session: Session, period: Period, scope: Scope) -> tuple[int, int]:
    """Of the qualifications finished in the period, how many a manager's override made
    sales-ready, and how many it made not sales-ready, by the verdict in force."""
    judged = _V.alias("judged")
    latest = sa.select(sa.func.max(judged.c.id)).where(judged.c.qualification_id == _Q.c.id)
    overridden = _V.c.overridden_by.is_not(None)
    query = (
        sa.select(_count_if(sa.and_(overridden, _V.c.sales_ready)),
                  _count_if(sa.and_(overridden, sa.not_(_V.c.sales_ready))))
        .select_from(_Q.join(_V, _V.c.id == latest.correlate(_Q).scalar_subquery()))
        .where(_during(_Q.c.finished_at, period))
    )
    made_ready, made_not_ready = session.execute(_scoped(query, scope)).one()
    return int(made_ready), int(made_not_ready)


def handoffs_by_bdr(session: Session, period: Period, scope: Scope) -> dict[str, HandoffCounts]:
    """Per BDR: handoffs created, claimed, reminded, escalated, accepted, rejected in the period."""
    decided = _during(_H.c.decided_at, period)
    counted = {
        "created": _during(_H.c.created_at, period),
        "claimed": _during(_H.c.claimed_at, period),
        "reminded": _during(_H.c.reminded_at, period),
        "escalated": _during(_H.c.escalated_at, period),
        "accepted": sa.and_(decided, _H.c.status == HandoffStatus.ACCEPTED),
        "rejected": sa.and_(decided, _H.c.status == HandoffStatus.REJECTED),
    }
    query = (
        sa.select(_Q.c.bdr_user_id, *(_count_if(c).label(k) for k, c in counted.items()))
        .select_from(_H.join(_Q, _Q.c.id == _H.c.qualification_id))
        .where(sa.or_(*counted.values()))
        .group_by(_Q.c.bdr_user_id)
    )
    rows = session.execute(_scoped(query, scope)).all()
    return {row[0]: HandoffCounts(*(int(n) for n in row[1:])) for row in rows}


def claim_seconds(session: Session, period: Period, scope: Scope) -> tuple[float | None, ...]:
    """Median and 90th percentile of seconds from card to claim, over claims in the period."""
    base = (
        sa.select(_H.c.id).select_from(_H.join(_Q, _Q.c.id == _H.c.qualification_id))
        .where(_during(_H.c.claimed_at, period))
    )
    base = _scoped(base, scope)
    if session.get_bind().dialect.name == "postgresql":
        seconds = sa.extract("epoch", _H.c.claimed_at - _H.c.created_at)
        wanted = [sa.func.percentile_cont(p).within_group(seconds) for p in (0.5, 0.9)]
        row = session.execute(base.with_only_columns(*wanted)).one()
        return tuple(None if v is None else round(float(v), 3) for v in row)
    return tuple(_ordered_percentile(session, base, p) for p in (0.5, 0.9))


def _ordered_percentile(session: Session, base: sa.Select[Any], fraction: float) -> float | None:
    """percentile_cont on SQLite: sort in the database, read the one or two rows either side."""
    # julianday keeps milliseconds, so whole milliseconds are exact and sort as integers.
    millis = sa.cast(sa.func.round(
        (sa.func.julianday(_H.c.claimed_at) - sa.func.julianday(_H.c.created_at)) * 86_400_000
    ), sa.Integer)
    total = session.execute(base.with_only_columns(sa.func.count())).scalar_one()
    if not total:
        return None
    position = fraction * (total - 1)
    lower = math.floor(position)
    query = base.with_only_columns(millis).order_by(millis).offset(lower).limit(2)
    values = [int(v) for v in session.execute(query).scalars()]
    upper = values[1] if len(values) > 1 else values[0]
    return round(float(values[0] + (position - lower) * (upper - values[0])) / 1000, 3)


def top_rejection_reasons(session: Session, period: Period, scope: Scope,
                          limit: int = 3) -> list[tuple[str, int]]:
    """The most given reasons for handoffs rejected in the period, most frequent first."""
    reason = sa.func.coalesce(_H.c.reject_reason, "other")
    query = (
        sa.select(reason, sa.func.count().label("n"))
        .select_from(_H.join(_Q, _Q.c.id == _H.c.qualification_id))
        .where(_during(_H.c.decided_at, period), _H.c.status == HandoffStatus.REJECTED)
        .group_by(reason).order_by(sa.desc("n"), reason).limit(limit)
    )
    return [(str(r), int(n)) for r, n in session.execute(_scoped(query, scope)).all()]


def outcomes(session: Session, period: Period, scope: Scope) -> tuple[int, int]:
    """Opportunities created and deals won, as recorded in the period."""
    query = (
        sa.select(_count_if(_O.c.kind == OutcomeKind.OPPORTUNITY_CREATED),
                  _count_if(_O.c.kind == OutcomeKind.WON))
        .select_from(_O.join(_H, _H.c.id == _O.c.handoff_id)
                     .join(_Q, _Q.c.id == _H.c.qualification_id))
        .where(_during(_O.c.recorded_at, period))
    )
    opportunities, won = session.execute(_scoped(query, scope)).one()
    return int(opportunities), int(won)
