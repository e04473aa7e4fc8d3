"""Builders of what follows a verdict: the override modal, the recheck reminder and the
sentences that say what a correction, an override or a next step did."""

from __future__ import annotations

from typing import Any

from baton.services.handoff import Effect, Followed
from baton.services.verdicts import Corrected, Overridden, OverrideTarget, Recheck, RecheckSet
from baton.slack import text
from baton.slack.ids import ButtonValue
from baton.slack.render import Renderer
from baton.slack.views import Message, user_id

SALES_READY = "sales_ready"
NOT_SALES_READY = "not_sales_ready"
VERDICTS = {SALES_READY: "Sales-ready: hand it to sales",
            NOT_SALES_READY: "Not sales-ready: back to nurture"}
TO_MANAGER = {
    Effect.NONE: "It goes to nurture.",
    Effect.HANDED_OFF: "It is handed off to sales.",
    Effect.UPDATED: "Its card shows your override.",
    Effect.WITHDRAWN: "Its card is withdrawn.",
    Effect.REINSTATED: "Its card offers Claim again.",
    Effect.STANDS: "Sales already decided on it, so the handoff stands as it is.",
}


def _day(day: Any) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _where(followed: Followed) -> str:
    return f"<#{followed.channel}>" if followed.channel else "the sales channel"


def _after_correction(corrected: Corrected) -> str:
    """What a correction did to the handoff, as its BDR reads it."""
    followed, ready = corrected.followed, corrected.judged.verdict.sales_ready
    owner = f" <@{user_id(followed.owner)}> is told in the card's thread." if followed.owner else ""
    where = _where(followed)
    return {
        Effect.NONE: "It is still not sales-ready.",
        Effect.HANDED_OFF: "It is sales-ready now, so it is handed off to sales; you'll get "
                           "the card's link here.",
        Effect.UPDATED: f"Its card in {where} shows the new verdict.{owner}",
        Effect.WITHDRAWN: f"It is no longer sales-ready, so its card in {where} is "
                          f"withdrawn.{owner}",
        Effect.REINSTATED: f"It is sales-ready again, so its card in {where} offers Claim again.",
        Effect.STANDS: f"Sales already decided on its handoff in {where}, so the handoff "
                       f"{'stays as it is' if ready else 'is not withdrawn'}.{owner}",
    }[followed.effect]


class VerdictViews:
    """What follows a verdict, over the renderer the composition root built; it is the
    RecheckPresenter the nurture services render reminders with."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def override_modal(self, *, target: OverrideTarget, private_metadata: str) -> dict[str, Any]:
        """A manager's new verdict, the opposite one picked already, and their reason."""
        user_id(target.bdr)
        initial = NOT_SALES_READY if target.sales_ready else SALES_READY
        return self.renderer.view("override.j2", target=target, choices=list(VERDICTS.items()),
                                  initial=initial, private_metadata=private_metadata)

    def recheck_reminder(self, recheck: Recheck) -> Message:
        """The morning DM of a recheck: the lead, why it went to nurture, and Resume."""
        answers = "\n".join(f"• {text.safe(title, 100)}: {text.safe(answer, 300)}"
                            for title, answer in recheck.answers)
        blocks = self.renderer.blocks("recheck.j2", recheck=recheck,
                                      answers=text.clip(answers, 2800),
                                      value=ButtonValue(recheck.qualification_id).pack())
        return Message(text=text.safe(f"Time to look at {recheck.company} again", 300),
                       blocks=blocks)

    @staticmethod
    def corrected_note(corrected: Corrected) -> str:
        """The line atop a corrected verdict: what changed, and what it did to the handoff."""
        titles = ", ".join(text.safe(title, 100) for title in corrected.changed)
        override = corrected.judged.override
        stands = f" <@{user_id(override.by)}>'s override still stands." if override else ""
        return f":pencil2: *Corrected:* {titles}. {_after_correction(corrected)}{stands}"

    @staticmethod
    def overridden(result: Overridden) -> str:
        """Told to the manager once their override is recorded."""
        now = "sales-ready" if result.sales_ready else "not sales-ready"
        return (f":scales: Overridden: *{text.safe(result.company, 200)}* is now {now}. "
                f"{TO_MANAGER[result.followed.effect]} <@{user_id(result.bdr)}> is told.")

    @staticmethod
    def recheck_set(result: RecheckSet) -> str:
        """Told to the BDR once they picked the day to look at the lead again."""
        return (f":calendar: I'll remind you about *{text.safe(result.company, 200)}* on "
                f"{_day(result.day)} at 9:00 ({result.timezone}), with a button to qualify it "
                "again.")

    @staticmethod
    def nurture_set(reason: str) -> str:
        """Told to the BDR once they picked why the lead goes to nurture."""
        return f"Nurture reason recorded: {text.safe(reason, 500)}."
