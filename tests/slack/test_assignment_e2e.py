"""Assignment end to end over signed HTTP: a round-robin card names its rep, who accepts; reps
away are skipped and the thread says so; a manager reassigns and releases any card."""

from __future__ import annotations

from typing import Any

from baton.slack import ids
from baton.standin.calls import Call
from tests.slack.test_conversation_harness import Baton, Bdr, buttons, new_user, settle, shown
from tests.slack.test_handoff_harness import STRONG_BANT, company, deliver, eventually
from tests.slack.test_verdicts_harness import MANAGER

MIDMARKET_NA = "C0MIDNA001"
ROTATION = ("U0NAREP001", "U0NAREP002", "U0NAREP003")


class Card:
    """A round-robin card in the mid-market North America channel."""

    def __init__(self, baton: Baton, name: str) -> None:
        self.baton, self.name = baton, name
        self.bdr = bdr = Bdr(baton)
        question = bdr.start(name, industry="software", employees="500", region="NA")
        for label in STRONG_BANT:
            question = bdr.answer(question, label)
        deliver(baton)
        self.posted = eventually(lambda: [
            c for c in baton.fake.calls_to("chat.postMessage")
            if c.args.get("channel") == MIDMARKET_NA and not c.args.get("thread_ts")
            and name in str(c.args.get("text")) and c.status == 200])[-1]

    @property
    def handoff_id(self) -> int:
        return int(next(b["value"] for b in buttons(self.posted)).partition("|")[0])

    def now(self) -> str:
        """The card as it reads after every update so far is delivered."""
        deliver(self.baton)
        ts = self.posted.response["ts"]
        updates = [c for c in self.baton.fake.calls_to("chat.update") if c.args.get("ts") == ts]
        return shown(updates[-1] if updates else self.posted)

    def labels(self) -> list[str]:
        """The buttons of the card as it reads now."""
        deliver(self.baton)
        ts = self.posted.response["ts"]
        updates = [c for c in self.baton.fake.calls_to("chat.update") if c.args.get("ts") == ts]
        return [b["text"]["text"] for b in buttons(updates[-1] if updates else self.posted)
                if b.get("type") == "button"]

    def thread(self) -> str:
        """Everything said in the card's thread so far."""
        deliver(self.baton)
        ts = self.posted.response["ts"]
        return "\n".join(str(c.args.get("text")) for c in self.baton.fake.calls_to(
            "chat.postMessage") if c.args.get("thread_ts") == ts)

    def act(self, action_id: str, value: str, user: str) -> None:
        message = {"ts": self.posted.response["ts"], "type": "message", "text": "", "blocks": []}
        reply = self.baton.slack.block_action(action_id, value, user_id=user,
                                              channel_id=MIDMARKET_NA, message=message)
        assert reply.status_code == 200, reply.text
        settle(self.baton.fake)


def assignee(card: Card) -> str:
    found = [rep for rep in ROTATION if f"*Assigned to <@{rep}>* by round robin" in card.now()]
    assert len(found) == 1, card.now()
    return found[0]


def baton_command(baton: Baton, user: str, text: str) -> str:
    before = len(baton.fake.calls_to("response_url"))
    reply = baton.slack.command("/baton", text, user_id=user)
    assert reply.status_code == 200, reply.text
    return str(baton.fake.wait_for("response_url", before + 1)[-1].args["text"])


def reassign(baton: Baton, card: Card, to: str, by: str = MANAGER) -> dict[str, Any]:
    opened = len(baton.fake.calls_to("views.open"))
    card.act(ids.CARD_OVERRIDE, f"{card.handoff_id}|{ids.REASSIGN_CHOICE}", by)
    view = baton.fake.wait_for("views.open", opened + 1)[-1].args["view"]
    assert view["callback_id"] == ids.REASSIGN_MODAL
    values = {ids.REASSIGN_TO: {ids.INPUT: {"type": "users_select", "selected_user": to}}}
    reply = baton.slack.view_submission(ids.REASSIGN_MODAL, values, user_id=by,
                                        private_metadata=view["private_metadata"])
    assert reply.status_code == 200, reply.text
    return reply.json() if reply.content else {}


