"""What Baton says when Slack refuses a handoff card: what is wrong with the channel, and who
fixes it how, in Slack's channel mentions (a channel's name Baton may not know)."""

from __future__ import annotations

DEFINITION_FILE = "prompts/definition.yaml"
PRIVATE_CHANNEL = "method_not_supported_for_channel_type"


def mention(channel: str) -> str:
    """A channel as Slack shows it to each reader, by its name."""
    return f"<#{channel}>" if channel else "a sales channel"


def problem(channel: str, error: str) -> str:
    """What is wrong, in a few words: "<#C0EMEA0001> is archived"."""
    where = mention(channel)
    if not channel:
        return "no routing rule matched the lead and BATON_SALES_CHANNEL is not set"
    return {
        "is_archived": f"{where} is archived",
        "channel_not_found": f"Slack cannot find {where} (deleted, or a wrong channel id)",
        "not_in_channel": f"@Baton is not in {where}",
    }.get(error, f"Slack refused to post in {where} ({error})")


def fix(channel: str, error: str, rule: str | None) -> str:
    """Who does what to fix it: invite Baton, unarchive the channel, or change the routing."""
    where = mention(channel)
    routing = (f"change the routing rule '{rule}' in {DEFINITION_FILE}" if rule
               else "set BATON_SALES_CHANNEL to a channel Baton can post in")
    if error == "not_in_channel":
        return f"Invite @Baton to {where}: `/invite @Baton` there"
    if error == "is_archived":
        return f"unarchive {where} or {routing}"
    return routing[0].upper() + routing[1:]


def redirected(channel: str, error: str) -> str:
    """The line on a card posted in the fallback channel, saying why it is there."""
    return f":warning: {problem(channel, error)}; posted here instead."


def reason(channel: str, error: str, fallback: str, fallback_error: str | None) -> str:
    """Why a card waits, for App Home and `baton outbox status`."""
    said = problem(channel, error)
    if not fallback or fallback == channel:
        return f"{said}; no other channel to post in (BATON_SALES_CHANNEL)"
    return f"{said}; the fallback failed too: {problem(fallback, fallback_error or 'unknown')}"


def notice(company: str, channel: str, error: str, rule: str | None, posted_in: str | None,
           manager: bool) -> str:
    """Told to the BDR and the managers, once per handoff: where the card is and the fix."""
    said = f":warning: The card for *{company}* could not go to {mention(channel)}: " \
           f"{problem(channel, error)}."
    if posted_in:
        where = f"It is posted in {mention(posted_in)} instead, where reps can claim it."
    elif manager:
        where = ("It waits in Baton: once fixed, press *Retry* under the cards not delivered "
                 "in Baton's Home tab.")
    else:
        where = "It waits in Baton and goes out once the channel works; your managers are told."
    return f"{said} {where}\nTo fix it: {fix(channel, error, rule)}."
