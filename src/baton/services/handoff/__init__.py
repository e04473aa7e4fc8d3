"""A sales-ready lead's second leg: its card in the routed sales channel, the race to claim it,
the owner's decisions, and the SLA timers that chase an unclaimed card.

Use cases: claim_card, accept_card, release_card, reject_card, record_card_outcome,
owner_company, check_card_channel (a modal's channel is its card's), qualification_of;
queue_pending_cards and, once Slack took a card, on_card_posted (an outbox hook that also queues
the BDR's link notice) and link_card; when Slack refuses a card, tell_undelivered; waiting_cards
and retry_cards for cards still waiting; tick_due (the SLA's reminders and escalations);
follow_verdict, in a caller's transaction, when a correction or an override changes the verdict;
go_away, come_back and away_status for reps away (assignment skips them); reassign_card and
release_by_manager (with managed_card for the modal) for managers.
"""

from baton.services.handoff.assign import Assigned, GroupMembers, MembersUnavailable
from baton.services.handoff.away import Away, away_status, come_back, go_away
from baton.services.handoff.card import (
    Answered,
    Card,
    CardPresenter,
    CardState,
    Rendered,
    card_key,
    card_metadata,
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
    qualification_of,
    record_card_contact,
    record_card_outcome,
    reject_card,
    rejection_reasons,
    release_card,
)
from baton.services.handoff.delivery import (
    PostedCard,
    Undelivered,
    link_card,
    link_of,
    on_card_posted,
    posted_card,
    tell_undelivered,
)
from baton.services.handoff.expiry import move_expired_assignments
from baton.services.handoff.follow import Followed, as_verdict, change_of, follow_verdict
from baton.services.handoff.managing import (
    ManagedCard,
    managed_card,
    reassign_card,
    release_by_manager,
)
from baton.services.handoff.news import mute_news, tell_bdr
from baton.services.handoff.queue import queue_pending_cards
from baton.services.handoff.request import HandoffRequest, request_handoff
from baton.services.handoff.sla import TickReport, tick, tick_due
from baton.services.handoff.timers import set_follow_up_deadlines
from baton.services.handoff.verdict import Effect, VerdictChange, in_force, not_ready_because
from baton.services.handoff.waiting import (
    WaitingCard,
    retry_cards,
    set_aside_besides_cards,
    waiting_cards,
)

__all__ = [
    "Assigned", "Away", "GroupMembers", "ManagedCard", "MembersUnavailable", "away_status",
    "come_back", "go_away", "managed_card", "move_expired_assignments", "reassign_card",
    "release_by_manager", "mute_news", "tell_bdr", "record_card_contact", "rejection_reasons",
    "set_follow_up_deadlines",
    "CLAIMABLE", "REJECT_REASONS", "ActionResult", "Answered", "Card", "CardPresenter",
    "CardState", "ClaimResult", "Effect", "Followed", "HandoffRequest", "PostedCard", "Rendered",
    "TickReport", "Undelivered", "VerdictChange", "WaitingCard", "accept_card", "as_verdict",
    "card_key", "card_metadata", "change_of", "check_card_channel", "claim_card",
    "follow_verdict", "handoff_of", "in_force", "link_card", "link_of", "load_handoff",
    "not_ready_because", "on_card_posted", "owner_company", "posted_card", "qualification_of",
    "queue_pending_cards", "record_card_outcome", "reject_card", "release_card",
    "request_handoff", "retry_cards", "set_aside_besides_cards", "state_of", "tell_undelivered",
    "thread_key", "tick", "tick_due", "waiting_cards",
]
