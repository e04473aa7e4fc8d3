"""After the verdict, over signed HTTP: the BDR's verdict message, its Correct an answer form
filled as Slack sends it back, and a Baton whose managers may override."""

from __future__ import annotations

from typing import Any

from baton.slack import ids
from baton.standin.calls import Call
from baton.standin.client import Reply
from tests.slack.test_conversation_harness import (
    STRONG_FIT,
    Baton,
    Bdr,
    buttons,
    elements,
    shown,
)
from tests.slack.test_handoff_harness import STRONG_BANT

MANAGER = "U0MAX00001"
WEAK_BANT = ["Approved budget", "They decide", "No clear need", "This quarter"]


def qualify_with(baton: Baton, name: str, labels: list[str]) -> Bdr:
    """A BDR qualifies a BANT lead in EMEA with these answers, up to the verdict in their DM."""
    bdr = Bdr(baton)
    question = bdr.start(name, **STRONG_FIT)
    for label in labels:
        question = bdr.answer(question, label)
    return bdr


def not_ready(baton: Baton, name: str) -> Bdr:
    """A lead with no clear need: not sales-ready, and not disqualified."""
    return qualify_with(baton, name, WEAK_BANT)


def strong(baton: Baton, name: str) -> Bdr:
    return qualify_with(baton, name, STRONG_BANT)


def verdicts(bdr: Bdr) -> list[Call]:
    """The verdict messages in the BDR's DM, oldest first."""
    return [c for c in bdr.posts() if any(b.get("type") == "header" and "ales-ready" in
                                          b["text"]["text"] for b in c.args.get("blocks") or [])]


def latest_verdict(bdr: Bdr, count: int = 1) -> Call:
    """The newest verdict message, once there are `count` of them."""
    bdr.wait_posts(1)
    bdr.fake.wait_for("chat.postMessage", count, where=lambda c: c in verdicts(bdr))
    return verdicts(bdr)[-1]


def open_correction(baton: Baton, bdr: Bdr, user: str | None = None) -> dict[str, Any]:
    """Click Correct an answer on the newest verdict; the modal it opened."""
    opened = len(baton.fake.calls_to("views.open"))
    bdr.click(latest_verdict(bdr), "Correct an answer", user=user)
    return dict(baton.fake.wait_for("views.open", opened + 1)[-1].args["view"])


def state_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The modal's state.values as Slack sends it back untouched: each input's initial value."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, entered = block["element"], {"type": block["element"]["type"]}
        if "initial_option" in element:
            entered["selected_option"] = element["initial_option"]
        elif "initial_date" in element:
            entered["selected_date"] = element["initial_date"]
        elif "initial_value" in element:
            entered["value"] = element["initial_value"]
        values[block["block_id"]] = {ids.INPUT: entered}
    return values


def choose(values: dict[str, dict[str, Any]], criterion: str, choice: str | None) -> None:
    """Pick `choice` for a criterion in the form's state (None empties it)."""
    block = ids.form_block(ids.FORM_CHOICE, criterion)
    picked = {"value": choice, "text": {"type": "plain_text", "text": choice}} if choice else None
    values[block] = {ids.INPUT: {"type": "static_select", "selected_option": picked}}


def submit_correction(baton: Baton, bdr: Bdr, view: dict[str, Any],
                      values: dict[str, dict[str, Any]]) -> Reply:
    return baton.slack.view_submission(ids.CORRECT_MODAL, values, user_id=bdr.user,
                                       private_metadata=view["private_metadata"])


def correct(baton: Baton, bdr: Bdr, **choices: str | None) -> Call:
    """The BDR changes these answers in the prefilled form; the verdict message that follows."""
    count = len(verdicts(bdr))
    view = open_correction(baton, bdr)
    values = state_of(view)
    for criterion, choice in choices.items():
        choose(values, criterion, choice)
    reply = submit_correction(baton, bdr, view, values)
    assert reply.status_code == 200, reply.text
    assert not reply.content, reply.text
    return latest_verdict(bdr, count + 1)


def labels(message: Call) -> list[str]:
    return [b["text"]["text"] for b in buttons(message)]


def element(message: Call, action_id: str) -> dict[str, Any]:
    return next(e for e in elements(message) if e.get("action_id") == action_id)


def steps_block(message: Call) -> str:
    """The block_id of a verdict message's next steps."""
    blocks = message.args["blocks"]
    return str(next(b["block_id"] for b in blocks if b["type"] == "actions"))


__all__ = ["shown"]
