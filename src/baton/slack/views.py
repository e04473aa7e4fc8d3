"""Builders of every surface of the BDR's conversation: data in, Block Kit out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from baton.domain.framework import TYPED_KINDS, AnswerKind, Criterion, Framework
from baton.domain.lead import Answer, Lead
from baton.domain.verdict import Verdict
from baton.services.qualification import Override
from baton.services.verdicts import MISSING, NURTURE_REASONS
from baton.slack import ids, text
from baton.slack.ids import ButtonValue
from baton.slack.render import Renderer

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_FIRST_ANSWERS = {"callback_id": ids.FORM_MODAL, "title": "All questions",
                  "submit": "Save answers", "notes_label": "Notes from the call",
                  "guidance": "answer what you learned; leave the rest empty"}
_CORRECTION = {"callback_id": ids.CORRECT_MODAL, "title": "Correct answers",
               "submit": "Save and re-judge", "notes_label": "What changed, for the record",
               "guidance": "change what was wrong; an answer you empty counts as unknown"}


@dataclass(frozen=True)
class Message:
    """A message: blocks, and the plain `text` Slack shows in notifications and screen readers."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


@dataclass(frozen=True)
class Paused:
    """One paused qualification offered by `/qualify resume`."""

    qualification_id: int
    company: str
    framework: str
    answered: int
    total: int
    paused_at: dt.datetime


def user_id(user: str) -> str:
    """A Slack user id, checked to be one before it goes into a mention."""
    if not _USER_ID.match(user):
        raise ValueError(f"expected a Slack user id such as U012AB3CD, got {user!r}")
    return user


def when(moment: dt.datetime) -> str:
    """A time each reader sees in their own time zone, with a UTC fallback."""
    if moment.tzinfo is None:
        raise ValueError(f"expected a time with a time zone, got {moment.isoformat()}")
    fallback = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def check_metadata(private_metadata: str) -> str:
    """private_metadata as given; ValueError when it is longer than Slack keeps."""
    if len(private_metadata) > text.PRIVATE_METADATA:
        raise ValueError(f"private_metadata is {len(private_metadata)} characters, "
                         f"Slack allows {text.PRIVATE_METADATA}")
    return private_metadata


def _form_item(criterion: Criterion, question: str, answer: Answer | None) -> dict[str, Any]:
    typed = (answer.typed or "") if answer else ""
    # A date read before goes back into the date picker, a number into the number input.
    day = _iso_day(typed) if criterion.kind == AnswerKind.DATE else None
    number = _number(typed) if criterion.kind == AnswerKind.NUMBER else None
    return {
        "key": criterion.key, "title": criterion.title, "question": question,
        "kind": str(criterion.kind), "typed": criterion.kind in TYPED_KINDS,
        "choices": [(c.value, c.label) for c in criterion.choices],
        "initial_choice": answer.choice if answer else None,
        "initial_typed": "" if day or number else typed,
        "initial_date": day, "initial_number": number,
    }


def _iso_day(typed: str) -> str | None:
    try:
        return dt.date.fromisoformat(typed).isoformat()
    except ValueError:
        return None


def _number(typed: str) -> str | None:
    try:
        float(typed)
    except ValueError:
        return None
    return typed


@dataclass(frozen=True)
class VerdictSteps:
    """What the verdict message offers next: correct the answers and, for a lead going to
    nurture, the day to look at it again and the reasons to pick from."""

    qualification_id: int
    verdict_id: int
    reasons: list[tuple[str, str]]

    @property
    def value(self) -> str:
        return ButtonValue(self.qualification_id).pack()


def verdict_steps(qualification_id: int, verdict_id: int, verdict: Verdict) -> VerdictSteps:
    """Correct an answer, always; a recheck day and a nurture reason when not sales-ready and
    not disqualified (what is missing first, then the usual reasons)."""
    reasons: list[tuple[str, str]] = []
    if not verdict.sales_ready and not verdict.disqualified:
        # A menu holds 100 options: the usual reasons always fit after what is missing.
        reasons = [(f"{MISSING}{n}", line) for n, line in enumerate(verdict.missing[:90])]
        reasons += [(key, label.capitalize()) for key, label in NURTURE_REASONS.items()]
    return VerdictSteps(qualification_id, verdict_id, reasons)


