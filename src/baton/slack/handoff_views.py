"""Builders of the handoff card, its thread, the owner's modals and the notices; HandoffViews
is the CardPresenter the composition root hands to the services."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from baton.services.handoff import REJECT_REASONS, Card, CardState, Effect, VerdictChange
from baton.slack import ids, text, undelivered
from baton.slack.render import Renderer
from baton.slack.views import Message

NOTES_ON_CARD = 1000
LOST_REASON_ON_CARD = 300
OUTCOMES = {
    "meeting_held": "Meeting held",
    "opportunity_created": "Opportunity created",
    "won": "Won",
    "lost": "Lost…",
}
CONTACTS = {"contacted": "Contacted", "meeting_booked": "Meeting booked"}
OVERRIDE_OPTION = "Override verdict…"
REASSIGN_OPTION = "Reassign…"
MANAGER_RELEASE_OPTION = "Release to the channel"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_STATE_BLOCKS = (ids.CARD_STATE, ids.CARD_ACTIONS)
# What a changed verdict did to the handoff, told to the rep who owns it, then to the BDR.
TO_OWNER = {
    Effect.UPDATED: "The card shows the new verdict.",
    Effect.WITHDRAWN: "The card is withdrawn: nothing more to do on it.",
    Effect.REINSTATED: "It is offered to the channel again.",
    Effect.STANDS: "You have already decided on it, so the handoff stands as it is.",
}
TO_BDR = {
    Effect.NONE: "It goes to nurture; plan its next step from its verdict message.",
    Effect.HANDED_OFF: "It is handed off to sales; you'll get the card's link here.",
    Effect.UPDATED: "Its card in the sales channel shows the new verdict.",
    Effect.WITHDRAWN: "Its card is withdrawn from the sales channel; it goes to nurture.",
    Effect.REINSTATED: "Its card is offered to sales again.",
    Effect.STANDS: "Sales has already decided on it, so the handoff stands as it is.",
}


def _user(user_id: str) -> str:
    if not _USER_ID.match(user_id):
        raise ValueError(f"expected a Slack user id such as U012AB3CD, got {user_id!r}")
    return user_id


def _checked(fallback: str, blocks: list[dict[str, Any]]) -> Message:
    if len(blocks) > text.MESSAGE_BLOCKS:
        raise ValueError(f"the card made {len(blocks)} blocks, a message holds "
                         f"{text.MESSAGE_BLOCKS}")
    return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)


def reader_time(card: Card) -> str:
    """The claim deadline in each reader's own time zone (Slack's date token), the team's local
    time written out where Slack cannot."""
    shown = text.safe(card.claim_by, 60)
    if card.claim_by_at is None:
        return shown
    epoch = int(card.claim_by_at.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{shown}>"


def took(seconds: int | None) -> str:
    """How long after the handoff it was claimed, as a rep says it: "after 3 min"."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "within a minute"
    minutes = seconds // 60
    if minutes < 60:
        return f"after {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"after {hours} h {minutes} min" if minutes else f"after {hours} h"


ASSIGNED_HOW = {"round_robin": "by round robin", "owner": "as the account's owner"}


def assigned_how(how: str | None) -> str:
    """How a lead came to its owner without a claim: "by round robin", "by <@U…>"."""
    if not how:
        return ""
    return ASSIGNED_HOW.get(how) or f"by <@{_user(how)}>"


def manager_options(handoff_id: int, state: CardState) -> list[tuple[str, str]]:
    """What a manager may do from a card's overflow, as its state allows."""
    options = [(f"{handoff_id}|{ids.OVERRIDE_CHOICE}", OVERRIDE_OPTION)]
    if state.status != "withdrawn":
        options.append((f"{handoff_id}|{ids.REASSIGN_CHOICE}", REASSIGN_OPTION))
    if state.status in ("claimed", "accepted"):
        options.append((f"{handoff_id}|{ids.MANAGER_RELEASE_CHOICE}", MANAGER_RELEASE_OPTION))
    return options


def _assigned(state: CardState) -> str:
    """The card's line while an assigned lead waits for its owner to accept it."""
    if not state.assigned_by or state.owner is None:
        return ""
    return (f":bust_in_silhouette: *Assigned to <@{_user(state.owner)}>* "
            f"{assigned_how(state.assigned_by)}: accept it, or release it to the channel.")


def _withdrawn(state: CardState) -> str:
    """The card's line once withdrawn: who took sales-readiness away, and why."""
    if state.status != "withdrawn":
        return ""
    who = f"<@{_user(state.withdrawn_by)}>" if state.withdrawn_by else "the BDR"
    how = (f"overridden to not sales-ready by {who}" if state.withdrawn_by_override
           else f"no longer sales-ready after a correction by {who}")
    return f":no_entry_sign: *Withdrawn:* {how}: {text.safe(state.withdrawn_why, 1500)}"


