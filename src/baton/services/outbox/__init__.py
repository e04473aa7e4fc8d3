"""The outbox: Slack calls decided in a transaction and delivered after it, once each.

It knows nothing of what the calls are about: enqueue adds one to a caller's transaction (keep,
in a transaction of its own); a sender leases due rows (lease_due), fills in references
(arguments) and records what became of each try (sent, retry, wait_for_parent, set_aside), under
its lease. A row set aside keeps its reason until release sends it again.
"""

from baton.services.outbox.aside import (
    Backlog,
    SetAside,
    backlog,
    release,
    set_aside_rows,
)
from baton.services.outbox.leases import (
    LEASE,
    Leased,
    Wait,
    arguments,
    backoff,
    lease_due,
    retry,
    sent,
    set_aside,
    wait_for_parent,
)
from baton.services.outbox.queue import (
    AFTER,
    CRM_WRITE,
    MESSAGE_OF,
    METHODS,
    THREAD_OF,
    OnSent,
    SendReport,
    SentMessage,
    enqueue,
    keep,
)

__all__ = [
    "AFTER", "CRM_WRITE", "LEASE", "MESSAGE_OF", "METHODS", "THREAD_OF", "Backlog", "Leased",
    "OnSent", "SendReport", "SentMessage", "SetAside", "Wait", "arguments", "backlog", "backoff",
    "enqueue", "keep", "lease_due", "release", "retry", "sent", "set_aside", "set_aside_rows",
    "wait_for_parent",
]
