"""Twenty reps click Claim at once on two Baton processes sharing one database: one owner."""

from __future__ import annotations

import threading

from baton.slack import ids
from tests.slack.test_conversation_harness import (
    Baton,
    count_rows,
    running,
    shown,
)
from tests.slack.test_handoff_harness import deliver, hand_off, reps


def test_twenty_simultaneous_claims_on_two_processes_give_one_owner_and_one_update(
    baton: Baton,
) -> None:
    floor = hand_off(baton)
    clickers = reps(20)
    start = threading.Barrier(len(clickers))

    with running(baton.settings, baton.fake) as (second, _engine):
        def click(index: int, rep: str) -> None:
            start.wait()
            via = baton.slack if index % 2 == 0 else second
            floor.act(ids.CARD_CLAIM, str(floor.handoff_id), rep, via)

        threads = [threading.Thread(target=click, args=pair) for pair in enumerate(clickers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        told = baton.fake.wait_for("chat.postEphemeral", 19, timeout=20)

    owners = {r for r in clickers if count_rows(
        baton.engine, "SELECT count(*) FROM handoff WHERE id = :id AND claimed_by = :rep",
        id=floor.handoff_id, rep=r)}
    assert len(owners) == 1
    (owner,) = owners
    assert sorted(c.args["user"] for c in told) == sorted(set(clickers) - owners)
    assert {c.args["text"] for c in told} == {f"This lead is already claimed by <@{owner}>."}
    deliver(baton)
    assert len(floor.updates()) == 1
    assert f"Claimed by <@{owner}>" in shown(floor.updates()[0])
    assert count_rows(baton.engine, "SELECT count(*) FROM eventlog WHERE kind = 'handoff.claimed'"
                      " AND subject_id = :id", id=str(floor.handoff_id)) == 1
