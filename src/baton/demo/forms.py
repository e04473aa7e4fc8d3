"""Filling a modal as a person would: the state.values Slack sends when it is submitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baton.demo.stage import DemoError

TEXT_INPUTS = {"plain_text_input", "email_text_input", "number_input", "url_text_input"}


def _chosen(element: dict[str, Any], given: str) -> dict[str, Any] | None:
    if not given:
        return element.get("initial_option")
    for option in element.get("options", []):
        if option["value"] == given:
            return option
    offered = ", ".join(o["value"] for o in element.get("options", []))
    raise DemoError(f"{given!r} is not one of the choices offered ({offered})")


def _state(element: dict[str, Any], given: str) -> dict[str, Any]:
    """One input's state as Slack reports it: typed text, a picked option or a date."""
    kind = element["type"]
    if kind in TEXT_INPUTS:
        return {"type": kind, "value": given or element.get("initial_value")}
    if kind == "static_select":
        return {"type": kind, "selected_option": _chosen(element, given)}
    if kind == "datepicker":
        return {"type": kind, "selected_date": given or element.get("initial_date")}
    raise DemoError(f"the demo cannot fill a {kind} input")


def fill(view: dict[str, Any], entries: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """state.values of the view's inputs, from entries by block_id; the rest keep their initial."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        given = entries.get(block["block_id"], "")
        values[block["block_id"]] = {element["action_id"]: _state(element, given)}
    return values
