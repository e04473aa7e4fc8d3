"""Pipeline summaries for a period, counted by the database.

What each figure counts, for the period [start, end) and the BDRs in scope (a handoff and
its outcomes belong to the BDR who ran the qualification):
- qualified: qualifications finished in the period that have a verdict;
- sales_ready: those whose last recorded verdict is sales-ready;
  srl_rate = sales_ready / qualified;
- sales_ready_by_override: those of sales_ready a manager's override made so (the rest are
  sales-ready by the definition); not_ready_by_override: those an override made not
  sales-ready;
- handoffs: handoffs created in the period; claimed: handoffs claimed in the period;
- claim_median_seconds / claim_p90_seconds: claimed_at - created_at over the handoffs claimed
  in the period, to the millisecond, as percentile_cont computes them (linear interpolation
  between the two nearest ranks); a released handoff counts once someone claims it again;
- reminders / escalations: handoffs reminded / escalated in the period (SLA breaches);
- accepted / rejected: handoffs decided in the period, as they stand now;
  acceptance_rate = accepted / (accepted + rejected);
- top_rejection_reasons: the three reasons most given for those rejected, most frequent first,
  ties by name, in words;
- opportunities / won: outcomes recorded in the period;
  srl_to_opportunity = opportunities / sales_ready, opportunity_to_won = won / opportunities.
  These compare flows within one period, so a quarter with few new SRLs can exceed 1;
- accept_median_seconds: accepted_at - claimed_at (or assigned) over leads accepted in the
  period; contact_median_seconds: contacted_at - accepted_at over first contacts in it;
- rejected_by_criterion: handoffs rejected in the period for a reason the definition ties to a
  criterion ("no budget" -> budget), by criterion; rejected_by_version: those rejected in the
  period by the definition version in force then;
- accepted_late / contacted_late: accept / contact deadlines of the SLA (business minutes,
  when the definition sets them) that passed in the period, by now, unmet or met after them.
A rate is None when its denominator is zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from baton.domain.periods import Period
from baton.services.handoff.claims import REJECT_REASONS
from baton.services.pipeline import sql
from baton.services.unit_of_work import UnitOfWork
from baton.store.types import utcnow

Seconds = tuple[float | None, float | None]  # a median and a 90th percentile, in seconds


@dataclass(frozen=True)
class Figures:
    """Every number of a pipeline summary for one period."""

    qualified: int
    sales_ready: int
    srl_rate: float | None
    handoffs: int
    claimed: int
    claim_median_seconds: float | None
    claim_p90_seconds: float | None
    reminders: int
    escalations: int
    accepted: int
    rejected: int
    acceptance_rate: float | None
    top_rejection_reasons: tuple[tuple[str, int], ...]
    opportunities: int
    won: int
    srl_to_opportunity: float | None
    opportunity_to_won: float | None
    sales_ready_by_override: int = 0
    not_ready_by_override: int = 0
    # The owner's follow-up: seconds from holding the lead to accepting it, and from accepting
    # to first contact (medians); deadlines of the definition's SLA that passed unmet.
    accept_median_seconds: float | None = None
    contact_median_seconds: float | None = None
    accepted_late: int = 0
    contacted_late: int = 0
    # Rejections whose reason blames a criterion, by criterion, most frequent first.
    rejected_by_criterion: tuple[tuple[str, int], ...] = ()
    # Rejections by the definition version in force when they were given.
    rejected_by_version: tuple[tuple[str, int], ...] = ()

    @property
    def sales_ready_by_definition(self) -> int:
        return self.sales_ready - self.sales_ready_by_override


@dataclass(frozen=True)
class BdrRow:
    """One BDR's line in the summary."""

    bdr_user_id: str
    qualified: int
    srl_rate: float | None
    acceptance_rate: float | None
    sales_ready: int = 0
    accepted: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class Summary:
    """A period's figures, the same figures for the period before, and a row per BDR."""

    period: Period
    figures: Figures
    previous: Figures
    bdrs: tuple[BdrRow, ...]


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def summarise(*, uow: UnitOfWork, period: Period,
              bdr_user_ids: Sequence[str] | None = None) -> Summary:
    """The pipeline for a period and the one before; None means the whole team."""
    with uow.reading() as session:
        return summary_of(session, period, bdr_user_ids)


