"""How text BDRs type is compared with the words of the definition: never inside a word."""

from __future__ import annotations

import functools
import re
import unicodedata


# Every judgment folds the definition's names and the lead's words again: the same few texts,
# so re-judging a year of leads (a what-if) folds each once.
@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Text as Baton compares it: accents dropped, case folded, runs of spaces made one."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def has_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` appears in `text` as whole words: "intern" is not in "International"."""
    wanted = fold(phrase)
    if not wanted:
        return False
    return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", fold(text)) is not None


def bare_domain(text: str) -> str:
    """A domain as written in a list or an email: lower case, without a leading @ or final dot."""
    return text.strip().lower().removeprefix("@").rstrip(".")


def in_domain(domain: str, listed: str) -> bool:
    """Whether `domain` is `listed` or under it: eu.relaybase.com, never notrelaybase.com."""
    found, wanted = bare_domain(domain), bare_domain(listed)
    if not found or not wanted:
        return False
    return found == wanted or found.endswith("." + wanted)


def looks_like_domain(text: str) -> bool:
    """Whether text can name an email domain: letters, digits and hyphens between dots."""
    label = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    return re.fullmatch(rf"{label}(?:\.{label})+", bare_domain(text)) is not None
