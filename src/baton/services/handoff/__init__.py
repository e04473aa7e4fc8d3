"""A sales-ready lead's second leg: its card in the routed sales channel, the race to claim it,
the owner's decisions, and the SLA timers that chase an unclaimed card.

Use cases: claim_card, accept_card, release_card, reject_card, record_card_outcome,
owner_company, qualification_of; queue_pending_cards and, once Slack took a card, card_posted
(an outbox hook) and link_card; tick_due (the SLA's reminders and escalations); follow_verdict,
in a caller's transaction, when a correction or an override changes the verdict.
"""

from baton.services.handoff.card import (
    Answered,
    Card,
    CardPresenter,
    CardState,
    Rendered,
    card_key,
    handoff_of,
    state_of,
    thread_key,
)
from baton.services.handoff.claims import (
    CLAIMABLE,
    REJECT_REASONS,
    ActionResult,
    ClaimResult,
    load_handoff,
)
from baton.services.handoff.decisions import (
    accept_card,
    claim_card,
    owner_company,
    qualification_of,
    record_card_outcome,
    reject_card,
    release_card,
)
from baton.services.handoff.follow import Followed, as_verdict, change_of, follow_verdict
from baton.services.handoff.queue import card_posted, link_card, queue_pending_cards
from baton.services.handoff.request import HandoffRequest, request_handoff
from baton.services.handoff.sla import TickReport, tick, tick_due
from baton.services.handoff.verdict import Effect, VerdictChange, in_force, not_ready_because

__all__ = [
    "CLAIMABLE", "REJECT_REASONS", "ActionResult", "Answered", "Card", "CardPresenter",
    "CardState", "ClaimResult", "Effect", "Followed", "HandoffRequest", "Rendered",
    "TickReport", "VerdictChange", "accept_card", "as_verdict", "card_key", "card_posted",
    "change_of", "claim_card", "follow_verdict", "handoff_of", "in_force", "link_card",
    "load_handoff", "not_ready_because", "owner_company", "qualification_of",
    "queue_pending_cards", "record_card_outcome", "reject_card", "release_card",
    "request_handoff", "state_of", "thread_key", "tick", "tick_due",
]