def test_a_round_robin_card_names_its_rep_who_accepts_it(overriding: Baton) -> None:
    card = Card(overriding, company("Initech"))
    rep = assignee(card)

    assert "accept it, or release it to the channel" in card.now()
    assert f":bust_in_silhouette: Assigned to <@{rep}> by round robin." in card.thread()
    labels = [b["text"]["text"] for b in buttons(card.posted) if b.get("type") == "button"]
    assert labels == ["Accept", "Reject", "Release"]
    others = [r for r in ROTATION if r != rep]
    card.act(ids.CARD_ACCEPT, str(card.handoff_id), others[0])
    refused = overriding.fake.wait_for("chat.postEphemeral",
                                       where=lambda c: c.args["user"] == others[0])
    assert f"<@{rep}>" in refused[-1].args["text"]
    card.act(ids.CARD_ACCEPT, str(card.handoff_id), rep)
    assert f"*Accepted by <@{rep}>* (assigned by round robin)" in card.now()


def test_reps_away_are_skipped_and_the_thread_says_so_until_they_are_back(
    overriding: Baton,
) -> None:
    first, second, third = ROTATION
    said = baton_command(overriding, first, "away until 2099-12-31")
    baton_command(overriding, second, "away")
    try:
        card = Card(overriding, company("Globex"))
        assert assignee(card) == third
        assert f":bust_in_silhouette: Assigned to <@{third}> by round robin." in card.thread()
    finally:
        back = baton_command(overriding, first, "back")
        baton_command(overriding, second, "back")

    assert said == (":palm_tree: You are away up to Thu 31 Dec included: round robins give your "
                    "turns to the others and say so in each card's thread. Leads you already "
                    "hold stay yours.")
    assert back == ":wave: Welcome back: you are in turn for leads again."
    assert baton_command(overriding, first, "away until someday").startswith(
        "Nothing changed: expected a day such as 2026-12-14, tomorrow, friday or 14 Dec, got "
        "'someday'.")
    assert baton_command(overriding, first, "").startswith("*Baton for sales reps*")


def test_a_manager_reassigns_a_card_then_releases_it_to_the_channel(overriding: Baton) -> None:
    card = Card(overriding, company("Umbrella"))
    rep = assignee(card)
    chosen = new_user()

    answered = reassign(overriding, card, chosen)

    assert answered == {}
    assert f"*Assigned to <@{chosen}>* by <@{MANAGER}>: accept it" in card.now()
    assert f":bust_in_silhouette: Assigned to <@{chosen}> by <@{MANAGER}>." in card.thread()
    assert rep != chosen
    card.act(ids.CARD_OVERRIDE, f"{card.handoff_id}|{ids.MANAGER_RELEASE_CHOICE}", MANAGER)
    released = card.now()
    assert f"*Released by <@{MANAGER}>* back to the channel" in released
    assert "Claim" in released


def test_someone_who_is_not_a_manager_cannot_reassign_or_release(overriding: Baton) -> None:
    card = Card(overriding, company("Hooli"))
    rep = assignee(card)
    outsider = new_user()

    card.act(ids.CARD_OVERRIDE, f"{card.handoff_id}|{ids.REASSIGN_CHOICE}", outsider)
    card.act(ids.CARD_OVERRIDE, f"{card.handoff_id}|{ids.MANAGER_RELEASE_CHOICE}", outsider)
    told: list[Call] = overriding.fake.wait_for(
        "chat.postEphemeral", 2, where=lambda c: c.args["user"] == outsider)

    assert [c.args["text"] for c in told] == [
        "Only sales managers can reassign a lead; ask one of them if it should change.",
        "Only sales managers can release a lead someone holds; ask one of them if it should "
        "change."]
    assert f"*Assigned to <@{rep}>* by round robin" in card.now()


