"""The handoff card queued for a sales-ready verdict: once, routed, escaped, clipped, updated."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import sqlalchemy as sa
from freezegun import freeze_time
from sqlmodel import Session, select

from baton.services.catalog import Catalog
from baton.services.handoff import card_key, queue_pending_cards, state_of
from baton.services.handoff.card import enqueue_update
from baton.services.handoff.claims import accept, claim, record_outcome, release
from baton.services.outbox import MESSAGE_OF, THREAD_OF
from baton.services.qualification import Judged
from baton.services.unit_of_work import UnitOfWork
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from baton.standin.validation import validate_blocks
from baton.store.db import make_engine, session_scope
from baton.store.tables import Handoff, Note, OutboxMessage, OutboxStatus
from tests.services.conftest import STRONG_BANT, StartFn, acme, click, run

CARDS = HandoffViews(Renderer())  # the card presenter, as the composition root builds it

# Friday 17:50 in New York: the 15 business minutes run out on Monday at 09:05.
FRIDAY_EVENING = dt.datetime(2026, 10, 16, 21, 50, tzinfo=dt.UTC)
# Shown in each reader's own time zone, the team's time written out where Slack cannot.
CLAIM_BY = "Claim by *<!date^1792415100^{date_short_pretty} at {time}|Mon 09:05 EDT>*"


def _qualify(engine: sa.Engine, catalog: Catalog, start: StartFn, **intake: Any) -> int:
    """A strong BANT lead answered button by button; returns the handoff id."""
    step = start(acme(**intake))
    with freeze_time(FRIDAY_EVENING):
        for key, choice in STRONG_BANT.items():
            progress = click(engine, catalog, step.qualification_id, key, choice)
    assert isinstance(progress, Judged)
    assert progress.handoff_id is not None
    return progress.handoff_id


def _queue(engine: sa.Engine, catalog: Catalog) -> int:
    """The sender's pass that turns decided handoffs into queued cards."""
    return queue_pending_cards(uow=UnitOfWork(engine), catalog=catalog, presenter=CARDS)


