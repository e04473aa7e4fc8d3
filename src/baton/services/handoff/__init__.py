"""A sales-ready lead's second leg: its card in the routed sales channel, the race to claim it,
the owner's decisions, and the SLA timers that chase an unclaimed card.

Use cases: claim_card, accept_card, release_card, reject_card, record_card_outcome,
owner_company, check_card_channel (a modal's channel is its card's); queue_pending_cards
and, once Slack took a card, card_posted (an outbox hook) and link_card; tick_due (the SLA's
reminders and escalations).
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
    check_card_channel,
    claim_card,
    owner_company,
    record_card_outcome,
    reject_card,
    release_card,
)
from baton.services.handoff.queue import card_posted, link_card, queue_pending_cards
from baton.services.handoff.request import HandoffRequest, request_handoff
from baton.services.handoff.sla import TickReport, tick, tick_due

__all__ = [
    "CLAIMABLE", "REJECT_REASONS", "ActionResult", "Answered", "Card", "CardPresenter",
    "CardState", "ClaimResult", "HandoffRequest", "Rendered", "TickReport", "accept_card",
    "card_key", "card_posted", "check_card_channel", "claim_card", "handoff_of", "link_card",
    "load_handoff", "owner_company", "queue_pending_cards", "record_card_outcome", "reject_card",
    "release_card", "request_handoff", "state_of", "thread_key", "tick", "tick_due",
]
