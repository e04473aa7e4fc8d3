"""A channel Slack refuses never loses a handoff: Baton joins it, or posts the card in the
fallback channel saying why, or keeps it waiting for managers to retry; the BDR and the managers
are told once where the card is and how to fix the channel."""

from __future__ import annotations

from baton.slack import ids
from tests.faults.harness import BOSS, EMEA, FALLBACK, RULE, Faulty, company
from tests.slack.test_conversation_harness import shown
from tests.slack.test_handoff_harness import Floor, reps
from tests.slack.test_verdicts_harness import correct


def test_an_archived_channel_s_card_goes_to_the_fallback_saying_why_and_works_there(
    baton: Faulty,
) -> None:
    baton.fake.set_channel(EMEA, archived=True)
    name = company("Acme Corp")
    bdr = baton.qualify(name)
    baton.deliver()
    baton.deliver()

    card = baton.card(name)
    assert card.response["channel"] == FALLBACK
    assert card.args["blocks"][0]["elements"][0]["text"] == (
        f":warning: <#{EMEA}> is archived; posted here instead.")
    [thread] = baton.thread_of(card)
    assert "Questions and answers" in thread.args["text"]
    fix = f"unarchive <#{EMEA}> or change the routing rule '{RULE}' in prompts/definition.yaml"
    for person in (bdr.user, BOSS):
        [told] = baton.told(person, name)
        assert f"could not go to <#{EMEA}>: <#{EMEA}> is archived" in told
        assert f"posted in <#{FALLBACK}> instead" in told
        assert fix in told
    link = [shown(c) for c in bdr.posts() if "handed off to" in shown(c)]
    assert len(link) == 1
    assert f"<#{FALLBACK}>" in link[0]

    rep = reps(1)[0]
    floor = Floor(baton.baton, bdr, name, card)
    floor.act(ids.CARD_CLAIM, str(floor.handoff_id), rep)
    baton.deliver()
    [claimed] = floor.updates()
    assert claimed.args["channel"] == FALLBACK
    assert f"Claimed by <@{rep}>" in shown(claimed)
    assert f"<#{EMEA}> is archived; posted here instead" in shown(claimed)


def test_a_card_in_the_fallback_channel_still_says_why_after_a_correction(baton: Faulty) -> None:
    baton.fake.set_channel(EMEA, archived=True)
    name = company("Acme Corp")
    bdr = baton.qualify(name)
    baton.deliver()
    floor = Floor(baton.baton, bdr, name, baton.card(name))

    correct(baton.baton, bdr, budget="planned")
    baton.deliver()

    [corrected] = floor.updates()
    assert corrected.args["channel"] == FALLBACK
    assert "Being planned" in shown(corrected)
    assert corrected.args["blocks"][0]["elements"][0]["text"] == (
        f":warning: <#{EMEA}> is archived; posted here instead.")


def test_a_public_channel_without_baton_is_joined_and_gets_the_card(baton: Faulty) -> None:
    baton.fake.set_channel(EMEA, member=False)
    name = company("Initech")
    bdr = baton.qualify(name)
    baton.deliver()

    assert baton.card(name).response["channel"] == EMEA
    assert [c.args["channel"] for c in baton.fake.calls_to("conversations.join")] == [EMEA]
    # Nothing to fix: nobody is told.
    assert baton.told(bdr.user, name) == baton.told(BOSS, name) == []


def test_a_private_channel_without_baton_sends_the_card_to_the_fallback_and_asks_for_an_invite(
    baton: Faulty,
) -> None:
    baton.fake.set_channel(EMEA, member=False, private=True)
    name = company("Hooli")
    bdr = baton.qualify(name)
    baton.deliver()

    assert baton.card(name).response["channel"] == FALLBACK
    assert f"@Baton is not in <#{EMEA}>; posted here instead." in shown(baton.card(name))
    for person in (bdr.user, BOSS):
        [told] = baton.told(person, name)
        assert f"Invite @Baton to <#{EMEA}>: `/invite @Baton` there" in told


def test_without_a_usable_fallback_the_card_waits_for_managers_and_a_retry_sends_it_once(
    baton: Faulty,
) -> None:
    baton.fake.set_channel(EMEA, exists=False)
    baton.fake.set_channel(FALLBACK, archived=True)
    name = company("Globex")
    bdr = baton.qualify(name)
    for _ in range(3):
        baton.deliver()
    assert baton.cards(name) == []
    [told_bdr] = baton.told(bdr.user, name)
    assert "It waits in Baton" in told_bdr
    [told_boss] = baton.told(BOSS, name)
    assert "press *Retry*" in told_boss
    assert f"Change the routing rule '{RULE}' in prompts/definition.yaml" in told_boss

    home = shown(baton.home(BOSS))
    assert "Cards not delivered" in home
    assert f"*{name}* for <#{EMEA}> · Slack cannot find <#{EMEA}>" in home
    assert f"the fallback failed too: <#{FALLBACK}> is archived" in home

    baton.fake.set_channel(EMEA)
    again = baton.retry_from_home(BOSS, baton.home(BOSS))
    assert "on the way to their channels again" in shown(again)
    baton.deliver()
    baton.deliver()
    card = baton.card(name)
    assert card.response["channel"] == EMEA
    assert len(baton.thread_of(card)) == 1
    assert "Cards not delivered" not in shown(baton.home(BOSS))
    # Told once, however many passes and retries.
    assert len(baton.told(bdr.user, name)) == len(baton.told(BOSS, name)) == 1


def test_a_retry_from_home_by_someone_not_a_manager_sends_nothing(baton: Faulty) -> None:
    baton.fake.set_channel(EMEA, archived=True)
    name = company("Umbrella")
    bdr = baton.qualify(name)
    baton.deliver(fallback="")
    assert baton.cards(name) == []
    home = baton.home(BOSS)
    baton.fake.set_channel(EMEA)

    refused = baton.retry_from_home(bdr.user, home)
    assert "Only managers can send undelivered cards again." in shown(refused)
    baton.deliver(fallback="")
    assert baton.cards(name) == []
    assert f"*{name}* for <#{EMEA}> · <#{EMEA}> is archived" in shown(baton.home(BOSS))