def summary_of(session: Session, period: Period, bdr_user_ids: Sequence[str] | None) -> Summary:
    """The pipeline for a period and the one before, in the caller's transaction."""
    scope = None if bdr_user_ids is None else tuple(bdr_user_ids)
    periods = (period, period.previous())
    judged = sql.judged_by_bdr(session, periods, scope)
    handoffs = sql.handoffs_by_bdr(session, periods, scope)
    claims = sql.claim_seconds(session, periods, scope)
    rejected = sql.rejections(session, periods, scope)
    outcomes = sql.outcomes(session, periods, scope)
    accepts = sql.seconds_between(session, periods, scope, sql.HANDOFF.c.claimed_at,
                                  sql.HANDOFF.c.accepted_at)
    contacts = sql.seconds_between(session, periods, scope, sql.HANDOFF.c.accepted_at,
                                   sql.HANDOFF.c.contacted_at)
    late = sql.follow_up_breaches(session, periods, scope, utcnow())
    figures, previous = (
        _figures(*each) for each in zip(judged, handoffs, claims, rejected, outcomes, accepts,
                                        contacts, late, strict=True))
    return Summary(period=period, figures=figures, previous=previous,
                   bdrs=_bdr_rows(judged[0], handoffs[0]))


def _figures(judged: dict[str, sql.Judged], handoffs: dict[str, sql.HandoffCounts],
             claims: Seconds, rejected: sql.Rejections, outcomes: tuple[int, int],
             accepts: Seconds, contacts: Seconds, late: tuple[int, int]) -> Figures:
    """One period's figures from its per-BDR counts and the team's."""
    j = sql.Judged(*(sum(getattr(c, f) for c in judged.values())
                     for f in sql.Judged.__dataclass_fields__))
    h = sql.HandoffCounts(*(sum(getattr(c, f) for c in handoffs.values())
                            for f in sql.HandoffCounts.__dataclass_fields__))
    (median, p90), (opportunities, won) = claims, outcomes
    return Figures(
        qualified=j.qualified, sales_ready=j.sales_ready,
        srl_rate=rate(j.sales_ready, j.qualified), handoffs=h.created, claimed=h.claimed,
        claim_median_seconds=median, claim_p90_seconds=p90,
        reminders=h.reminded, escalations=h.escalated, accepted=h.accepted, rejected=h.rejected,
        acceptance_rate=rate(h.accepted, h.accepted + h.rejected),
        top_rejection_reasons=tuple((REJECT_REASONS.get(r, r), n) for r, n in rejected.reasons),
        opportunities=opportunities, won=won,
        srl_to_opportunity=rate(opportunities, j.sales_ready),
        opportunity_to_won=rate(won, opportunities),
        sales_ready_by_override=j.made_ready, not_ready_by_override=j.made_not_ready,
        accept_median_seconds=accepts[0], contact_median_seconds=contacts[0],
        accepted_late=late[0], contacted_late=late[1],
        rejected_by_criterion=tuple(rejected.by_criterion),
        rejected_by_version=tuple(rejected.by_version),
    )


def _bdr_rows(judged: dict[str, sql.Judged],
              handoffs: dict[str, sql.HandoffCounts]) -> tuple[BdrRow, ...]:
    """A row for every BDR with something in the period, busiest first."""
    rows = []
    for bdr in judged.keys() | handoffs.keys():
        j = judged.get(bdr, sql.Judged())
        h = handoffs.get(bdr, sql.HandoffCounts())
        rows.append(BdrRow(bdr_user_id=bdr, qualified=j.qualified,
                           srl_rate=rate(j.sales_ready, j.qualified),
                           acceptance_rate=rate(h.accepted, h.accepted + h.rejected),
                           sales_ready=j.sales_ready, accepted=h.accepted, rejected=h.rejected))
    return tuple(sorted(rows, key=lambda row: (-row.qualified, row.bdr_user_id)))