def _rows(engine: sa.Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {r.dedupe_key: r for r in session.exec(select(OutboxMessage)).all()}


def _text(payload: dict[str, Any]) -> str:
    return json.dumps(payload["blocks"], ensure_ascii=False)


def _mrkdwn(node: Any) -> list[str]:
    """Every mrkdwn text in the blocks: where Slack would act on a mention."""
    if isinstance(node, list):
        return [t for item in node for t in _mrkdwn(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [t for value in node.values() for t in _mrkdwn(value)]


def test_a_sales_ready_verdict_queues_one_card_and_its_thread_in_the_routed_channel(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    handoff_id = _qualify(engine, catalog, start)
    assert _rows(engine) == {}  # the verdict decides; the sender's pass renders

    assert (_queue(engine, catalog), _queue(engine, catalog)) == (1, 0)
    rows = _rows(engine)
    assert set(rows) == {card_key(handoff_id), f"card-thread:{handoff_id}"}
    card = rows[card_key(handoff_id)]
    assert (card.kind, card.payload["channel"]) == ("chat.postMessage", "C0EMEA0001")
    shown = _text(card.payload)
    for expected in ["Acme Corp", "Dana Whitfield, VP Sales", "dana@acme.example", "BANT",
                     "<@U0BDR0001>", CLAIM_BY, "Routed by *EMEA team*"]:
        assert expected in shown
    assert validate_blocks(card.payload["blocks"]) == []
    thread = rows[f"card-thread:{handoff_id}"]
    assert thread.payload[THREAD_OF] == card_key(handoff_id)
    assert "Questions and answers" in _text(thread.payload)
    with Session(engine) as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        assert handoff.claim_by is not None


def test_person_text_is_escaped_and_long_notes_are_cut_to_fit_never_refused(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    step = start(acme(company="<!channel> & Co", contact_name="<@U0BOSS>"))
    with session_scope(engine) as session:
        session.add(Note(qualification_id=step.qualification_id, text="<!here> " + "x" * 6000,
                         author="U0BDR0001"))
    with freeze_time(FRIDAY_EVENING):
        for key, choice in STRONG_BANT.items():
            click(engine, catalog, step.qualification_id, key, choice)
    _queue(engine, catalog)

    rows = _rows(engine)
    card = next(r for k, r in rows.items() if k.startswith("card:"))
    shown = _text(card.payload)
    # Baton's own date token is the one <! allowed: it pings nobody.
    assert not [t for t in _mrkdwn(card.payload["blocks"])
                if "<!" in t.replace("<!date^", "") or "<@U0BOSS" in t]
    assert "&lt;!channel&gt; &amp; Co" in card.payload["text"]
    assert "&lt;@U0BOSS&gt;" in shown
    assert "&lt;!here&gt; xxx" in shown
    assert "…" in shown
    assert validate_blocks(card.payload["blocks"]) == []
    thread = next(r for k, r in rows.items() if k.startswith("card-thread:"))
    assert validate_blocks(thread.payload["blocks"]) == []


def test_a_claim_queues_an_update_of_the_card_naming_the_owner_and_how_fast(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    handoff_id = _qualify(engine, catalog, start)
    _queue(engine, catalog)
    with session_scope(engine) as session:
        created = session.exec(select(Handoff.created_at).where(Handoff.id == handoff_id)).one()
        claim(session=session, handoff_id=handoff_id, rep_user_id="U0REP0001",
              now=created + dt.timedelta(minutes=3, seconds=20))
        enqueue_update(session=session, handoff_id=handoff_id, presenter=CARDS)

    update = next(r for k, r in _rows(engine).items() if k.startswith("card-update:"))
    assert update.kind == "chat.update"
    assert update.payload[MESSAGE_OF] == card_key(handoff_id)
    shown = _text(update.payload)
    assert "Claimed by <@U0REP0001>* after 3 min" in shown
    assert CLAIM_BY in shown  # the card's own content is kept
    labels = [e.get("text", {}).get("text") for b in update.payload["blocks"]
              for e in b.get("elements", []) if b["type"] == "actions"]
    # None, None: the Outcome overflow menu and the Managers… menu
    assert labels == ["Accept", "Reject", "Release", None, None]
    assert validate_blocks(update.payload["blocks"]) == []
    state = run(engine, state_of, handoff_id=handoff_id)
    assert (state.owner, state.seconds_to_claim) == ("U0REP0001", 200)


def test_the_card_says_who_released_it_and_why_the_deal_was_lost(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    handoff_id = _qualify(engine, catalog, start)
    _queue(engine, catalog)
    now = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        claim(session=session, handoff_id=handoff_id, rep_user_id="U0REP0001", now=now)
        release(session=session, handoff_id=handoff_id, rep_user_id="U0REP0001", now=now)
        released = enqueue_update(session=session, handoff_id=handoff_id, presenter=CARDS)
    assert released.released_by == "U0REP0001"
    with session_scope(engine) as session:
        claim(session=session, handoff_id=handoff_id, rep_user_id="U0REP0002", now=now)
        accept(session=session, handoff_id=handoff_id, rep_user_id="U0REP0002", now=now)
        record_outcome(session=session, handoff_id=handoff_id, rep_user_id="U0REP0002",
                       kind="lost", reason="went with <!here> a competitor", now=now)
        enqueue_update(session=session, handoff_id=handoff_id, presenter=CARDS)

    updates = sorted((r for k, r in _rows(engine).items() if k.startswith("card-update:")),
                     key=lambda r: r.id or 0)
    assert "Released by <@U0REP0001>* back to the channel" in _text(updates[0].payload)
    shown = _text(updates[1].payload)
    assert "Accepted by <@U0REP0002>" in shown
    assert "*Outcome:* Lost: went with &lt;!here&gt; a competitor" in shown
    assert "Released by" not in shown
    assert [validate_blocks(u.payload["blocks"]) for u in updates] == [[], []]


def test_two_processes_queue_a_decided_card_once(
    database_url: str, engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    handoff_id = _qualify(engine, catalog, start)
    engines = [engine, make_engine(database_url)]
    counts: list[int] = []
    barrier = threading.Barrier(len(engines))

    def queue(own: sa.Engine) -> None:
        barrier.wait()
        counts.append(_queue(own, catalog))

    threads = [threading.Thread(target=queue, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engines[1].dispose()

    assert sum(counts) == 1
    assert set(_rows(engine)) == {card_key(handoff_id), f"card-thread:{handoff_id}"}


def test_a_card_that_cannot_be_rendered_is_set_aside_once_and_others_still_go(
    engine: sa.Engine, catalog: Catalog, start: StartFn
) -> None:
    broken = start(acme(company="Broken Ltd"), bdr="not-a-slack-user")
    with freeze_time(FRIDAY_EVENING):
        for key, choice in STRONG_BANT.items():
            click(engine, catalog, broken.qualification_id, key, choice, bdr="not-a-slack-user")
    good = _qualify(engine, catalog, start)

    assert (_queue(engine, catalog), _queue(engine, catalog)) == (2, 0)
    rows = _rows(engine)
    aside = [r for r in rows.values() if r.status == OutboxStatus.SET_ASIDE]
    assert [r.last_error for r in aside] == ["the card could not be rendered: expected a Slack "
                                             "user id such as U012AB3CD, got 'not-a-slack-user'"]
    assert aside[0].set_aside_at is not None
    assert rows[card_key(good)].status == OutboxStatus.PENDING