class ConversationViews:
    """The conversation's builders, over the renderer the composition root built."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def _message(self, fallback: str, template: str, **data: Any) -> Message:
        blocks = self.renderer.blocks(template, **data)
        if len(blocks) > text.MESSAGE_BLOCKS:
            raise ValueError(f"{template} made {len(blocks)} blocks, "
                             f"a message holds {text.MESSAGE_BLOCKS}")
        return Message(text=text.safe(fallback, text.SECTION_TEXT), blocks=blocks)

    def _modal(self, template: str, **data: Any) -> dict[str, Any]:
        view = self.renderer.view(template, **data)
        if len(view["blocks"]) > text.VIEW_BLOCKS:
            raise ValueError(f"{template} made {len(view['blocks'])} blocks, "
                             f"a modal holds {text.VIEW_BLOCKS}")
        return view

    def question_message(self, *, qualification_id: int, lead: Lead, framework: Framework,
                         criterion: Criterion, question: str, position: int,
                         total: int, before: str | None = None) -> Message:
        """One question in the BDR's DM, with a button per choice and the ways around it, and
        the answer it has from before (going back, or qualifying the lead again)."""
        choices = [(c.label, ButtonValue(qualification_id, criterion.key, c.value).pack())
                   for c in criterion.choices]
        typed = criterion.kind in TYPED_KINDS
        return self._message(
            f"{position} of {total}: {question}", "question.j2", lead=lead,
            framework=framework.name, question=question, help=criterion.help, choices=choices,
            type_label="Type an answer" if typed else "Add a note", position=position,
            total=total, value=ButtonValue(qualification_id, criterion.key).pack(),
            before=before,
        )

    def answered_message(self, *, lead: Lead, framework: Framework, question: str, answer: str,
                         answered_by: str, answered_at: dt.datetime, position: int, total: int,
                         notes: str = "") -> Message:
        """The question message once answered: what was answered, by whom and when; no buttons."""
        return self._message(
            f"{question} ✓ {answer}", "answered.j2", lead=lead, framework=framework.name,
            question=question, answer=answer, notes=notes, position=position, total=total,
            answered_by=user_id(answered_by), answered_at=when(answered_at))

    def typed_answer_modal(self, *, criterion: Criterion, question: str, private_metadata: str,
                           initial: str = "", notes: str = "") -> dict[str, Any]:
        """A modal to type an answer of the criterion's kind (amount, date, number...) and notes."""
        return self._modal("typed.j2", kind=str(criterion.kind), title=criterion.title,
                           question=question, help=criterion.help,
                           typed=criterion.kind in TYPED_KINDS, initial=initial, notes=notes,
                           private_metadata=check_metadata(private_metadata))

    def form_modal(
        self, *, lead: Lead, framework: Framework, questions: Mapping[str, str],
        private_metadata: str, answers: Mapping[str, Answer] | None = None,
        correction: bool = False,
    ) -> dict[str, Any]:
        """Every question of the framework in one modal, for answering after the call, or
        prefilled with the answers in force for correcting them after the verdict."""
        unwritten = [key for key in framework.keys if key not in questions]
        if unwritten:
            raise ValueError(f"no question text given for {', '.join(unwritten)}")
        given = answers or {}
        items = [_form_item(c, questions[c.key], given.get(c.key)) for c in framework.criteria]
        wording = _CORRECTION if correction else _FIRST_ANSWERS
        return self._modal("form.j2", lead=lead, framework=framework.name, items=items,
                           private_metadata=check_metadata(private_metadata), **wording)

    def verdict_message(
        self, *, lead: Lead, verdict: Verdict, min_score: int, framework_name: str = "",
        steps: VerdictSteps | None = None, override: Override | None = None, note: str = "",
    ) -> Message:
        """Sales-ready or not, the score, each criterion and its reason, and what is missing;
        a manager's override, what a correction did (`note`, mrkdwn) and the next steps."""
        if override is not None:
            user_id(override.by)
        state = "Sales-ready" if verdict.sales_ready else "Not sales-ready"
        return self._message(f"{lead.company}: {state}, score {verdict.score} / 100",
                             "verdict.j2", lead=lead, verdict=verdict, min_score=min_score,
                             framework=framework_name or verdict.framework, steps=steps,
                             override=override, note=note)

    def resume_list(self, *, items: Sequence[Paused]) -> Message:
        """The BDR's paused qualifications, each with a Resume button; an empty state otherwise."""
        shown = text.MESSAGE_BLOCKS - 2
        rows = [{"company": p.company, "framework": p.framework, "answered": p.answered,
                 "total": p.total, "paused_at": when(p.paused_at),
                 "value": ButtonValue(p.qualification_id).pack()} for p in items[:shown]]
        fallback = f"{len(items)} paused qualifications" if items else "Nothing is paused"
        return self._message(fallback, "resume.j2", items=rows,
                             hidden=max(0, len(items) - shown))

    def closed_message(self, *, company: str) -> Message:
        """Told to a BDR who clicks on a qualification whose verdict is already given."""
        return self._message(f"The qualification of {company} is closed", "closed.j2",
                             company=company)

    def root_message(self, *, qualification_id: int, lead: Lead,
                     framework: Framework) -> Message:
        """The first message in the DM: what is being qualified; its thread collects notes."""
        total = len(framework.criteria)
        return self._message(
            f"Qualifying {lead.company} with {framework.name} ({total} questions)", "root.j2",
            lead=lead, framework=framework.name, total=total,
            value=ButtonValue(qualification_id).pack())

    def left_message(self, *, lead: Lead, framework: Framework, question: str, position: int,
                     total: int, back_to: int | None = None) -> Message:
        """A question message left without an answer: paused there, or the BDR went back."""
        status = (f"went back to question {back_to}" if back_to
                  else f"paused at {position} of {total}")
        return self._message(f"{question} ({status})", "left.j2", lead=lead,
                             framework=framework.name, question=question, position=position,
                             total=total, back_to=back_to)

    def notice_modal(self, *, title: str, body: str,
                     facts: Sequence[str] = ()) -> dict[str, Any]:
        """A modal that only tells the person something, e.g. where the conversation went on;
        `facts` are further lines, in mrkdwn already escaped."""
        return self._modal("notice.j2", title=title, body=body, facts=list(facts))
