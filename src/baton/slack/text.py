"""Text from people made safe for Slack: escaped so it pings nobody, clipped to Slack's limits."""

from __future__ import annotations

import unicodedata

# Slack's limits in characters, checked against slack_sdk.models (blocks, block_elements, views).
SECTION_TEXT = 3000
HEADER = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTION_VALUE = 150
MODAL_TITLE = 24
MODAL_BUTTON = 24
CONTEXT = 2000
FIELD = 2000
INPUT_LABEL = 2000
HINT = 2000
PLACEHOLDER = 150
BLOCK_ID = 255
ACTION_ID = 255
VALUE = 2000
PRIVATE_METADATA = 3000
INPUT_VALUE = 3000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100

ELLIPSIS = "…"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ZWJ = "\u200d"
_REGIONAL = (0x1F1E6, 0x1F1FF)


def mrkdwn_escape(text: str) -> str:
    """Escape &, < and > the way Slack requires, so `<!channel>` typed by a person is just text."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def _extends(char: str) -> bool:
    """True when `char` belongs to the character before it (mark, joiner, skin tone, surrogate)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Cf")
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xDC00 <= code <= 0xDFFF
    )


def _splits_flag(text: str, cut: int) -> bool:
    # A flag is two regional indicators; an odd run before the cut means the cut is inside one.
    run = 0
    while run < cut and _REGIONAL[0] <= ord(text[cut - 1 - run]) <= _REGIONAL[1]:
        run += 1
    return run % 2 == 1 and _REGIONAL[0] <= ord(text[cut]) <= _REGIONAL[1]


def _cut(text: str, cut: int) -> str:
    """`text[:cut]`, moved back so no emoji, flag, accented letter or surrogate pair is split."""
    while 0 < cut < len(text) and (
        _extends(text[cut]) or text[cut - 1] == _ZWJ or _splits_flag(text, cut)
    ):
        cut -= 1
    return text[:cut]


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, the ellipsis counted inside the limit."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(text) <= limit:
        return text
    return _cut(text, limit - 1) + ELLIPSIS


def safe(text: str, limit: int) -> str:
    """Escape, then clip so the escaped text fits `limit` without cutting an entity in half."""
    escaped = mrkdwn_escape(text)
    if len(escaped) <= limit:
        return escaped
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    budget, kept = limit - 1, 0
    for char in text:
        size = len(_ESCAPES.get(char, char))
        if size > budget:
            break
        budget -= size
        kept += 1
    return mrkdwn_escape(_cut(text, kept)) + ELLIPSIS
