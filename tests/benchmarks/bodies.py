"""The requests a benchmark sends, in the shapes Slack sends them: commands, clicks, submits."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any
from urllib.parse import urlencode

from baton.demo.forms import fill
from baton.slack import ids
from baton.standin import payloads
from baton.standin.payloads import Who
from tests.benchmarks.transcript import Question

FORM = "application/x-www-form-urlencoded"
# A strong lead at a software company, qualified with the framework of eight questions.
LEAD = {
    ids.INTAKE_CONTACT: "Jo Park", ids.INTAKE_TITLE: "VP Operations",
    ids.INTAKE_SOURCE: "Inbound demo request", ids.INTAKE_INDUSTRY: "software",
    ids.INTAKE_EMPLOYEES: "500", ids.INTAKE_REGION: "EMEA", ids.INTAKE_FRAMEWORK: "meddpicc",
}
BDRS = [f"U0BENCH{n:03d}" for n in range(50)]
Body = bytes


class Bodies:
    """Makes the bodies of Slack's requests; response_urls point at the stand-in."""

    def __init__(self, slack_root: str, *, seed: int = 13) -> None:
        self.slack_root = slack_root.rstrip("/")
        self._numbers = itertools.count(1)
        self._random = random.Random(seed)

    def _next(self) -> int:
        return next(self._numbers)

    def _bdr(self, n: int) -> Who:
        return Who().as_user(BDRS[n % len(BDRS)])

    def _response_url(self, n: int) -> str:
        return f"{self.slack_root}/response_url/{n}"

    def qualify(self, company: str = "Acme") -> Body:
        """`/qualify <company>` typed by one of the BDRs."""
        n = self._next()
        fields = payloads.slash_command(self._bdr(n), "/qualify", company, "C0BDRS",
                                        self._response_url(n), payloads.trigger_id())
        return urlencode(fields).encode()

    def intake(self, view: dict[str, Any]) -> Body:
        """The intake modal submitted for a new lead, with a company nobody entered before."""
        n = self._next()
        entries = {**LEAD, ids.INTAKE_COMPANY: f"Acme {n:06d}",
                   ids.INTAKE_EMAIL: f"jo.park@acme{n:06d}.example"}
        payload = payloads.view_submission(
            self._bdr(n), view["callback_id"], fill(view, entries),
            view.get("private_metadata", ""), view["id"], payloads.trigger_id())
        return _interactive(payload)

    def click(self, question: Question) -> Body:
        """The question's BDR clicks one of its answers, picked at random."""
        n = self._next()
        block_id, button = self._random.choice(question.choices())
        action = payloads.button(button["action_id"], button["value"], block_id)
        message = {"type": "message", "ts": question.ts, "text": question.text,
                   "blocks": question.blocks}
        payload = payloads.message_block_actions(
            Who().as_user(question.user), action, message, question.channel,
            self._response_url(n), payloads.trigger_id())
        return _interactive(payload)

    def typed(self, question: Question) -> Body:
        """The question's BDR types an answer in the modal its [Type an answer] opens, and saves
        it: a submission Baton writes down before it acks, to show a refusal on the field."""
        n = self._next()
        block_id, button = question.choices()[0]
        criterion = ids.ButtonValue.unpack(button["value"]).criterion
        metadata = ids.TypedMetadata(question.qualification_id, criterion, question.channel,
                                     question.ts).pack()
        payload = payloads.view_submission(
            Who().as_user(question.user), ids.TYPED_MODAL, _typed_values(TYPED), metadata,
            f"V{n:08d}", payloads.trigger_id())
        return _interactive(payload)


TYPED = "Cut onboarding from six weeks to two; Jo Park signs off"


def _typed_values(text: str) -> dict[str, dict[str, Any]]:
    return {ids.TYPED_VALUE: {ids.INPUT: {"type": "plain_text_input", "value": text}}}


def _interactive(payload: dict[str, Any]) -> Body:
    return urlencode({"payload": json.dumps(payload)}).encode()
