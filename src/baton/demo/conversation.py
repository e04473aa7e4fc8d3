"""The BDR's side of the demo: acting as Slack and Dana, and telling what each screen showed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baton.demo.blocks import Narrating, render_blocks, render_view
from baton.demo.forms import fill
from baton.demo.stage import DemoError, Stage
from baton.demo.watch import Watch
from baton.domain.framework import AnswerKind, Framework
from baton.slack import ids
from baton.slack.ids import ButtonValue
from baton.standin import Call, Reply

# A strong lead: a software company of 500 in EMEA, talking to the person who decides.
LEAD = {
    ids.INTAKE_CONTACT: "Jo Park",
    ids.INTAKE_TITLE: "VP Operations",
    ids.INTAKE_EMAIL: "jo.park@acme.example",
    ids.INTAKE_SOURCE: "Inbound demo request",
    ids.INTAKE_INDUSTRY: "software",
    ids.INTAKE_EMPLOYEES: "500",
    ids.INTAKE_REGION: "EMEA",
    ids.INTAKE_OPEN_OPPORTUNITY: ids.OPPORTUNITY_NO,
}
# Answers Dana types rather than clicks, by the kind of answer a question wants.
TYPED = {AnswerKind.MONEY: "$120k"}


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button of a message, in reading order."""
    found = [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]
    return [e for e in found if e.get("type") == "button"]


def is_question(message: Call) -> bool:
    return any(b["action_id"] == ids.ANSWER_SKIP for b in buttons(message.args["blocks"]))


@dataclass
class Conversation(Narrating):
    """Dana's qualification of one lead, told as it happens."""

    stage: Stage
    name: str
    echo: Callable[[str], None]

    @property
    def watch(self) -> Watch:
        return Watch(self.stage.standin, self.stage.slack.who.user_id)

    def names(self) -> dict[str, str]:
        return {self.stage.slack.who.user_id: self.name}

    def qualify(self, company: str) -> dict[str, Any]:
        """`/qualify <company>` in a channel; the intake modal it opens."""
        seen = len(self.watch.modals())
        self.say(f"{self.name} (BDR) types in #sales-floor:  /qualify {company}")
        _accepted(self.stage.slack.command("/qualify", company, channel_id="C0FLOOR01"))
        view = self.watch.next_modal(seen)
        self.show(f"{self.name} sees a modal:", render_view(view, self.names()))
        return view

    def submit_intake(self, view: dict[str, Any], framework: str) -> Call:
        """Fill the intake for a strong lead; the first question it brings."""
        entries = {**LEAD, ids.INTAKE_FRAMEWORK: framework}
        told = ", ".join(entries[b] for b in (ids.INTAKE_CONTACT, ids.INTAKE_TITLE))
        self.say(
            f"{self.name} fills in {told} ({LEAD[ids.INTAKE_EMPLOYEES]} people, "
            f"{LEAD[ids.INTAKE_INDUSTRY]}, {LEAD[ids.INTAKE_REGION]}) and presses [Start]."
        )
        seen = len(self.watch.posts())
        self._submit(view, entries)
        root = self.watch.next_post(seen)
        self.show(f"{self.name} sees in her DM with Baton:", self.lines(root))
        return self.watch.next_post(seen + 1)

    def answer_all(self, question: Call, framework: Framework) -> Call:
        """Answer every question as a strong lead would; the verdict message that follows."""
        message = question
        for _ in range(len(framework.criteria) + 1):
            if not is_question(message):
                return message
            self.show(f"{self.name} sees in her DM:", self.lines(message))
            message = self._answer(message, framework)
        raise DemoError("Baton kept asking questions after every criterion was answered")

    def _answer(self, question: Call, framework: Framework) -> Call:
        found = buttons(question.args["blocks"])
        criterion = framework.criterion(ButtonValue.unpack(found[0]["value"]).criterion)
        seen = len(self.watch.posts())
        if criterion is not None and criterion.kind in TYPED:
            self._type(question, found, TYPED[criterion.kind])
        else:
            choice = next(b for b in found if ids.ANSWER_CHOICE_PATTERN.match(b["action_id"]))
            self._click(question, choice)
        following = self.watch.next_post(seen)
        update = self.watch.update_of(question)
        if update is not None:
            self.show("The question in her DM now reads:", self.lines(update))
        return following

    def _type(self, question: Call, found: list[dict[str, Any]], typed: str) -> None:
        opener = next(b for b in found if b["action_id"] == ids.ANSWER_TYPE)
        seen = len(self.watch.modals())
        self._click(question, opener)
        view = self.watch.next_modal(seen)
        self.show(f"{self.name} sees a modal:", render_view(view, self.names()))
        self.say(f'{self.name} types "{typed}" and presses [Save].')
        self._submit(view, {ids.TYPED_VALUE: typed})

    def _click(self, message: Call, button: dict[str, Any]) -> None:
        self.say(f"{self.name} clicks [{button['text']['text']}].")
        click(self.stage, message, button)

    def _submit(self, view: dict[str, Any], entries: dict[str, str]) -> None:
        reply = self.stage.slack.view_submission(
            view["callback_id"],
            fill(view, entries),
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
        )
        _accepted(reply)
        answer = json.loads(reply.content) if reply.content else {}
        if answer.get("response_action") == "update":
            self.show(f"{self.name}'s modal now reads:", render_view(answer["view"], self.names()))
        elif answer:
            errors = answer.get("errors", {})
            raise DemoError(f"Baton refused the modal {view['callback_id']!r}: {errors}")

    def lines(self, message: Call) -> list[str]:
        return render_blocks(message.args.get("blocks") or [], self.names())


def click(stage: Stage, message: Call, button: dict[str, Any], user_id: str | None = None) -> None:
    """A person's click on a button of a message Baton posted, signed as Slack sends it."""
    blocks = message.args["blocks"]
    holder = next((b for b in blocks if button in b.get("elements", [])), blocks[0])
    sent = {
        "type": "message",
        "ts": message.response["ts"],
        "text": message.args["text"],
        "blocks": blocks,
    }
    _accepted(
        stage.slack.block_action(
            button["action_id"],
            button["value"],
            block_id=holder.get("block_id", "block"),
            user_id=user_id,
            message=sent,
            channel_id=message.response["channel"],
        )
    )


def _accepted(reply: Reply) -> None:
    """Slack expects a 200 within three seconds; anything else ends the demo."""
    if reply.status_code != 200:
        raise DemoError(f"Baton answered HTTP {reply.status_code}: {reply.text[:200]}")
