"""Block Kit payloads checked with slack_sdk's own models and Slack's published limits."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.attachments import Attachment
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

Surface = Literal["message", "modal", "home"]
MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
MAX_MESSAGE_TEXT = 40_000
# Slack's limits per text, in characters, by where the text sits.
MAX_SECTION_TEXT = 3000
MAX_CONTEXT_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_SECTION_FIELD = 2000
FALLBACK_TEXT_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update"}


def _block_limits(index: int, block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    where = f"blocks[{index}] ({kind})"
    problems: list[str] = []
    if kind == "section":
        text = (block.get("text") or {}).get("text", "")
        if len(text) > MAX_SECTION_TEXT:
            problems.append(f"{where}: text is {len(text)} chars, max {MAX_SECTION_TEXT}")
        for number, field in enumerate(block.get("fields") or []):
            if len(field.get("text", "")) > MAX_SECTION_FIELD:
                problems.append(f"{where}: fields[{number}] longer than {MAX_SECTION_FIELD} chars")
    elif kind == "header":
        text = (block.get("text") or {}).get("text", "")
        if len(text) > MAX_HEADER_TEXT:
            problems.append(f"{where}: text is {len(text)} chars, max {MAX_HEADER_TEXT}")
    elif kind == "context":
        for number, element in enumerate(block.get("elements") or []):
            if len(str(element.get("text", ""))) > MAX_CONTEXT_TEXT:
                problems.append(f"{where}: elements[{number}] longer than {MAX_CONTEXT_TEXT} chars")
    return problems


def _one_block(index: int, block: Any) -> list[str]:
    if not isinstance(block, dict):
        return [f"blocks[{index}] is {type(block).__name__}, not an object"]
    # Apps send the same blocks over and over (a divider, a row of answers): each distinct
    # block is checked once, as slack_sdk's models cost more than the rest of a call.
    try:
        key = json.dumps(block, sort_keys=True)
    except (TypeError, ValueError):
        return _check_block(index, block)
    return list(_checked_block(index, key))


@lru_cache(maxsize=4096)
def _checked_block(index: int, key: str) -> tuple[str, ...]:
    return tuple(_check_block(index, json.loads(key)))


def _check_block(index: int, block: dict[str, Any]) -> list[str]:
    try:
        parsed = Block.parse(block)
    except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as error:
        return [f"blocks[{index}]: {error}"]
    if parsed is None:
        return [f"blocks[{index}]: unknown block type {block.get('type')!r}"]
    problems = _block_limits(index, block)
    try:
        parsed.validate_json()
    except SlackObjectFormationError as error:
        return [*problems, f"blocks[{index}] ({block['type']}): {error}"]
    # slack_sdk drops keys it does not know; Slack refuses them.
    unknown = sorted(set(block) - set(parsed.to_dict()) - {"block_id"})
    if unknown:
        problems.append(f"blocks[{index}] ({block['type']}): unknown keys {unknown}")
    return problems


def validate_blocks(blocks: Any, surface: Surface = "message") -> list[str]:
    """Problems Slack would refuse these blocks for on this surface; empty when they are fine."""
    if not isinstance(blocks, list):
        return [f"blocks must be a JSON array, got {type(blocks).__name__}"]
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(f"{len(blocks)} blocks, a {surface} allows {MAX_BLOCKS[surface]}")
    for index, block in enumerate(blocks):
        problems.extend(_one_block(index, block))
    return problems


def validate_view(view: Any) -> list[str]:
    """Problems Slack would refuse this modal or home view for."""
    if not isinstance(view, dict):
        return [f"view must be a JSON object, got {type(view).__name__}"]
    surface: Surface = "home" if view.get("type") == "home" else "modal"
    problems = [f"view.{p}" for p in validate_blocks(view.get("blocks"), surface)]
    if problems:
        return problems
    try:
        key = json.dumps(view, sort_keys=True)
    except (TypeError, ValueError):
        return _check_view(view)
    return list(_checked_view(key))


@lru_cache(maxsize=1024)
def _checked_view(key: str) -> tuple[str, ...]:
    return tuple(_check_view(json.loads(key)))


def _check_view(view: dict[str, Any]) -> list[str]:
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError, AttributeError) as error:
        return [f"view: {error}"]
    return []


def validate_attachments(attachments: Any) -> list[str]:
    """Problems with legacy attachments (their blocks checked like a message's)."""
    if not isinstance(attachments, list):
        return [f"attachments must be a JSON array, got {type(attachments).__name__}"]
    problems: list[str] = []
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict):
            problems.append(f"attachments[{index}] is not an object")
            continue
        if "blocks" in attachment:
            found = validate_blocks(attachment["blocks"])
            problems.extend(f"attachments[{index}].{p}" for p in found)
            continue
        try:
            Attachment(**attachment).validate_json()
        except (SlackObjectFormationError, TypeError) as error:
            problems.append(f"attachments[{index}]: {error}")
    return problems


def validate_call(method: str, args: dict[str, Any]) -> list[str]:
    """Every problem with the Block Kit and text arguments of one Web API call."""
    problems: list[str] = []
    if "blocks" in args and args["blocks"] is not None:
        problems.extend(validate_blocks(args["blocks"], "message"))
        if method in FALLBACK_TEXT_METHODS and not str(args.get("text") or "").strip():
            problems.append("text: a fallback text is required when blocks are sent")
    if "view" in args:
        problems.extend(validate_view(args["view"]))
    if args.get("attachments"):
        problems.extend(validate_attachments(args["attachments"]))
    text = args.get("text")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        problems.append(f"text is {len(text)} chars, max {MAX_MESSAGE_TEXT}")
    return problems
