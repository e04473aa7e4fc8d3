"""The pipeline broken down by source, region, segment, framework, definition version or rep,
as cohorts: the leads qualified in the period, followed to whatever became of them since."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from baton.domain.definition import Definition
from baton.domain.fit import FitField, canonical
from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.domain.periods import Period
from baton.services.catalog import Catalog, definition_in_force
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff, Outcome, Qualification, VerdictRecord
from baton.store.tables import Lead as LeadRow

_Q = Qualification.__table__  # type: ignore[attr-defined]
_V = VerdictRecord.__table__  # type: ignore[attr-defined]
_L = LeadRow.__table__  # type: ignore[attr-defined]
_H = Handoff.__table__  # type: ignore[attr-defined]
_O = Outcome.__table__  # type: ignore[attr-defined]
DIMENSIONS = ("source", "region", "segment", "framework", "version", "rep")


@dataclass(frozen=True)
class CohortRow:
    """One value of the dimension: its leads qualified in the period and how far they went."""

    value: str
    qualified: int
    sales_ready: int
    handed_off: int
    accepted: int
    opportunities: int
    won: int

    def rate(self, part: int) -> float | None:
        return part / self.qualified if self.qualified else None


@dataclass(frozen=True)
class Breakdown:
    period: Period
    dimension: str
    rows: tuple[CohortRow, ...]


def breakdown(*, uow: UnitOfWork, catalog: Catalog, period: Period, dimension: str,
              scope: Sequence[str] | None = None) -> Breakdown:
    """The cohort of the period by `dimension` (one of DIMENSIONS), busiest value first; for
    the BDRs in `scope`, or the whole team."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension: expected one of {', '.join(DIMENSIONS)}, got {dimension!r}")
    latest = (sa.select(_V.c.qualification_id, sa.func.max(_V.c.id).label("verdict_id"))
              .group_by(_V.c.qualification_id).subquery())
    reached = (sa.select(
        _O.c.handoff_id,
        sa.func.max(sa.case((_O.c.kind == OutcomeKind.WON, 1), else_=0)).label("won"),
        sa.func.max(sa.case((_O.c.kind.in_((OutcomeKind.OPPORTUNITY_CREATED, OutcomeKind.WON)),
                             1), else_=0)).label("opportunity"))
        .group_by(_O.c.handoff_id).subquery())
    with uow.reading() as session:
        definition = definition_in_force(session=session, catalog=catalog)
        value = _value(dimension, definition)
        accepted = sa.or_(_H.c.accepted_at.is_not(None), _H.c.status == HandoffStatus.ACCEPTED,
                          reached.c.handoff_id.is_not(None))
        query = (
            sa.select(value.label("value"), sa.func.count(),
                      sa.func.count().filter(_V.c.sales_ready.is_(True)),
                      sa.func.count(_H.c.id), sa.func.count(_H.c.id).filter(accepted),
                      sa.func.coalesce(sa.func.sum(reached.c.opportunity), 0),
                      sa.func.coalesce(sa.func.sum(reached.c.won), 0))
            .select_from(_Q.join(latest, latest.c.qualification_id == _Q.c.id)
                         .join(_V, _V.c.id == latest.c.verdict_id)
                         .join(_L, _L.c.id == _Q.c.lead_id)
                         .outerjoin(_H, _H.c.qualification_id == _Q.c.id)
                         .outerjoin(reached, reached.c.handoff_id == _H.c.id))
            .where(_Q.c.finished_at >= period.start, _Q.c.finished_at < period.end)
            .group_by(value))
        if scope is not None:
            query = query.where(_Q.c.bdr_user_id.in_(list(scope)))
        found = [(value or "not known", [int(n) for n in numbers])
                 for value, *numbers in session.execute(query)]
    merged: dict[str, list[int]] = {}
    for value, numbers in found:
        # "Germany" and "EMEA" are one region: the definition's aliases say so.
        name = (canonical(definition.organisation_fit, FitField.REGION, str(value)) or str(value)
                if dimension == "region" else str(value))
        merged[name] = [a + b for a, b in zip(merged.get(name, [0] * 6), numbers, strict=True)]
    rows = sorted((CohortRow(name, *numbers) for name, numbers in merged.items()),
                  key=lambda row: (-row.qualified, row.value))
    return Breakdown(period, dimension, tuple(rows))


def _value(dimension: str, definition: Definition) -> Any:
    if dimension == "segment":
        if not definition.segments:
            return sa.null()
        return sa.case(*((_in_band(segment.employees), segment.name)
                         for segment in definition.segments), else_=sa.null())
    return {"source": _L.c.source, "region": _L.c.region, "framework": _Q.c.framework,
            "version": _V.c.definition_version, "rep": _H.c.claimed_by}[dimension]


def _in_band(band: Any) -> Any:
    conditions = [_L.c.employees.is_not(None)]
    if band.min is not None:
        conditions.append(_L.c.employees >= band.min)
    if band.max is not None:
        conditions.append(_L.c.employees <= band.max)
    return sa.and_(*conditions)
