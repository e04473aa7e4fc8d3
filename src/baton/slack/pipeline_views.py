"""Builders of the pipeline summary and App Home: figures in, Block Kit out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from baton.services.handoff import Away
from baton.services.pipeline import Channel, CriteriaSeen, RepSummary, Summarised, Summary
from baton.services.pipeline.breakdown import Breakdown
from baton.services.pipeline.digest import Digest
from baton.services.pipeline.whatif import WhatIf
from baton.slack import text
from baton.slack.ids import ButtonValue
from baton.slack.render import Renderer
from baton.slack.views import Message

BDR_ROWS_PER_BLOCK = 20
CLOSED_NOTICE = "That handoff is closed: it can no longer be claimed."
# The flipped leads a what-if lists in Slack; `baton definition whatif` lists them all.
WHATIF_FLIPS = 30
# The values a breakdown lists; the rest are counted.
BREAKDOWN_ROWS = 60
# Room for the figures and the reasons within Slack's 50 blocks; the rest are counted.
BDR_ROWS_SHOWN = 600
OWN_NUMBERS = "You see your own numbers; managers see the team's."
_CHANNEL_MENTION = re.compile(r"&lt;#([CG][A-Z0-9]+)&gt;")


def _arrow(delta: float) -> str:
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


def count(now: int, before: int) -> str:
    """A count beside the previous period's: "12 ↑ 3"."""
    delta = now - before
    return f"{now} {_arrow(delta)} {abs(delta)}"


def rate(now: float | None, before: float | None) -> str:
    """A rate (0 to 1) beside the previous period's, in percentage points: "40% ↑ 5 pts"."""
    if now is None:
        return "n/a"
    if before is None:
        return f"{now:.0%}"
    delta = round(now * 100) - round(before * 100)
    return f"{now:.0%} {_arrow(delta)} {abs(delta)} pts"


def duration(seconds: float | None) -> str:
    """A time to claim as people say it: "45s", "4m 10s", "2h 5m", "1d 3h"."""
    if seconds is None:
        return "n/a"
    whole = round(seconds)
    for size, unit, small, small_unit in ((86400, "d", 3600, "h"), (3600, "h", 60, "m"),
                                          (60, "m", 1, "s")):
        if whole >= size:
            rest = (whole % size) // small
            return f"{whole // size}{unit}" + (f" {rest}{small_unit}" if rest else "")
    return f"{whole}s"


def time_to_claim(now: float | None, before: float | None) -> str:
    """A time to claim beside the previous period's: "4m ↓ 1m 30s" (down is faster)."""
    if now is None or before is None:
        return duration(now)
    delta = round(now) - round(before)
    return f"{duration(now)} {_arrow(delta)} {duration(abs(delta))}"


def figure_fields(now: Any, before: Any) -> list[tuple[str, str]]:
    """Every figure of the summary, labelled, each beside the previous period's value."""
    return [
        ("Leads qualified", count(now.qualified, before.qualified)),
        ("Sales-ready rate", rate(now.srl_rate, before.srl_rate)),
        ("Handoffs", count(now.handoffs, before.handoffs)),
        ("Claimed", count(now.claimed, before.claimed)),
        ("Time to claim, median",
         time_to_claim(now.claim_median_seconds, before.claim_median_seconds)),
        ("Time to claim, 90th percentile",
         time_to_claim(now.claim_p90_seconds, before.claim_p90_seconds)),
        ("SLA reminders / escalations", f"{count(now.reminders, before.reminders)} / "
                                        f"{count(now.escalations, before.escalations)}"),
        ("Acceptance rate", rate(now.acceptance_rate, before.acceptance_rate)),
        ("Sales-ready → opportunity", rate(now.srl_to_opportunity, before.srl_to_opportunity)),
        ("Opportunity → won", rate(now.opportunity_to_won, before.opportunity_to_won)),
        ("Time to accept / to first contact, median",
         f"{time_to_claim(now.accept_median_seconds, before.accept_median_seconds)} / "
         f"{time_to_claim(now.contact_median_seconds, before.contact_median_seconds)}"),
        ("Accepted late / contacted late", f"{count(now.accepted_late, before.accepted_late)} / "
                                           f"{count(now.contacted_late, before.contacted_late)}"),
    ]


def readiness(figures: Any) -> str:
    """Sales-ready by the definition and by a manager's override, counted apart."""
    line = (f"Sales-ready: {figures.sales_ready_by_definition} by the definition, "
            f"{figures.sales_ready_by_override} by override")
    if figures.not_ready_by_override:
        line += f" · {figures.not_ready_by_override} overridden to not sales-ready"
    return line


