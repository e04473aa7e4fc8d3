"""One card that cannot be built never stops the others: it is set aside with its reason, logged
once, shown to managers, and built again on a retry."""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
import pytest

import baton.slack
from baton.slack.handoff_views import HandoffViews
from baton.slack.render import Renderer
from tests.faults.harness import BOSS, EMEA, Faulty, company
from tests.slack.test_conversation_harness import shown

TEMPLATES = Path(baton.slack.__file__).parent / "templates"


def cursed_cards() -> HandoffViews:
    """The card presenter over templates whose card fails for a company named Cursed, as an
    edit of the template that breaks one lead's card would."""
    card = (TEMPLATES / "card.j2").read_text(encoding="utf-8")
    cursed = '{% if "Cursed" in card.company %}{{ card.no_such_field }}{% endif %}' + card
    loader = jinja2.ChoiceLoader([jinja2.DictLoader({"card.j2": cursed}),
                                  jinja2.FileSystemLoader(TEMPLATES)])
    return HandoffViews(Renderer(loader))


def test_a_card_that_cannot_be_rendered_waits_alone_and_is_built_again_on_retry(
    baton: Faulty, caplog: pytest.LogCaptureFixture,
) -> None:
    cursed, fine, later = company("Cursed Ltd"), company("Fine Corp"), company("Later Inc")
    baton.qualify(cursed)
    baton.qualify(fine)
    broken = cursed_cards()
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            baton.deliver(presenter=broken)
        baton.qualify(later)
        baton.deliver(presenter=broken)

    assert baton.card(fine).response["channel"] == EMEA
    assert baton.card(later).response["channel"] == EMEA
    assert baton.cards(cursed) == []
    failures = [r for r in caplog.records if "could not be rendered" in r.getMessage()]
    assert len(failures) == 1
    home = shown(baton.home(BOSS))
    assert f"*{cursed}* for <#{EMEA}> · the card could not be rendered:" in home
    assert "no_such_field" in home

    # The template is put right (the running Baton has the shipped one); Retry builds it again.
    baton.retry_from_home(BOSS, baton.home(BOSS))
    baton.deliver()
    card = baton.card(cursed)
    assert card.response["channel"] == EMEA
    assert len(baton.thread_of(card)) == 1
    assert [len(baton.cards(name)) for name in (fine, later)] == [1, 1]
