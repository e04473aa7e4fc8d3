"""The criteria report finds the signal `baton seed` plants: a BANT lead's timeline predicts a
won deal; a criterion that does not is flagged; too few leads to tell is said as such."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from baton.services.catalog import Catalog
from baton.services.pipeline.criteria import (
    AnswerRow,
    Counts,
    CriterionReport,
    criteria_report,
)
from baton.services.seed import seed_history
from baton.services.unit_of_work import UnitOfWork

NOW = dt.datetime(2025, 6, 1, 15, 30, tzinfo=dt.UTC)


def test_the_planted_signal_is_found_and_pinned(engine: sa.Engine, catalog: Catalog) -> None:
    uow = UnitOfWork(engine)
    seed_history(uow=uow, catalog=catalog, leads=6000, seed=11, now=NOW)

    reports = criteria_report(uow=uow, catalog=catalog, since=NOW - dt.timedelta(days=366),
                              until=NOW)

    bant = {report.key: report for report in reports if report.framework == "BANT"}
    timeline, budget = bant["timeline"], bant["budget"]
    assert timeline.finding == "predicts a won deal (lift 11.1)"
    assert (timeline.of("met"), timeline.of("not_met")) == (Counts(850, 385, 283, 158, 84),
                                                            Counts(220, 153, 105, 51, 3))
    # Budget does not drive a win; the sales-ready leads that miss it are those whose timeline
    # is met (the minimum score takes the ones missing both), so it reads backwards: to look at.
    assert budget.finding == ("met converts worse than not met (lift 0.48): look at it in the "
                              "review")
    assert (budget.of("met").won, budget.of("not_met").won) == (59, 19)
    assert bant["authority"].finding == ("too few leads to tell (572 met and 0 not met handed "
                                         "off; 20 of each needed)")
    assert [r.title for r in reports if r.framework == "BANT" and r.to_look_at] == ["Budget"]


def test_the_lift_compares_won_rates_among_the_leads_handed_off() -> None:
    report = CriterionReport("BANT", "timeline", "Timeline")
    report.answers = [AnswerRow("This quarter", "met", Counts(100, 40, 30, 20, 10)),
                      AnswerRow("Later", "not_met", Counts(80, 20, 15, 8, 1))]
    assert report.lift == (10 / 40) / (1 / 20)
    assert report.finding == "predicts a won deal (lift 5.0)"
    report.answers[1] = AnswerRow("Later", "not_met", Counts(80, 19, 15, 8, 1))
    assert report.finding == ("too few leads to tell (40 met and 19 not met handed off; 20 of "
                              "each needed)")
