"""The outbox: Slack calls decided in a transaction and delivered after it, once each.

It knows nothing of what the calls are about: enqueue adds one to a caller's transaction;
a sender leases due rows (lease_due), fills in references (arguments) and records what
became of each try (sent, retry, wait_for_parent, failed), under its lease.
"""

from baton.services.outbox.leases import (
    Leased,
    arguments,
    backoff,
    failed,
    lease_due,
    retry,
    sent,
    wait_for_parent,
)
from baton.services.outbox.queue import (
    MESSAGE_OF,
    METHODS,
    THREAD_OF,
    FollowUp,
    OnSent,
    SendReport,
    SentMessage,
    enqueue,
)

__all__ = [
    "MESSAGE_OF", "METHODS", "THREAD_OF", "FollowUp", "Leased", "OnSent", "SendReport",
    "SentMessage", "arguments", "backoff", "enqueue", "failed", "lease_due", "retry", "sent",
    "wait_for_parent",
]
