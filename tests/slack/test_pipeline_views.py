"""Builders of the pipeline summary and App Home: figures in, valid Block Kit out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from baton.domain.periods import Period
from baton.services.handoff import WaitingCard
from baton.services.pipeline import SHOWN, BdrRow, Figures, OpenHandoff, OpenWork, Summary
from baton.services.qualification import PausedItem
from baton.slack import ids
from baton.slack.pipeline_views import (
    OWN_NUMBERS,
    PipelineViews,
    claim_notice,
    count,
    duration,
    rate,
    time_to_claim,
)
from baton.slack.render import Renderer
from baton.standin.validation import validate_blocks, validate_view

PIPELINE = PipelineViews(Renderer())

NOW = Figures(qualified=12, sales_ready=6, srl_rate=0.5, handoffs=6, claimed=5,
              claim_median_seconds=250.0, claim_p90_seconds=3900.0, reminders=2, escalations=1,
              accepted=3, rejected=1, acceptance_rate=0.75,
              top_rejection_reasons=(("<!channel> no budget", 1),), opportunities=2, won=1,
              srl_to_opportunity=1 / 3, opportunity_to_won=0.5)
BEFORE = dataclasses.replace(NOW, qualified=15, srl_rate=0.4, claim_median_seconds=340.0,
                             acceptance_rate=None)
MARCH = Period("this month", dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC),
               dt.datetime(2026, 4, 1, 4, tzinfo=dt.UTC))


def summary(bdrs: int = 2) -> Summary:
    rows = tuple(BdrRow(f"U0BDR{i:05d}", 3, 0.5, None) for i in range(bdrs))
    return Summary(period=MARCH, figures=NOW, previous=BEFORE, bdrs=rows)


@pytest.mark.parametrize(("now", "before", "shown"), [(12, 15, "12 ↓ 3"), (4, 1, "4 ↑ 3"),
                                                     (0, 0, "0 → 0")])
def test_a_count_shows_the_change_from_the_period_before(now: int, before: int,
                                                         shown: str) -> None:
    assert count(now, before) == shown


def test_a_rate_changes_in_points_and_says_when_there_is_nothing_to_rate() -> None:
    assert rate(0.5, 0.4) == "50% ↑ 10 pts"
    assert rate(0.75, None) == "75%"
    assert rate(None, 0.4) == "n/a"


@pytest.mark.parametrize(("seconds", "shown"), [(45, "45s"), (250, "4m 10s"), (3900, "1h 5m"),
                                                (90000, "1d 1h"), (None, "n/a")])
def test_a_time_to_claim_reads_as_people_say_it(seconds: float | None, shown: str) -> None:
    assert duration(seconds) == shown


def test_a_faster_claim_points_down() -> None:
    assert time_to_claim(250.0, 340.0) == "4m 10s ↓ 1m 30s"


def test_the_summary_is_valid_block_kit_and_escapes_what_people_typed() -> None:
    message = PIPELINE.summary_message(summary(), whose="The team")
    assert validate_blocks(message.blocks) == []
    text = str(message.blocks)
    assert "&lt;!channel&gt; no budget (1)" in text
    assert "<!channel>" not in text
    assert OWN_NUMBERS not in text
    assert message.text.startswith("Pipeline for this month, The team: 12 qualified")


def test_someone_who_is_not_a_manager_is_told_whose_numbers_they_see() -> None:
    message = PIPELINE.summary_message(summary(bdrs=1), whose="Your numbers", own_only=True)
    assert OWN_NUMBERS in str(message.blocks)


def test_a_large_team_still_fits_in_one_message() -> None:
    message = PIPELINE.summary_message(summary(bdrs=300), whose="The team")
    assert validate_blocks(message.blocks) == []
    assert "<@U0BDR00299>" in str(message.blocks)


def test_a_huge_team_shows_the_busiest_and_counts_the_rest() -> None:
    message = PIPELINE.summary_message(summary(bdrs=700), whose="The team")
    assert validate_blocks(message.blocks) == []
    assert "<@U0BDR00599>" in str(message.blocks)
    assert "<@U0BDR00600>" not in str(message.blocks)
    assert "and 100 more BDRs" in str(message.blocks)


def full_home() -> OpenWork:
    """As much open work as App Home shows: every list at its longest."""
    since = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    cards = [OpenHandoff(100 + n, f"<!channel> Corp {n}", "posted", "C0SALES", "1.0", since)
             for n in range(SHOWN)]
    paused = [PausedItem(n, f"Lead {n}", "BANT", 3, 4, since) for n in range(SHOWN)]
    return OpenWork(paused=paused, verdicts=[], claims=[], unclaimed=cards)


def test_a_managers_home_has_a_claim_button_per_unclaimed_card_and_the_notice_on_top() -> None:
    notice = claim_notice("<!channel> Corp 0", owner="U0BOSS0001", yours=False)
    view = PIPELINE.home_view(full_home(), week=summary(), notice=notice)

    assert validate_view(view) == []
    assert view["blocks"][0]["text"]["text"] == (
        "*&lt;!channel&gt; Corp 0* is already claimed by <@U0BOSS0001>.")
    claims = [b["accessory"] for b in view["blocks"]
              if b.get("accessory", {}).get("text", {}).get("text") == "Claim"]
    assert [c["value"] for c in claims] == [str(100 + n) for n in range(SHOWN)]
    assert len({c["action_id"] for c in claims}) == SHOWN
    assert all(ids.HOME_CLAIM_PATTERN.match(c["action_id"]) for c in claims)
    assert "<!channel>" not in str(view)


def test_a_home_without_a_notice_starts_with_its_header_and_a_bdr_gets_no_claim_buttons() -> None:
    view = PIPELINE.home_view(full_home(), week=None)

    assert validate_view(view) == []
    assert view["blocks"][0]["type"] == "header"
    assert "Claim" not in str(view)
    assert claim_notice("Acme", owner="U0X", yours=True) == (
        "You claimed *Acme*; it is under your claimed leads.")


def test_a_managers_home_lists_the_cards_slack_has_not_taken_with_one_retry() -> None:
    since = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    waiting = [WaitingCard(n, f"<!here> Corp {n}", "C0EMEA0001",
                           "<#C0EMEA0001> is archived; posted <!channel> *here*" + "x" * 700,
                           since) for n in range(SHOWN)]
    work = dataclasses.replace(full_home(), undelivered=waiting, set_aside=2)
    view = PIPELINE.home_view(work, week=summary())

    assert validate_view(view) == []
    text = str(view)
    assert "*&lt;!here&gt; Corp 0* for <#C0EMEA0001> · <#C0EMEA0001> is archived; posted " \
           "&lt;!channel&gt; *here*" in text
    assert "<!channel>" not in text
    assert "<!here>" not in text
    retry = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
             if e["action_id"] == ids.HOME_RETRY_CARDS]
    assert [e["text"]["text"] for e in retry] == ["Retry"]
    assert "2 other Slack message(s) set aside: `baton outbox status` lists them" in text


def test_a_home_with_nothing_undelivered_shows_no_such_list() -> None:
    assert "Cards not delivered" not in str(PIPELINE.home_view(full_home(), week=summary()))


def test_rejections_show_by_criterion_and_by_definition_version_and_follow_ups_are_timed() -> None:
    figures = dataclasses.replace(NOW, rejected_by_criterion=(("budget", 3), ("authority", 1)),
                                  rejected_by_version=(("2026-Q4.3", 3), ("2026-Q4.1", 1)),
                                  accept_median_seconds=1800.0, accepted_late=2)
    message = PIPELINE.summary_message(
        Summary(period=MARCH, figures=figures, previous=BEFORE, bdrs=()), whose="The team")
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "_By criterion:_ budget 3 · authority 1" in shown
    assert "_By definition version:_ 2026-Q4.3 3 · 2026-Q4.1 1" in shown
    assert "*Time to accept / to first contact, median*\\n30m / n/a" in shown
    assert "*Accepted late / contacted late*\\n2 ↑ 2 / 0 → 0" in shown
    assert validate_blocks(message.blocks) == []
