"""What people type to ask for a pipeline summary, read into the pipeline service's Ask."""

from __future__ import annotations

import re

from baton.services.pipeline import Ask, Channel

_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$")
_OTHER_MENTION = re.compile(r"^(<[#!][^>]*>|[@#]\S+)$")
_DM_ASK = re.compile(r"^\s*pipeline\b", re.IGNORECASE)
LEADING = re.compile(r"^\s*(?:<@[UW][A-Z0-9]+(?:\|[^>]*)?>\s*)?pipeline\b", re.IGNORECASE)


def parse_ask(words: str) -> Ask:
    """Split `last week <@U1> <#C1|emea> share` into period, people, channels and share flag."""
    period, users, channels, others, share = [], [], [], [], False
    for token in words.split():
        if match := _USER.match(token):
            users.append(match[1])
        elif match := _CHANNEL.match(token):
            channels.append(Channel(match[1], (match[2] or "").strip()))
        elif _OTHER_MENTION.match(token):
            others.append(token)
        elif token.lower() == "share":
            share = True
        else:
            period.append(token)
    return Ask(" ".join(period), tuple(users), tuple(others), share, tuple(channels))


def is_help(ask: Ask) -> bool:
    """`/pipeline help`, naming nobody."""
    return ask.period.lower() == "help" and not ask.users and not ask.channels


def is_dm_ask(event: dict[str, object]) -> bool:
    """A person's own top-level DM message starting with "pipeline"."""
    return (not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))
            and not event.get("thread_ts") and bool(_DM_ASK.match(str(event.get("text", "")))))