def bdr_lines(bdrs: Sequence[Any]) -> list[str]:
    """One line per BDR: who, leads qualified, sales-ready rate, acceptance rate."""
    return [f"<@{row.bdr_user_id}>: {row.qualified} qualified · sales-ready "
            f"{rate(row.srl_rate, None)} · accepted {rate(row.acceptance_rate, None)}"
            for row in bdrs]


def _chunks(lines: list[str], size: int) -> list[str]:
    return ["\n".join(lines[i:i + size]) for i in range(0, len(lines), size)]


def days(period: Any, tz: str) -> tuple[str, str]:
    """The first and last local day a period covers; its end is exclusive, so March ends 31st."""
    zone, last = ZoneInfo(tz), period.end - dt.timedelta(microseconds=1)
    return (period.start.astimezone(zone).date().isoformat(),
            last.astimezone(zone).date().isoformat())


def own_note(withheld: str) -> str:
    """The note beside someone's own numbers, saying what they asked for that managers alone see."""
    return f"{OWN_NUMBERS} Only managers see {withheld}." if withheld else OWN_NUMBERS


def channel_label(channel: Channel) -> str:
    """"#sales-emea" when the name came along, else a link Slack shows as the name."""
    return f"#{text.safe(channel.name, 80)}" if channel.name else f"<#{channel.id}>"


def whose(seen: Summarised) -> str:
    """Whose numbers these are: "Your numbers", "Team #emea", "<@U…>" or "The team"."""
    if seen.whose == "own":
        return "Your numbers"
    if seen.whose == "channel" and seen.channel is not None:
        return f"Team {channel_label(seen.channel)}"
    if seen.whose == "person":
        return f"<@{seen.person}>"
    return "The team"


def withheld(seen: Summarised) -> str:
    """What someone not a manager named that only managers see, for the note beside their own."""
    if seen.channel is not None:
        return f"the numbers of {channel_label(seen.channel)}"
    return "another person's numbers" if seen.withheld else ""


def _when(moment: Any) -> str:
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|" \
           f"{moment:%Y-%m-%d %H:%M} UTC>"


def _undelivered_line(card: Any) -> str:
    """A card Slack has not taken, as App Home lists it for managers."""
    # The reason names channels as Slack mentions; anything else in it is shown as text.
    reason = _CHANNEL_MENTION.sub(r"<#\1>", text.safe(card.reason, 600))
    return (f"*{text.safe(card.company, 200)}* for <#{card.channel}> · {reason} · "
            f"since {_when(card.since)}")


def _awaiting(status: str) -> str:
    return "awaiting accept or reject" if status == "claimed" else "awaiting outcome"


def card_place(card: Any) -> str:
    """The company linked to its card where Slack gave the card's link, else its channel named."""
    company = text.safe(card.company, 200)
    if card.permalink:
        return f"*<{card.permalink}|{company}>*"
    return f"*{company}* in <#{card.channel}>"


def _verdict_line(verdict: Any) -> str:
    """A verdict in force on App Home: the lead, sales-ready or not (by override), when."""
    state = "sales-ready" if verdict.sales_ready else "not sales-ready"
    by = f" (override by <@{verdict.overridden_by}>)" if verdict.overridden_by else ""
    return (f"*{text.safe(verdict.company, 200)}*: {state}{by}, score {verdict.score} · "
            f"{_when(verdict.decided_at)}")


MANAGERS_ONLY_RETRY = "Only managers can send undelivered cards again."


def retry_notice(count: int) -> str:
    """The line atop App Home after Retry: how many waiting cards are on their way again."""
    if not count:
        return "No card is waiting to be delivered."
    cards = "card is" if count == 1 else "cards are"
    return (f":arrows_counterclockwise: {count} waiting {cards} on the way to their channels "
            f"again; a card Slack still refuses comes back to this list.")


def claim_notice(company: str, *, owner: str, yours: bool) -> str:
    """The line atop App Home after a Claim there: the lead is now yours, or whose it is."""
    name = f"*{text.safe(company, 200)}*"
    if yours:
        return f"You claimed {name}; it is under your claimed leads."
    return f"{name} is already claimed by <@{owner}>."


def away_line(away: Away | None) -> str:
    """Whether round robins give this person leads, as App Home says it."""
    if away is None or not away.away:
        return ("*Round robins:* you are in turn for leads. Going away? Round robins skip you "
                "until you are back.")
    until = f" until {away.until:%a %-d %b} included" if away.until else " until you are back"
    return f":palm_tree: *You are away{until}:* round robins skip you."


