"""The pipeline's aggregate queries; each returns a few grouped rows, never the underlying rows.

Every query counts several periods side by side (a summary's period and the one before) in one
scan of the rows of their span, each figure filtered to its period: a list per period comes
back, in the order the periods were given.
"""

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
HANDOFF = _H
_O = Outcome.__table__  # type: ignore[attr-defined]
Scope = Sequence[str] | None
Periods = Sequence[Period]
FRACTIONS = (0.5, 0.9)  # the median and the 90th percentile


@dataclass(frozen=True)
class Judged:
    """One BDR's qualifications finished in a period, by the verdict in force on each."""

    qualified: int = 0
    sales_ready: int = 0
    made_ready: int = 0
    made_not_ready: int = 0


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


def _spanned(column: Any, periods: Periods) -> Any:
    """The column within the span of all the periods, so one range scan reads them all."""
    return sa.and_(column >= min(p.start for p in periods), column < max(p.end for p in periods))


def _count_if(condition: Any) -> Any:
    return sa.func.count().filter(condition)


def _scoped(query: sa.Select[Any], scope: Scope, bdr: Any = _Q.c.bdr_user_id) -> sa.Select[Any]:
    return query if scope is None else query.where(bdr.in_(list(scope)))


def _scoped_handoffs(query: sa.Select[Any], scope: Scope) -> sa.Select[Any]:
    """Handoffs of the BDRs in scope: each carries its BDR, so none is joined to read it."""
    return _scoped(query, scope, _H.c.bdr_user_id)


def _outcomes(scope: Scope) -> Any:
    # Every outcome has its handoff (foreign key, not null): joined only to narrow to the BDRs
    # in scope, read alone otherwise.
    return _O if scope is None else _O.join(_H, _H.c.id == _O.c.handoff_id)


def _per_period(row: Sequence[Any], periods: Periods) -> list[list[int]]:
    """A row of counts laid out period after period, cut back into one list per period."""
    size = len(row) // len(periods)
    return [[int(n or 0) for n in row[i * size:(i + 1) * size]] for i in range(len(periods))]


def judged_by_bdr(session: Session, periods: Periods, scope: Scope) -> list[dict[str, Judged]]:
    """Per period and BDR: qualifications finished with a verdict, how many the verdict in force
    says are sales-ready, and how many a manager's override made sales-ready or not."""
    # Each qualification carries what its verdict in force says (store.verdicts.put_in_force):
    # one range scan of one index counts them, without reading the verdicts.
    ready, overridden = _Q.c.sales_ready.is_(True), _Q.c.overridden.is_(True)
    counted = []
    for period in periods:
        during = sa.and_(_during(_Q.c.finished_at, period), _Q.c.sales_ready.is_not(None))
        counted += [_count_if(during), _count_if(sa.and_(during, ready)),
                    _count_if(sa.and_(during, overridden, ready)),
                    _count_if(sa.and_(during, overridden, sa.not_(ready)))]
    query = _scoped(sa.select(_Q.c.bdr_user_id, *counted)
                    .where(_spanned(_Q.c.finished_at, periods))
                    .group_by(_Q.c.bdr_user_id), scope)
    found: list[dict[str, Judged]] = [{} for _ in periods]
    for bdr, *row in session.execute(query):
        for by_bdr, counts in zip(found, _per_period(row, periods), strict=True):
            if counts[0]:
                by_bdr[bdr] = Judged(*counts)
    return found