def changed(change: VerdictChange) -> str:
    """A changed verdict in a sentence: who changed it, how, and where the lead stands now."""
    company = f"*{text.safe(change.company, 200)}*"
    did = (f":scales: <@{_user(change.by)}> overrode the verdict on {company}" if change.override
           else f":pencil2: <@{_user(change.by)}> corrected the answers on {company}")
    now = "sales-ready" if change.sales_ready else "not sales-ready"
    why = text.safe(change.why, 1500)
    if change.override:
        return f"{did}: it is now {now}, “{why}”."
    return f"{did}: it is now {now}" + (f": {why}." if why else ".")


def _outcome(kind: str, lost_reason: str) -> str:
    """An outcome as the card names it; a lost deal says why, in the owner's words."""
    label = OUTCOMES[kind].rstrip("…")
    if kind == "lost" and lost_reason.strip():
        return f"{label}: {text.safe(lost_reason.strip(), LOST_REASON_ON_CARD)}"
    return label


class HandoffViews:
    """The card and what surrounds it, over the renderer the composition root built."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def state_blocks(self, handoff_id: int, state: CardState) -> list[dict[str, Any]]:
        """The card's status line and the buttons this status offers."""
        for user in (state.owner, state.released_by):
            if user is not None:
                _user(user)
        options = [(f"{handoff_id}|{kind}", label) for kind, label in OUTCOMES.items()]
        outcomes = [_outcome(kind, state.lost_reason) for kind in state.outcomes
                    if kind in OUTCOMES]
        return self.renderer.blocks(
            "card_state.j2", state=state, took=took(state.seconds_to_claim), outcomes=outcomes,
            value=str(handoff_id), outcome_options=options, withdrawn=_withdrawn(state),
            assigned=_assigned(state), contact=CONTACTS.get(state.contact, ""),
            assigned_how=f"assigned {assigned_how(state.assigned_by)}" if state.assigned_by else "",
            override_options=manager_options(handoff_id, state))

    def card_message(self, card: Card, state: CardState) -> Message:
        """The card in the sales channel: who the lead is, why sales-ready, and Claim."""
        _user(card.bdr)
        blocks = self.renderer.blocks("card.j2", card=card, notes_limit=NOTES_ON_CARD,
                                      answer_limit=300, claim_by=reader_time(card))
        fallback = (f"Sales-ready lead: {card.company} (score {card.score}), "
                    f"claim by {card.claim_by}")
        return _checked(fallback, blocks + self.state_blocks(card.handoff_id, state))

    def card_renewed(self, card: Card, state: CardState,
                     shown: Sequence[dict[str, Any]]) -> Message:
        """The card rendered afresh, still led by the line saying why it is in the fallback
        channel when the card as shown has one."""
        renewed = self.card_message(card, state)
        prefix = f"{ids.CARD_REDIRECTED}:"
        led = [b for b in shown if str(b.get("block_id", "")).startswith(prefix)]
        return _checked(renewed.text, led + renewed.blocks)

    def card_restated(self, handoff_id: int, blocks: Sequence[dict[str, Any]], fallback: str,
                      state: CardState) -> Message:
        """A posted card with its status and buttons replaced by those of `state`."""
        kept = [b for b in blocks if b.get("block_id") not in _STATE_BLOCKS]
        return Message(text=fallback, blocks=kept + self.state_blocks(handoff_id, state))

    def thread_message(self, card: Card) -> Message:
        """The full question-and-answer record, posted in the card's thread."""
        _user(card.bdr)
        blocks = self.renderer.blocks("card_thread.j2", card=card)
        lines = [f"{a.title}: {a.answer or 'no answer'}" for a in card.answers]
        return _checked("Questions and answers\n" + "\n".join(lines), blocks)

    def rejected_notice(self, *, company: str, rep: str, reason: str, comment: str) -> Message:
        """Told to the BDR in their DM when a rep rejects their lead."""
        said = f"\n> {text.safe(comment, 1500)}" if comment else ""
        body = (f":x: <@{_user(rep)}> rejected *{text.safe(company, 200)}*: "
                f"{text.safe(reason, 100)}.{said}\nThe lead goes back to nurture.")
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        return Message(text=text.safe(f"{company} was rejected: {reason}", 300), blocks=blocks)

    def link_notice(self, *, company: str, channel: str, permalink: str) -> Message:
        """Told to the BDR once their lead's card is in the sales channel."""
        body = (f":handshake: *{text.safe(company, 200)}* is handed off to <#{channel}>: "
                f"<{permalink}|see the card>. You'll hear how it goes in the lead's thread, "
                "and here if it is rejected.")
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        return Message(text=text.safe(f"{company} is handed off: {permalink}", 3000),
                       blocks=blocks)

    def reject_modal(self, *, company: str, private_metadata: str,
                     reasons: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """The owner's reason (the definition's) and comment for sending the lead back."""
        return self.renderer.view("reject.j2", company=company,
                                  reasons=list(reasons or REJECT_REASONS.items()),
                                  private_metadata=private_metadata)

    def reassign_modal(self, *, company: str, owner: str | None,
                       private_metadata: str) -> dict[str, Any]:
        """A manager picking the rep who gets the lead."""
        return self.renderer.view("reassign.j2", company=company,
                                  owner=_user(owner) if owner else None,
                                  private_metadata=private_metadata)

    def lost_modal(self, *, company: str, private_metadata: str) -> dict[str, Any]:
        """The owner's reason the deal was lost."""
        return self.renderer.view("outcome_lost.j2", company=company,
                                  private_metadata=private_metadata)

    def verdict_notice(self, *, owner: str, change: VerdictChange) -> Message:
        """Told in the card's thread to the rep who owns it when the verdict changes."""
        body = f"<@{_user(owner)}> {changed(change)} {TO_OWNER.get(change.effect, '')}".strip()
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        state = "sales-ready" if change.sales_ready else "not sales-ready"
        return Message(text=text.safe(f"The verdict on {change.company} changed: {state}", 300),
                       blocks=blocks)

    def override_notice(self, *, change: VerdictChange) -> Message:
        """Told to the BDR in their DM when a manager overrides their lead's verdict."""
        body = f"{changed(change)} {TO_BDR[change.effect]}"
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        state = "sales-ready" if change.sales_ready else "not sales-ready"
        return Message(text=text.safe(f"{change.company} was overridden: {state}", 300),
                       blocks=blocks)

    def bdr_news(self, *, company: str, what: str, who: str | None, how: str | None,
                 qualification_id: int) -> Message:
        """How the BDR's lead went, in its DM thread, with the button that mutes the lead."""
        person = f"<@{_user(who)}>" if who else "a rep"
        news = {
            "claimed": f"claimed by {person}",
            "assigned": f"assigned to {person} {assigned_how(how)}",
            "reassigned": f"reassigned to {person} {assigned_how(how)}",
            "accepted": f"accepted by {person}",
            "released": f"released by {person} back to the sales channel",
            "meeting_held": "the first meeting was held",
            "opportunity_created": "an opportunity was opened",
            "won": "the deal was won :tada:",
            "lost": "the deal was lost",
            "contacted": f"{person} reached them",
            "meeting_booked": f"{person} booked a meeting with them",
        }[what]
        body = f":mailbox_with_mail: *{text.safe(company, 200)}*: {news}."
        blocks = self.renderer.blocks("news.j2", body=body, value=str(qualification_id))
        return Message(text=text.safe(f"{company}: ", 200) + news, blocks=blocks)

    def assigned_notice(self, *, user: str | None, how: str,
                        skipped: Sequence[tuple[str, str]]) -> Message:
        """Said in the card's thread: who the lead went to, and who was passed over and why."""
        passed = "; ".join(f"<@{_user(person)}>: {text.safe(why, 100)}" for person, why in skipped)
        if user is None:
            body = (":warning: Nobody in this rule's rotation can take this lead now"
                    + (f" (skipped {passed})" if passed else "") + ": the first rep to claim it "
                    "owns it.")
        else:
            body = (f":bust_in_silhouette: Assigned to <@{_user(user)}> {assigned_how(how)}."
                    + (f" Skipped {passed}." if passed else ""))
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        # Only Baton's own words and mentions: nothing typed by a person to escape.
        return Message(text=body[:3000], blocks=blocks)

    def undelivered_notice(self, *, company: str, channel: str, error: str, rule: str | None,
                           posted_in: str | None, manager: bool) -> Message:
        """Told to the BDR and the managers when Slack refuses a card: where it is, the fix."""
        body = undelivered.notice(text.safe(company, 200), channel, error, rule, posted_in,
                                  manager)
        blocks = self.renderer.blocks("card_notice.j2", body=body)
        return Message(text=text.safe(f"The card for {company} could not go to its channel",
                                      300), blocks=blocks)

    def redirected_line(self, channel: str, error: str) -> list[dict[str, Any]]:
        """The line on a card posted in the fallback channel, saying why it is there."""
        return self.renderer.blocks("card_redirected.j2", line=undelivered.redirected(
            channel, error), block_id=f"{ids.CARD_REDIRECTED}:{error}")