class PipelineViews:
    """The pipeline's summary and App Home, over the renderer the composition root built."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def summary_message(self, summary: Summary, *, whose: str, own_only: bool = False,
                        withheld: str = "", tz: str = "UTC") -> Message:
        """The pipeline summary of a period for `whose` ("The team", "Team #emea", "<@U…>")."""
        figures = summary.figures
        reasons = [f"{text.safe(str(reason), 200)} ({times})"
                   for reason, times in figures.top_rejection_reasons]
        for title, counted in (("criterion", figures.rejected_by_criterion),
                               ("definition version", figures.rejected_by_version)):
            if counted:
                reasons.append(f"_By {title}:_ " + " · ".join(
                    f"{text.safe(name, 100)} {times}" for name, times in counted))
        fallback = (f"Pipeline for {summary.period.label}, {whose}: "
                    f"{figures.qualified} qualified, {figures.sales_ready} sales-ready, "
                    f"{figures.won} won")
        start, end = days(summary.period, tz)
        blocks = self.renderer.blocks(
            "pipeline.j2", period=summary.period.label, start=start, end=end, whose=whose,
            fields=figure_fields(figures, summary.previous), reasons=reasons,
            bdr_chunks=_chunks(bdr_lines(summary.bdrs[:BDR_ROWS_SHOWN]), BDR_ROWS_PER_BLOCK),
            hidden=max(0, len(summary.bdrs) - BDR_ROWS_SHOWN), readiness=readiness(figures),
            note=own_note(withheld) if own_only else "")
        if len(blocks) > text.MESSAGE_BLOCKS:
            raise ValueError(f"the summary made {len(blocks)} blocks, a message holds "
                             f"{text.MESSAGE_BLOCKS}")
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def rep_message(self, rep: RepSummary, *, whose: str, tz: str) -> Message:
        """A sales rep's numbers: what they claimed, accepted, reached, met and won."""
        now, before = rep.figures, rep.previous
        fields = [
            ("Claimed or assigned", count(now.claimed, before.claimed)),
            ("Accepted / rejected", f"{count(now.accepted, before.accepted)} / "
                                    f"{count(now.rejected, before.rejected)}"),
            ("Time to accept, median",
             time_to_claim(now.accept_median_seconds, before.accept_median_seconds)),
            ("First contacts", count(now.contacted, before.contacted)),
            ("Meetings held", count(now.meetings, before.meetings)),
            ("Opportunities", count(now.opportunities, before.opportunities)),
            ("Won / lost", f"{count(now.won, before.won)} / {count(now.lost, before.lost)}"),
            ("Accepted late / contacted late",
             f"{count(now.accepted_late, before.accepted_late)} / "
             f"{count(now.contacted_late, before.contacted_late)}"),
        ]
        start, end = days(rep.period, tz)
        blocks = self.renderer.blocks("pipeline_rep.j2", period=rep.period.label, start=start,
                                      end=end, whose=whose, fields=fields)
        fallback = (f"Pipeline for {rep.period.label}, {whose}: {now.claimed} claimed, "
                    f"{now.accepted} accepted, {now.won} won")
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def whatif_message(self, result: WhatIf) -> Message:
        """A proposed definition replayed: before and after, the sentence for sales, what the
        flipped leads became, and the first flips."""
        lines = [f"Sales-ready: {result.ready_before} before, {result.ready_after} after, of "
                 f"{result.judged} leads qualified in the last 90 days.",
                 f"*{text.safe(result.sentence(), 500)}*"]
        for title, flips in (("dropped", result.dropped), ("added", result.added)):
            if flips:
                fates = " · ".join(f"{text.safe(fate, 100)} {count}"
                                   for fate, count in result.became(flips).most_common())
                lines.append(f"What the {title} leads became: {fates}")
        shown = [f"• {text.safe(f.company, 100)}: "
                 f"{'sales-ready' if f.old_ready else 'not sales-ready'} → "
                 f"{'sales-ready' if f.new_ready else 'not sales-ready'} "
                 f"({text.safe(f.why, 200)}); became {text.safe(f.became, 100)}"
                 for f in result.flips[:WHATIF_FLIPS]]
        blocks = self.renderer.blocks(
            "whatif.j2", title=f"What if {result.proposed_version}", lines="\n".join(lines),
            chunks=_chunks(shown, 10), hidden=max(0, len(result.flips) - WHATIF_FLIPS))
        return Message(text=text.safe(result.sentence(), text.SECTION_TEXT), blocks=blocks)

    def breakdown_message(self, seen: Breakdown, *, whose: str) -> Message:
        """The period's cohort by one dimension: each value's leads and how far they went."""
        lines = [f"*{text.safe(row.value, 100)}*: {row.qualified} qualified · sales-ready "
                 f"{rate(row.rate(row.sales_ready), None)} · {row.handed_off} handed off · "
                 f"{row.accepted} accepted · {row.opportunities} opportunities · {row.won} won "
                 f"({rate(row.rate(row.won), None)})" for row in seen.rows[:BREAKDOWN_ROWS]]
        blocks = self.renderer.blocks(
            "breakdown.j2", title=f"Pipeline by {seen.dimension}: {seen.period.label}",
            whose=whose, chunks=_chunks(lines, 10),
            hidden=max(0, len(seen.rows) - BREAKDOWN_ROWS))
        fallback = f"Pipeline by {seen.dimension}, {seen.period.label}: {len(seen.rows)} values"
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def digest_message(self, digest: Digest) -> Message:
        """The week's digest for managers: the week against the one before, rejections, the
        criteria to look at, and the review when it is due."""
        figures = digest.summary.figures
        reasons = [f"{text.safe(str(reason), 200)} ({times})"
                   for reason, times in figures.top_rejection_reasons]
        review = (f":calendar: The definition {text.safe(digest.definition_version, 100)} was "
                  f"due for review on {digest.review_due:%a %d %b %Y}." if digest.review_due
                  else "")
        blocks = self.renderer.blocks(
            "digest.j2", week=digest.week,
            fields=figure_fields(figures, digest.summary.previous), reasons=reasons,
            looking=text.safe(", ".join(digest.to_look_at), 1500), review=review)
        fallback = (f"Weekly digest, {digest.week}: {figures.qualified} qualified, "
                    f"{figures.sales_ready} sales-ready, {figures.won} won")
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def criteria_message(self, seen: CriteriaSeen) -> Message:
        """Which criteria predict a won deal: each criterion's finding, by framework, and the
        ones to look at in the review."""
        by_framework: dict[str, list[str]] = {}
        for report in seen.reports:
            by_framework.setdefault(report.framework, []).append(
                f"• *{text.safe(report.title, 100)}*: {text.safe(report.finding, 300)}")
        looking = [f"{r.framework} {r.title}" for r in seen.reports if r.to_look_at]
        blocks = self.renderer.blocks(
            "criteria.j2", period=seen.label, sections=[
                (name, "\n".join(lines)) for name, lines in by_framework.items()],
            looking=text.safe(", ".join(looking), 1500))
        fallback = (f"Criteria for {seen.label}: " + (
            f"to look at: {', '.join(looking)}" if looking else "nothing to look at"))
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def summarised_message(self, seen: Summarised) -> Message:
        """The summary as the asker may see it, with the note when they see only their own."""
        if seen.rep is not None:
            return self.rep_message(seen.rep, whose=whose(seen), tz=seen.tz)
        own = seen.whose == "own"
        return self.summary_message(seen.summary, whose=whose(seen), own_only=own,
                                    withheld=withheld(seen) if own else "", tz=seen.tz)

    def home_view(self, work: Any, *, week: Summary | None, notice: str = "",
                  away: Away | None = None) -> dict[str, Any]:
        """App Home: a notice, their open work, whether they are away and, for a manager, the
        week and unclaimed."""
        paused = [(f"*{text.safe(p.company, 200)}* · {text.safe(p.framework, 100)} · "
                   f"question {p.position} of {p.total}", ButtonValue(p.qualification_id).pack())
                  for p in work.paused]
        verdicts = [_verdict_line(v) for v in work.verdicts]
        claims = [f"{card_place(c)} · {_awaiting(c.status)} · claimed {_when(c.since)}"
                  for c in work.claims]
        unclaimed = [(f"{card_place(c)} · waiting since {_when(c.since)}", str(c.handoff_id))
                     for c in work.unclaimed]
        team = [(f"{_verdict_line(v)} · <@{v.bdr}>", ButtonValue(v.qualification_id).pack())
                for v in work.team_verdicts]
        fields = figure_fields(week.figures, week.previous) if week else []
        return self.renderer.view(
            "home.j2", paused=paused, verdicts=verdicts, claims=claims, unclaimed=unclaimed,
            manager=week is not None, fields=fields, week=week.period.label if week else "",
            notice=notice, team_verdicts=team,
            undelivered=[_undelivered_line(c) for c in work.undelivered],
            set_aside=work.set_aside, away=bool(away and away.away), away_line=away_line(away))
