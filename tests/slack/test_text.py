"""Text from people is escaped so it pings nobody, and clipped without breaking a character."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    HeaderBlock,
    InputBlock,
    Option,
    SectionBlock,
)
from slack_sdk.models.blocks.block_elements import InputInteractiveElement
from slack_sdk.models.views import View

from baton.slack import text
from baton.slack.text import ELLIPSIS, clip, mrkdwn_escape, safe

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
ARABIC = "شركة الأمل للتقنية 🚀 مُحَمَّد"


def test_escape_turns_mentions_into_text() -> None:
    assert mrkdwn_escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"


def test_escape_escapes_an_ampersand_a_person_typed_before_an_entity() -> None:
    assert mrkdwn_escape("a &lt; b") == "a &amp;lt; b"


def test_clip_leaves_short_text_alone() -> None:
    assert clip("Acme Corp", 9) == "Acme Corp"


def test_clip_counts_the_ellipsis_inside_the_limit() -> None:
    clipped = clip("x" * 5000, 150)
    assert len(clipped) == 150
    assert clipped.endswith(ELLIPSIS)


@pytest.mark.parametrize("limit", range(1, 12))
def test_clip_never_splits_an_emoji_made_of_several_code_points(limit: int) -> None:
    clipped = clip(f"ab{FAMILY}{FAMILY}cd", limit)
    kept = clipped.removesuffix(ELLIPSIS)
    assert len(clipped) <= limit
    assert kept in ("", "a", "ab", f"ab{FAMILY}", f"ab{FAMILY}{FAMILY}", f"ab{FAMILY}{FAMILY}c")


@pytest.mark.parametrize("limit", range(2, 8))
def test_clip_never_splits_a_flag(limit: int) -> None:
    kept = clip("a🇫🇷🇩🇪🇸🇦b", limit).removesuffix(ELLIPSIS)
    assert kept in ("", "a", "a🇫🇷", "a🇫🇷🇩🇪", "a🇫🇷🇩🇪🇸🇦")


@pytest.mark.parametrize("limit", range(1, len(ARABIC)))
def test_clip_keeps_arabic_letters_with_their_marks(limit: int) -> None:
    kept = clip(ARABIC, limit).removesuffix(ELLIPSIS)
    assert ARABIC.startswith(kept)
    following = ARABIC[len(kept):][:1]
    assert following not in "\u064f\u064e\u0651" or following == ""
    kept.encode("utf-8")


def test_clip_drops_a_surrogate_left_alone_by_the_cut() -> None:
    # Text decoded from UTF-16 with surrogatepass can hold surrogate pairs as two code points.
    paired = "ab\ud83d\ude00cd"
    assert clip(paired, 4) == "ab…"
    assert clip(paired, 4).encode("utf-8", "strict")


def test_safe_fits_the_escaped_text_inside_the_limit() -> None:
    escaped = safe("<!channel> " * 500, 3000)
    assert len(escaped) <= 3000
    assert "<" not in escaped
    assert escaped.endswith(ELLIPSIS)


def test_safe_never_cuts_an_entity_in_half() -> None:
    assert safe("<<<<<", 6) == "&lt;…"
    assert safe("<<<<<", 9) == "&lt;&lt;…"


def test_safe_leaves_fitting_text_whole() -> None:
    assert safe("R&D", 7) == "R&amp;D"


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        clip("abc", 0)


def test_limits_are_the_ones_slack_sdk_enforces() -> None:
    assert text.SECTION_TEXT == SectionBlock.text_max_length
    assert text.HEADER == HeaderBlock.text_max_length
    assert text.BUTTON_TEXT == ButtonElement.text_max_length
    assert text.VALUE == ButtonElement.value_max_length
    assert text.OPTION_TEXT == Option.label_max_length
    assert text.OPTION_VALUE == Option.value_max_length
    assert text.INPUT_LABEL == InputBlock.label_max_length
    assert text.HINT == InputBlock.hint_max_length
    assert text.PLACEHOLDER == InputInteractiveElement.placeholder_max_length
    assert text.BLOCK_ID == Block.block_id_max_length
    assert text.MODAL_TITLE == View.title_max_length
    assert text.MODAL_BUTTON == View.submit_max_length
    assert text.PRIVATE_METADATA == View.private_metadata_max_length
    assert text.VIEW_BLOCKS == View.blocks_max_length
