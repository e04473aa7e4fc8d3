"""Which criteria predict a won deal: for each framework criterion and answer, the leads
qualified in a period and how many of them sales accepted, turned into an opportunity and won;
the lift of "met" over "not met" among the leads sales got, and the criteria to look at.

Leads are those whose qualification finished in the period (a cohort), followed to whatever
became of them since. Conversion is compared among leads handed off, where sales had a chance:
a lead never handed off converts by no one's doing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from baton.domain.errors import Refusal
from baton.domain.framework import Status
from baton.domain.lifecycle import HandoffStatus, OutcomeKind
from baton.domain.periods import parse_period
from baton.services.catalog import Catalog, catalog_in_force
from baton.services.pipeline.chart import Comparison
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, Handoff, Outcome, Qualification

_Q = Qualification.__table__  # type: ignore[attr-defined]
_A = AnswerEntry.__table__  # type: ignore[attr-defined]
_H = Handoff.__table__  # type: ignore[attr-defined]
_O = Outcome.__table__  # type: ignore[attr-defined]
# Fewer handed-off leads than this on either side, and the lift is said to be too early to tell.
ENOUGH = 20
# A lift inside this band says the answer does not predict a won deal.
FLAT = (0.8, 1.25)


@dataclass(frozen=True)
class Counts:
    """Leads with one answer (or one status) and how far they went."""

    leads: int = 0
    handed_off: int = 0
    accepted: int = 0
    opportunities: int = 0
    won: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.leads + other.leads, self.handed_off + other.handed_off,
                      self.accepted + other.accepted, self.opportunities + other.opportunities,
                      self.won + other.won)

    def rate(self, part: int) -> float | None:
        """`part` over the leads handed off."""
        return part / self.handed_off if self.handed_off else None


@dataclass(frozen=True)
class AnswerRow:
    answer: str
    status: str
    counts: Counts


@dataclass
class CriterionReport:
    """One criterion: each answer's counts, met against not met, and what that says."""

    framework: str
    key: str
    title: str
    answers: list[AnswerRow] = field(default_factory=list)

    def of(self, status: str) -> Counts:
        return sum((row.counts for row in self.answers if row.status == status), Counts())

    @property
    def lift(self) -> float | None:
        """The won rate of "met" over that of "not met", among the leads sales got."""
        met, not_met = self.of(Status.MET).rate(self.of(Status.MET).won), self.of(
            Status.NOT_MET).rate(self.of(Status.NOT_MET).won)
        if met is None or not_met is None:
            return None
        if not_met == 0:
            return float("inf") if met > 0 else None
        return met / not_met

    @property
    def finding(self) -> str:
        met, not_met = self.of(Status.MET), self.of(Status.NOT_MET)
        if met.handed_off < ENOUGH or not_met.handed_off < ENOUGH:
            return (f"too few leads to tell ({met.handed_off} met and {not_met.handed_off} not "
                    f"met handed off; {ENOUGH} of each needed)")
        lift = self.lift
        if lift is None:
            return "no deal won either way yet: too early to tell"
        if FLAT[0] <= lift <= FLAT[1]:
            return f"does not predict a won deal (lift {lift:.2f}): look at it in the review"
        if lift < FLAT[0]:
            return f"met converts worse than not met (lift {lift:.2f}): look at it in the review"
        shown = "met wins, not met never does" if lift == float("inf") else f"lift {lift:.1f}"
        return f"predicts a won deal ({shown})"

    @property
    def to_look_at(self) -> bool:
        return self.finding.endswith("look at it in the review")


@dataclass(frozen=True)
class CriteriaSeen:
    """The criteria report a manager asked for in Slack, for a period."""

    label: str
    reports: list[CriterionReport]

    def comparisons(self) -> list[Comparison]:
        """The criteria with a won rate on both sides, for the chart."""
        found = []
        for report in self.reports:
            met, not_met = report.of(Status.MET), report.of(Status.NOT_MET)
            met_rate, not_met_rate = met.rate(met.won), not_met.rate(not_met.won)
            if met_rate is not None and not_met_rate is not None:
                found.append(Comparison(f"{report.framework} {report.title}", met_rate,
                                        not_met_rate))
        return found


def ask_criteria(*, uow: UnitOfWork, catalog: Catalog, words: str, manager: bool,
                 now: dt.datetime) -> CriteriaSeen:
    """`/pipeline criteria [period]` for a manager (this year by default); refused to anyone
    else, since it reads the whole team's leads."""
    if not manager:
        raise Refusal("Only sales managers see the criteria report: it reads the whole team's "
                      "leads. `/pipeline` shows your own numbers.")
    period = parse_period(words or "this year", now=now, tz=catalog.definition.sla.timezone)
    return CriteriaSeen(period.label, criteria_report(uow=uow, catalog=catalog,
                                                      since=period.start, until=period.end))


def criteria_report(*, uow: UnitOfWork, catalog: Catalog, since: dt.datetime,
                    until: dt.datetime) -> list[CriterionReport]:
    """Every criterion of the frameworks in force, with the period's leads by answer."""
    outcomes = (sa.select(
        _O.c.handoff_id,
        sa.func.max(sa.case((_O.c.kind == OutcomeKind.WON, 1), else_=0)).label("won"),
        sa.func.max(sa.case((_O.c.kind.in_((OutcomeKind.OPPORTUNITY_CREATED, OutcomeKind.WON)),
                             1), else_=0)).label("opportunity"),
    ).group_by(_O.c.handoff_id).subquery())
    accepted = sa.or_(_H.c.accepted_at.is_not(None), _H.c.status == HandoffStatus.ACCEPTED,
                      outcomes.c.handoff_id.is_not(None))
    query = (
        sa.select(_Q.c.framework, _A.c.criterion_key, _A.c.choice, sa.func.count(),
                  sa.func.count(_H.c.id), sa.func.count().filter(accepted),
                  sa.func.coalesce(sa.func.sum(outcomes.c.opportunity), 0),
                  sa.func.coalesce(sa.func.sum(outcomes.c.won), 0))
        .select_from(_A.join(_Q, _Q.c.id == _A.c.qualification_id)
                     .outerjoin(_H, _H.c.qualification_id == _Q.c.id)
                     .outerjoin(outcomes, outcomes.c.handoff_id == _H.c.id))
        .where(_A.c.is_current.is_(True), _Q.c.finished_at >= since, _Q.c.finished_at < until)
        .group_by(_Q.c.framework, _A.c.criterion_key, _A.c.choice))
    with uow.reading() as session:
        frameworks = catalog_in_force(session=session, catalog=catalog).frameworks
        rows = session.execute(query).all()
    reports: dict[tuple[str, str], CriterionReport] = {}
    for key, each in frameworks.items():
        for asked in each.criteria:
            reports[key, asked.key] = CriterionReport(each.name, asked.key, asked.title)
    for framework_key, criterion_key, choice, *numbers in rows:
        report = reports.get((framework_key, criterion_key))
        framework = frameworks.get(framework_key)
        criterion = framework.criterion(criterion_key) if framework is not None else None
        if report is None or criterion is None:
            continue  # a criterion the frameworks in force no longer ask
        picked = next((c for c in criterion.choices if c.value == choice), None)
        label = picked.label if picked else ("typed answer" if choice is None else str(choice))
        status = picked.meets.value if picked else Status.UNKNOWN.value
        report.answers.append(AnswerRow(label, status, Counts(*(int(n) for n in numbers))))
    for report in reports.values():
        report.answers.sort(key=lambda row: -row.counts.leads)
    return [report for report in reports.values() if report.answers]