def news(card: Card) -> list[Call]:
    """What the BDR was told of the lead, in its DM thread."""
    deliver(card.baton)
    dm = card.baton.fake.workspace.dm_for(card.bdr.user)
    return [c for c in card.baton.fake.calls_to("chat.postMessage")
            if c.args.get("channel") == dm and c.args.get("thread_ts")
            and ":mailbox_with_mail:" in str(c.args.get("text", "")) + shown(c)]


def test_the_bdr_hears_how_the_lead_went_in_its_thread_until_they_mute_it(
    overriding: Baton,
) -> None:
    card = Card(overriding, company("Soylent"))
    rep = assignee(card)
    card.act(ids.CARD_ACCEPT, str(card.handoff_id), rep)
    card.act(ids.CARD_OUTCOME, f"{card.handoff_id}|meeting_held", rep)
    told = eventually(lambda: news(card) if len(news(card)) >= 3 else [])
    said = [shown(c) for c in told]

    assert f"assigned to <@{rep}> by round robin." in said[0]
    assert f"accepted by <@{rep}>." in said[1]
    assert "the first meeting was held." in said[2]
    assert len({c.args["thread_ts"] for c in told}) == 1
    mute = next(b for b in buttons(told[-1]) if b["action_id"] == ids.MUTE_NEWS)
    dm = overriding.fake.workspace.dm_for(card.bdr.user)
    reply = overriding.slack.block_action(ids.MUTE_NEWS, mute["value"], user_id=card.bdr.user,
                                          channel_id=dm, message={"ts": told[-1].response["ts"],
                                                                  "type": "message", "text": ""})
    assert reply.status_code == 200, reply.text
    muted = overriding.fake.wait_for("chat.postEphemeral",
                                     where=lambda c: c.args["user"] == card.bdr.user)
    assert muted[-1].args["text"].startswith("Muted: you will hear no more of ")
    card.act(ids.CARD_OUTCOME, f"{card.handoff_id}|won", rep)
    assert "Won" in card.now()
    assert len(news(card)) == 3


def test_the_owner_marks_the_first_contact_on_the_card_and_the_bdr_hears_it(
    overriding: Baton,
) -> None:
    card = Card(overriding, company("Cyberdyne"))
    rep = assignee(card)
    card.act(ids.CARD_ACCEPT, str(card.handoff_id), rep)
    card.now()
    assert card.labels() == ["Contacted", "Meeting booked", "Reject"]

    card.act(ids.CARD_MEETING_BOOKED, str(card.handoff_id), rep)
    shown_now = card.now()

    assert "*First contact:* Meeting booked" in shown_now
    assert "Contacted" not in card.labels()
    told = eventually(lambda: [shown(c) for c in news(card) if "booked a meeting" in shown(c)])
    assert f"<@{rep}> booked a meeting with them." in told[0]


def test_a_rep_asking_for_their_pipeline_sees_what_they_did_with_their_leads(
    overriding: Baton,
) -> None:
    card = Card(overriding, company("Tyrell"))
    rep = new_user()
    reassign(overriding, card, rep)
    card.act(ids.CARD_ACCEPT, str(card.handoff_id), rep)
    card.act(ids.CARD_OUTCOME, f"{card.handoff_id}|won", rep)
    card.now()

    before = len(overriding.fake.calls_to("response_url"))
    reply = overriding.slack.command("/pipeline", "today", user_id=rep)
    assert reply.status_code == 200, reply.text
    summary = shown(overriding.fake.wait_for("response_url", before + 1)[-1])

    assert "Your numbers as a sales rep" in summary
    assert "*Claimed or assigned*\n1" in summary
    assert "*Accepted / rejected*\n1 " in summary
    assert "*Won / lost*\n1 " in summary
    settle(overriding.fake)
    assert overriding.fake.calls_to("files.completeUploadExternal") == []
