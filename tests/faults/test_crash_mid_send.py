"""A sender that dies while Slack takes a card (its process killed before it records the post)
leaves one card: the next sender finds the card in its channel by its metadata, and records it."""

from __future__ import annotations

import datetime as dt
import threading

from baton.services.outbox import LEASE
from tests.faults.harness import EMEA, Faulty, company
from tests.slack.test_conversation_harness import shown


def test_a_card_posted_by_a_sender_that_died_is_found_and_not_posted_again(
    baton: Faulty,
) -> None:
    name = company("Pied Piper")
    bdr = baton.qualify(name)
    # Slack takes the next post but the sender never hears back: as good as dead mid-call.
    held = baton.fake.hold("chat.postMessage")
    dying = threading.Thread(target=baton.sender().send_pass, daemon=True)
    dying.start()
    assert held.taken.wait(10)

    # Its lease runs out; another sender takes the card's row.
    baton.deliver(later=LEASE + dt.timedelta(seconds=1))
    held.release()
    dying.join(10)
    baton.deliver(later=LEASE * 3)

    card = baton.card(name)
    assert card.response["channel"] == EMEA
    [looked] = baton.fake.calls_to("conversations.history")
    assert looked.args["channel"] == EMEA
    assert looked.args["include_all_metadata"] in (True, "1", "true")
    assert [m.get("metadata") for m in looked.response["messages"]] == [card.args["metadata"]]
    assert len(baton.thread_of(card)) == 1
    assert len([c for c in bdr.posts() if "handed off to" in shown(c)]) == 1
