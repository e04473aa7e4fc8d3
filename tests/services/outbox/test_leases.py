"""The outbox's rows as senders hold them: leases that run out, references that wait, rows set
aside with their reason and released again, what waits on them following."""

from __future__ import annotations

import datetime as dt

import pytest

from baton.services import outbox
from baton.services.outbox import AFTER, LEASE, THREAD_OF, Leased, Wait
from baton.services.unit_of_work import UnitOfWork
from baton.store.types import utcnow

T0 = utcnow() + dt.timedelta(hours=1)  # later than any row these tests queue
SECOND = dt.timedelta(seconds=1)


def _queue(uow: UnitOfWork, key: str, after: str | None = None, **payload: object) -> int:
    with uow.writing() as session:
        return outbox.enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
                              payload={"channel": "C0SALES001", "text": key, **payload},
                              after=after)


def _lease(uow: UnitOfWork, now: dt.datetime = T0) -> Leased:
    [row] = outbox.lease_due(uow=uow, now=now, limit=1, kinds=outbox.METHODS)
    return row


def test_a_row_whose_holder_never_said_what_became_of_it_is_taken_again_after_the_lease(
    uow: UnitOfWork,
) -> None:
    _queue(uow, "card:1")
    first = _lease(uow)
    assert not first.expired
    assert outbox.lease_due(uow=uow, now=T0 + LEASE - SECOND, limit=5, kinds=outbox.METHODS) == []

    again = _lease(uow, T0 + LEASE)
    assert again.expired
    assert again.first_attempt_at == first.first_attempt_at == T0
    # The first holder's late word changes nothing: the row is the second holder's now.
    assert outbox.sent(uow=uow, row=first, arguments={}, result={"ts": "1.0"}, now=T0) is None
    assert outbox.sent(uow=uow, row=again, arguments={}, result={"ts": "2.0"},
                       now=T0 + LEASE) is not None


def test_a_row_tried_and_recorded_is_not_taken_for_an_expired_lease(uow: UnitOfWork) -> None:
    _queue(uow, "card:1")
    row = _lease(uow)
    outbox.retry(uow=uow, row=row, now=T0, error="HTTP 503: service_unavailable")
    assert not _lease(uow, T0 + dt.timedelta(days=1)).expired


def test_a_row_set_aside_keeps_its_reason_and_since_until_released_and_is_told_once(
    uow: UnitOfWork,
) -> None:
    row_id = _queue(uow, "note:1")
    assert outbox.set_aside(uow=uow, row=_lease(uow), reason="HTTP 200: user_not_found",
                            now=T0)
    later = T0 + dt.timedelta(days=1)
    assert outbox.lease_due(uow=uow, now=later, limit=5, kinds=outbox.METHODS) == []
    [kept] = outbox.set_aside_rows(uow=uow)
    assert (kept.id, kept.channel, kept.reason, kept.since) == (
        row_id, "C0SALES001", "HTTP 200: user_not_found", T0)
    assert outbox.backlog(uow=uow) == outbox.Backlog(pending=0, set_aside=1)

    assert outbox.release(uow=uow, ids=[row_id], now=T0 + SECOND) == [row_id]
    assert outbox.release(uow=uow, ids=[row_id]) == []
    # Refused again: still set aside since the first time, and not news to tell again.
    assert not outbox.set_aside(uow=uow, row=_lease(uow, T0 + SECOND), reason="again",
                                now=T0 + SECOND)
    assert outbox.set_aside_rows(uow=uow)[0].since == T0


def test_release_takes_rows_by_prefix_and_leaves_one_never_built(uow: UnitOfWork) -> None:
    with uow.writing() as session:
        outbox.enqueue(session=session, kind="chat.postMessage", dedupe_key="card:9", payload={})
    _queue(uow, "card:1")
    _queue(uow, "note:1")
    for _ in range(3):
        outbox.set_aside(uow=uow, row=_lease(uow), reason="refused", now=T0)
    released = outbox.release(uow=uow, prefix="card:", now=T0)
    assert [outbox.set_aside_rows(uow=uow)[i].dedupe_key for i in (0, 1)] == ["card:9", "note:1"]
    assert len(released) == 1


@pytest.mark.parametrize(("parent", "waits"), [("pending", True), ("set_aside", False),
                                                ("sent", False)])
def test_a_post_after_another_waits_only_while_that_one_is_pending(
    uow: UnitOfWork, parent: str, waits: bool,
) -> None:
    _queue(uow, "update:1")
    _queue(uow, "question:2", after="update:1")
    first = _lease(uow)
    if parent == "set_aside":
        outbox.set_aside(uow=uow, row=first, reason="refused", now=T0)
    elif parent == "sent":
        outbox.sent(uow=uow, row=first, arguments={}, result={"ts": "1.0"}, now=T0)
    else:
        outbox.retry(uow=uow, row=first, now=T0, error="down", after=dt.timedelta(hours=1))
    found = outbox.arguments(uow=uow, row=_lease(uow))
    assert isinstance(found, Wait) is waits
    if not waits:
        assert AFTER not in found  # type: ignore[operator]


def test_a_reply_goes_where_its_parent_went_and_follows_its_release_at_once(
    uow: UnitOfWork,
) -> None:
    card = _queue(uow, "card:1")
    _queue(uow, "thread:1", **{THREAD_OF: "card:1"})
    outbox.set_aside(uow=uow, row=_lease(uow), reason="archived", now=T0)
    reply = _lease(uow)
    wait = outbox.arguments(uow=uow, row=reply)
    assert wait == Wait(outbox.leases.WAIT_FOR_SET_ASIDE, "card:1")
    outbox.wait_for_parent(uow=uow, row=reply, now=T0, wait=wait)  # type: ignore[arg-type]

    outbox.release(uow=uow, ids=[card], now=T0 + SECOND)
    parent = _lease(uow, T0 + SECOND)
    outbox.sent(uow=uow, row=parent, arguments={}, now=T0 + SECOND,
                result={"channel": "C0FALLBACK", "ts": "1.5"})
    followed = _lease(uow, T0 + SECOND)
    assert followed.dedupe_key == "thread:1"
    found = outbox.arguments(uow=uow, row=followed)
    assert (found["channel"], found["thread_ts"]) == ("C0FALLBACK", "1.5")  # type: ignore[index]