def handoffs_by_bdr(session: Session, periods: Periods,
                    scope: Scope) -> list[dict[str, HandoffCounts]]:
    """Per period and BDR: handoffs created, claimed, reminded, escalated, accepted and rejected
    in it; a BDR is listed when any of their handoffs moved in the period."""
    # One range scan of each moment's own index (which carries the BDR, and for decisions the
    # status), each handoff counted by every moment of it in the periods.
    moments = {"created": _H.c.created_at, "claimed": _H.c.claimed_at,
               "reminded": _H.c.reminded_at, "escalated": _H.c.escalated_at}
    scans = [
        _scoped_handoffs(
            sa.select(_H.c.bdr_user_id, sa.literal(name), sa.null(),
                      *(_count_if(_during(moment, p)) for p in periods))
            .where(_spanned(moment, periods)).group_by(_H.c.bdr_user_id), scope)
        for name, moment in moments.items()
    ]
    decided = _H.c.decided_at
    scans.append(_scoped_handoffs(
        sa.select(_H.c.bdr_user_id, sa.literal("decided"), _H.c.status,
                  *(_count_if(_during(decided, p)) for p in periods))
        .where(_spanned(decided, periods)).group_by(_H.c.bdr_user_id, _H.c.status), scope))
    tallies: list[dict[str, dict[str, int]]] = [{} for _ in periods]
    for bdr, moment, status, *counts in session.execute(sa.union_all(*scans)):
        what = str(moment) if status is None else f"decided {status}"
        for tally, count in zip(tallies, counts, strict=True):
            if count:
                by_bdr = tally.setdefault(bdr, {})
                by_bdr[what] = by_bdr.get(what, 0) + int(count)
    counted = (*moments, f"decided {HandoffStatus.ACCEPTED}", f"decided {HandoffStatus.REJECTED}")
    return [{bdr: HandoffCounts(*(n.get(what, 0) for what in counted))
             for bdr, n in tally.items()} for tally in tallies]


def claim_seconds(session: Session, periods: Periods,
                  scope: Scope) -> list[tuple[float | None, float | None]]:
    """Per period: median and 90th percentile of seconds from card to claim, over its claims."""
    return seconds_between(session, periods, scope, _H.c.created_at, _H.c.claimed_at)


def seconds_between(session: Session, periods: Periods, scope: Scope, start: Any,
                    end: Any, also: Any = True) -> list[tuple[float | None, float | None]]:
    """Per period: median and 90th percentile of seconds from `start` to `end`, over the
    handoffs whose `end` falls in it (and that meet `also`)."""
    base = _scoped_handoffs(
        sa.select(_H.c.id).where(_spanned(end, periods), start.is_not(None), also), scope)
    if session.get_bind().dialect.name != "postgresql":
        return _ranked_percentiles(session, base, periods, start, end)
    seconds = sa.extract("epoch", end - start)
    wanted = [sa.func.percentile_cont(f).within_group(seconds).filter(_during(end, p))
              for p in periods for f in FRACTIONS]
    row = [None if v is None else round(float(v), 3)
           for v in session.execute(base.with_only_columns(*wanted)).one()]
    return [(row[2 * i], row[2 * i + 1]) for i in range(len(periods))]


def follow_up_breaches(session: Session, periods: Periods, scope: Scope,
                       now: Any) -> list[tuple[int, int]]:
    """Per period: leads not accepted by their accept deadline, and accepted leads not
    contacted by their contact deadline, counted in the period the deadline passed in (and
    only once it has passed)."""
    late = ((_H.c.accept_by, _H.c.accepted_at), (_H.c.contact_by, _H.c.contacted_at))
    counted = []
    for period in periods:
        for deadline, done in late:
            counted.append(_count_if(sa.and_(
                _during(deadline, period), deadline < now,
                sa.or_(done.is_(None), done > deadline))))
    query = (sa.select(*counted).select_from(_H)
             .where(sa.or_(*(_spanned(deadline, periods) for deadline, _ in late))))
    row = session.execute(_scoped_handoffs(query, scope)).one()
    return [(accepts, contacts) for accepts, contacts in _per_period(row, periods)]


