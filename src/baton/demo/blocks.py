"""Block Kit as the plain text a person reads: headers, sections, context, buttons as [Label]."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

Block = dict[str, Any]
INDENT = "    "
_MENTION = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<(https?://[^>|]+)(?:\|([^>]*))?>")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_])(\S(?:[^*_\n]*\S)?)\1(?![\w*_])")
# The emoji Baton's messages use, as Slack draws them; any other :name: stays as written.
EMOJI = {
    "hourglass_flowing_sand": "⏳",
    "raising_hand": "🙋",
    "white_check_mark": "✅",
    "x": "❌",
    "handshake": "🤝",
    "stopwatch": "⏱️",
    "leftwards_arrow_with_hook": "↩️",
}
_EMOJI = re.compile(r":([a-z0-9_+-]+):")


def _special(target: str, label: str | None) -> str:
    """`<!date^ts^format|fallback>` as a date and time; `<!here>` and the like as @here."""
    if not target.startswith("date^"):
        return f"@{target}"
    stamp = target.split("^")[1]
    if not stamp.isdigit():
        return label or stamp
    return dt.datetime.fromtimestamp(int(stamp)).strftime("%Y-%m-%d %H:%M")


def mrkdwn(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn as read: mentions by name, links by label, bold marks gone, entities decoded."""
    known = names or {}

    def mention(match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "!":
            return _special(target, label)
        return f"{sigil}{label or known.get(target, target)}"

    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _MENTION.sub(mention, text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return html.unescape(_EMPHASIS.sub(r"\2", text))


def _text(obj: Any, names: Mapping[str, str]) -> str:
    if not isinstance(obj, dict):
        return ""
    value = str(obj.get("text", ""))
    return mrkdwn(value, names) if obj.get("type") == "mrkdwn" else value


def _element(element: Block, names: Mapping[str, str]) -> str:
    """One interactive element: a button as [Label], an input as a blank to fill."""
    kind = element.get("type", "")
    if kind == "button":
        return f"[{_text(element.get('text'), names)}]"
    if kind == "overflow":
        options = [_text(o.get("text"), names) for o in element.get("options", [])]
        return f"[⋯ {' / '.join(options)}]"
    if kind.endswith("select"):
        options = [_text(o.get("text"), names) for o in element.get("options", [])]
        chosen = _text((element.get("initial_option") or {}).get("text"), names)
        shown = chosen or _text(element.get("placeholder"), names) or "choose"
        return f"<{shown}: {' / '.join(options)}>" if options else f"<{shown}>"
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    initial = element.get("initial_value") or element.get("initial_date") or ""
    return f"[{initial or '_' * 12}]"


def _field(text: str) -> str:
    """A field's bold label and its lines of value, on one line."""
    label, _, value = text.partition("\n")
    return f"{label}: {value.replace(chr(10), ', ')}" if value else label


def _section(block: Block, names: Mapping[str, str]) -> list[str]:
    lines = _text(block.get("text"), names).splitlines()
    lines += [_field(_text(field, names)) for field in block.get("fields") or []]
    if block.get("accessory"):
        lines.append(_element(block["accessory"], names))
    return lines


def _input(block: Block, names: Mapping[str, str]) -> list[str]:
    label = _text(block.get("label"), names)
    optional = " (optional)" if block.get("optional") else ""
    return [f"{label}{optional}: {_element(block.get('element') or {}, names)}"]


RENDERERS: dict[str, Callable[[Block, Mapping[str, str]], list[str]]] = {
    "header": lambda b, n: [f"== {_text(b.get('text'), n)} =="],
    "section": _section,
    "context": lambda b, n: [" · ".join(_text(e, n) or _element(e, n) for e in b["elements"])],
    "actions": lambda b, n: [" ".join(_element(e, n) for e in b["elements"])],
    "divider": lambda b, n: ["-" * 40],
    "input": _input,
    "image": lambda b, n: [f"(image: {b.get('alt_text', '')})"],
}


def render_blocks(blocks: list[Block], names: Mapping[str, str] | None = None) -> list[str]:
    """Each block as the lines a person reads, in order."""
    lines: list[str] = []
    for block in blocks:
        render = RENDERERS.get(block.get("type", ""))
        lines.extend(render(block, names or {}) if render else [f"({block.get('type')} block)"])
    return lines


def render_view(view: Block, names: Mapping[str, str] | None = None) -> list[str]:
    """A modal: its title, its blocks, then its buttons."""
    title = _text(view.get("title"), names or {})
    buttons = [f"[{_text(view[k], names or {})}]" for k in ("close", "submit") if view.get(k)]
    return [f"== {title} ==", *render_blocks(view.get("blocks") or [], names), " ".join(buttons)]


def indented(lines: list[str]) -> str:
    """Lines set off under who sees them."""
    return "\n".join(INDENT + line if line else "" for line in lines)


class Narrating:
    """How the demo's players print: a heading over indented lines, or a line, after a gap."""

    echo: Callable[[str], None]

    def show(self, heading: str, lines: list[str]) -> None:
        self.echo("")
        self.echo(heading)
        self.echo(indented(lines))

    def say(self, line: str) -> None:
        self.echo("")
        self.echo(line)