def _ranked_percentiles(session: Session, base: sa.Select[Any], periods: Periods, start: Any,
                        end: Any) -> list[tuple[float | None, float | None]]:
    """percentile_cont on SQLite: the database ranks each period's rows once and returns only
    the one or two either side of each fraction; the interpolation is done here."""
    # julianday keeps milliseconds, so whole milliseconds are exact and sort as integers.
    millis = sa.cast(sa.func.round(
        (sa.func.julianday(end) - sa.func.julianday(start)) * 86_400_000
    ), sa.Integer)
    which = sa.case(*((_during(end, p), i) for i, p in enumerate(periods)))
    claims = base.with_only_columns(which.label("which"), millis.label("millis")).subquery()
    ranked = sa.select(
        claims.c.which, claims.c.millis,
        (sa.func.row_number().over(partition_by=claims.c.which, order_by=claims.c.millis) - 1
         ).label("rank"),
        sa.func.count().over(partition_by=claims.c.which).label("total"),
    ).subquery()
    lowest = [sa.cast(f * (ranked.c.total - 1), sa.Integer) for f in FRACTIONS]
    near = sa.or_(*(ranked.c.rank.between(low, low + 1) for low in lowest))
    totals: dict[int, int] = {}
    values: dict[tuple[int, int], int] = {}
    for which, rank, total, value in session.execute(
            sa.select(ranked.c.which, ranked.c.rank, ranked.c.total, ranked.c.millis).where(near)):
        if which is not None:
            totals[which] = int(total)
            values[which, int(rank)] = int(value)
    found = []
    for i in range(len(periods)):
        median, p90 = (_interpolated(values, i, totals.get(i, 0), f) for f in FRACTIONS)
        found.append((median, p90))
    return found


def _interpolated(values: dict[tuple[int, int], int], which: int, total: int,
                  fraction: float) -> float | None:
    """percentile_cont's linear interpolation between the two nearest ranks, in seconds."""
    if not total:
        return None
    position = fraction * (total - 1)
    lower = math.floor(position)
    low = values[which, lower]
    upper = values.get((which, lower + 1), low)
    return round(float(low + (position - lower) * (upper - low)) / 1000, 3)


@dataclass(frozen=True)
class Rejections:
    """A period's rejected handoffs: the most given reasons, and the counts by criterion blamed
    and by definition version, each most frequent first (ties by name)."""

    reasons: list[tuple[str, int]]
    by_criterion: list[tuple[str, int]]
    by_version: list[tuple[str, int]]


def rejections(session: Session, periods: Periods, scope: Scope,
               limit: int = 3) -> list[Rejections]:
    """Per period: the handoffs rejected in it, by reason (the `limit` most given), by the
    criterion their reason blames and by the definition version they were rejected under."""
    # As the definition worded it when given; older rejections by their key.
    reason = sa.func.coalesce(_H.c.reject_label, _H.c.reject_reason, "other")
    keys = (reason, _H.c.reject_criterion, _H.c.reject_version)
    query = (
        sa.select(*keys, *(_count_if(_during(_H.c.decided_at, p)) for p in periods))
        .where(_spanned(_H.c.decided_at, periods), _H.c.status == HandoffStatus.REJECTED)
        .group_by(*keys)
    )
    rows = session.execute(_scoped_handoffs(query, scope)).all()
    found = []
    for i in range(len(periods)):
        tallies: tuple[dict[str, int], ...] = ({}, {}, {})
        for row in rows:
            for tally, key in zip(tallies, row[:3], strict=True):
                if key is not None and row[3 + i]:
                    tally[str(key)] = tally.get(str(key), 0) + int(row[3 + i])
        reasons, by_criterion, by_version = (_most_first(tally) for tally in tallies)
        found.append(Rejections(reasons[:limit], by_criterion, by_version))
    return found


def _most_first(tally: dict[str, int]) -> list[tuple[str, int]]:
    # A stable sort keeps the order of names among equal counts.
    return sorted(sorted(tally.items()), key=lambda pair: -pair[1])


def outcomes(session: Session, periods: Periods, scope: Scope) -> list[tuple[int, int]]:
    """Per period: opportunities created and deals won, as recorded in it."""
    counted = []
    for period in periods:
        during = _during(_O.c.recorded_at, period)
        counted += [_count_if(sa.and_(during, _O.c.kind == OutcomeKind.OPPORTUNITY_CREATED)),
                    _count_if(sa.and_(during, _O.c.kind == OutcomeKind.WON))]
    query = (
        sa.select(*counted)
        .select_from(_outcomes(scope))
        .where(_spanned(_O.c.recorded_at, periods))
    )
    row = session.execute(_scoped_handoffs(query, scope)).one()
    return [(opportunities, won) for opportunities, won in _per_period(row, periods)]
