"""Every action_id, block_id and callback_id Baton uses, defined once, and the button values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baton.domain.errors import Refusal

# Every input element has this action_id; its block_id says which field it is.
INPUT = "value"

# Intake modal, opened by `/qualify [company]`.
INTAKE_MODAL = "intake"
INTAKE_COMPANY = "intake_company"
INTAKE_CONTACT = "intake_contact"
INTAKE_TITLE = "intake_title"
INTAKE_EMAIL = "intake_email"
INTAKE_SOURCE = "intake_source"
INTAKE_INDUSTRY = "intake_industry"
INTAKE_INDUSTRY_OTHER = "intake_industry_other"
INTAKE_EMPLOYEES = "intake_employees"
INTAKE_REGION = "intake_region"
INTAKE_REGION_OTHER = "intake_region_other"
INTAKE_OPEN_OPPORTUNITY = "intake_open_opportunity"
INTAKE_FRAMEWORK = "intake_framework"
# Option values of the fit pick-lists beside the agreed values; a colon never starts one.
FIT_UNKNOWN = ":unknown"
FIT_OTHER = ":other"
# Option values of "does sales already have an open opportunity with them?".
OPPORTUNITY_YES = "yes"
OPPORTUNITY_NO = "no"
OPPORTUNITY_UNKNOWN = ":unknown"

# The offer made when the lead is already known; the modal carries the intake draft's id.
KNOWN_MODAL = "known_lead"
KNOWN_ACTIONS = "known_actions"
KNOWN_REQUALIFY = "known_requalify"
KNOWN_CONTINUE = "known_continue"

# The question message in the BDR's DM. Choice buttons are `answer_choice:<n>`.
QUESTION_BLOCK = "question"
ANSWER_CHOICE = "answer_choice"
ANSWER_CHOICE_PATTERN = re.compile(rf"^{ANSWER_CHOICE}:\d+$")
ANSWER_TYPE = "answer_type"
ANSWER_SKIP = "answer_skip"
ANSWER_BACK = "answer_back"
ANSWER_PAUSE = "answer_pause"
ANSWER_FINISH = "answer_finish"

# The root message of the conversation in the DM: opens the form modal.
OPEN_FORM = "open_form"

# Typed-answer modal.
TYPED_MODAL = "typed_answer"
TYPED_VALUE = "typed_value"
TYPED_DATE = "typed_date"
TYPED_NOTES = "typed_notes"

# Form modal with every question at once; block ids are `<part>:<criterion key>`.
FORM_MODAL = "form"
FORM_CHOICE = "choice"
FORM_TYPED = "typed"
FORM_DATE = "date"
FORM_NOTES = "form_notes"

# `/qualify resume`: one Resume button per paused qualification, `resume:<n>`.
RESUME = "resume"
RESUME_PATTERN = re.compile(rf"^{RESUME}:\d+$")


def choice_action(index: int) -> str:
    """The action_id of the n-th choice button, unique within its message."""
    return f"{ANSWER_CHOICE}:{index}"


def resume_action(index: int) -> str:
    """The action_id of the n-th Resume button, unique within its message."""
    return f"{RESUME}:{index}"


def form_block(part: str, criterion: str) -> str:
    """The block_id of one input of the form modal."""
    return f"{part}:{criterion}"


def parse_form_block(block_id: str) -> tuple[str, str]:
    """(part, criterion key) of a form block_id; Unreadable when it is not one of the form's."""
    part, sep, criterion = block_id.partition(":")
    if not sep or part not in (FORM_CHOICE, FORM_TYPED, FORM_DATE) or not criterion:
        raise Unreadable("form")
    return part, criterion


class Unreadable(Refusal, ValueError):
    """A button value or modal metadata that Baton did not write: nothing is done with it."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Baton cannot read this {what}; nothing was changed. Close it and "
                         "start again from the message in Slack.")


@dataclass(frozen=True)
class ButtonValue:
    """What a button carries: the qualification, and where relevant the criterion and choice."""

    qualification_id: int
    criterion: str = ""
    choice: str = ""

    def pack(self) -> str:
        return "|".join((str(self.qualification_id), self.criterion, self.choice)).rstrip("|")

    @classmethod
    def unpack(cls, value: str) -> ButtonValue:
        """Read a packed value; Unreadable (a ValueError) when Baton did not write it."""
        parts = value.split("|")
        if len(parts) > 3 or not _number(parts[0]):
            raise Unreadable("button")  # a value that is not 'id|criterion|choice'
        return cls(int(parts[0]), *parts[1:])


@dataclass(frozen=True)
class TypedMetadata:
    """What the typed-answer modal carries: the question, and the message it was opened from."""

    qualification_id: int
    criterion: str
    channel: str
    ts: str

    @property
    def ask_key(self) -> str:
        """The question message, as the key that marks it acted on."""
        return f"{self.channel}:{self.ts}"

    def pack(self) -> str:
        return f"{self.qualification_id}|{self.criterion}|{self.ask_key}"

    @classmethod
    def unpack(cls, value: str) -> TypedMetadata:
        """Read packed metadata; Unreadable (a ValueError) when Baton did not write it."""
        parts = value.split("|")
        if len(parts) > 3 or not _number(parts[0]):
            raise Unreadable("form")  # metadata that is not 'id|criterion|channel:ts'

        criterion, message = (parts + ["", ""])[1:3]
        channel, _, ts = message.partition(":")
        return cls(int(parts[0]), criterion, channel, ts)


@dataclass(frozen=True)
class FormMetadata:
    """What the answer-all form carries: its qualification, and the framework it asks."""

    qualification_id: int
    framework: str = ""  # "" in a form opened before forms said which framework they ask

    def pack(self) -> str:
        return f"{self.qualification_id}|{self.framework}"

    @classmethod
    def unpack(cls, value: str) -> FormMetadata:
        """Read packed metadata; Unreadable (a ValueError) when Baton did not write it."""
        number, _, framework = value.partition("|")
        if not _number(number) or "|" in framework:
            raise Unreadable("form")
        return cls(int(number), framework)


def _number(text: str) -> bool:
    # isdigit() takes "²" and other digits int() refuses; a database id is ASCII and bounded.
    return text.isascii() and text.isdigit() and len(text) <= 18


# The handoff card in the sales channel; every button's value is the handoff id.
CARD_STATE = "card_state"
CARD_ACTIONS = "card_actions"
CARD_CLAIM = "handoff_claim"
CARD_ACCEPT = "handoff_accept"
CARD_REJECT = "handoff_reject"
CARD_RELEASE = "handoff_release"
CARD_OUTCOME = "handoff_outcome"
# The owner's first contact on an accepted card: they reached the lead, or booked a meeting.
CARD_CONTACTED = "handoff_contacted"
CARD_MEETING_BOOKED = "handoff_meeting_booked"
# The line on a card posted in the fallback channel: `card_redirected:<Slack's error code>`.
CARD_REDIRECTED = "card_redirected"

# App Home's Claim buttons, one per unclaimed card, `home_claim:<n>`; the value is the handoff id.
HOME_CLAIM = "home_claim"
HOME_CLAIM_PATTERN = re.compile(rf"^{HOME_CLAIM}:\d+$")


# App Home's Retry button under the cards Slack has not taken.
HOME_RETRY_CARDS = "home_retry_cards"
# The button under a lead's news in its BDR's DM thread that stops the news; value: qualification.
MUTE_NEWS = "mute_news"
# App Home's toggle between away (skipped by round robins) and back; the value says which.
HOME_AWAY = "home_away"


def home_claim_action(index: int) -> str:
    """The action_id of the n-th Claim button on App Home, unique within the view."""
    return f"{HOME_CLAIM}:{index}"


# The owner's modals: why the lead is rejected, and why the deal was lost.
REJECT_MODAL = "handoff_reject_modal"
REJECT_REASON = "reject_reason"
REJECT_COMMENT = "reject_comment"
LOST_MODAL = "handoff_lost_modal"
LOST_REASON = "lost_reason"


@dataclass(frozen=True)
class CardModal:
    """What the owner's modals carry: the handoff, and the channel of the card they came from."""

    handoff_id: int
    channel: str

    def pack(self) -> str:
        return f"{self.handoff_id}|{self.channel}"

    @classmethod
    def unpack(cls, value: str) -> CardModal:
        """Read packed metadata; Unreadable when it is not 'id|channel'."""
        number, _, channel = value.partition("|")
        if not _number(number) or not channel:
            raise Unreadable("form")
        return cls(int(number), channel)


# The verdict message's next steps: correct the answers and, for a lead not sales-ready, the day
# to look at it again and why it goes to nurture. Their block names the verdict shown.
VERDICT_STEPS = "verdict_steps"
CORRECT_ANSWERS = "verdict_correct"
RECHECK_ON = "verdict_recheck_on"
NURTURE_REASON = "verdict_nurture_reason"
# The answer-all form reopened to correct a judged qualification's answers.
CORRECT_MODAL = "correct_answers"
# The morning reminder of a recheck: Resume qualifies the lead again.
RECHECK_RESUME = "recheck_resume"


def verdict_block(verdict_id: int) -> str:
    """The block_id of a verdict message's next steps, naming the verdict shown."""
    return f"{VERDICT_STEPS}:{verdict_id}"


def parse_verdict_block(block_id: str) -> int:
    """The verdict a next-steps block_id names; ValueError names the block_id when malformed."""
    part, _, number = block_id.partition(":")
    if part != VERDICT_STEPS or not number.isdigit():
        raise ValueError(f"block_id {block_id!r} names no verdict")
    return int(number)


# A manager's override: from App Home's team verdicts (`home_override:<n>`, the value a
# qualification id) or a card's overflow (the value "<handoff id>|override"), then its modal.
HOME_OVERRIDE = "home_override"
HOME_OVERRIDE_PATTERN = re.compile(rf"^{HOME_OVERRIDE}:\d+$")
CARD_OVERRIDE = "handoff_override"
OVERRIDE_CHOICE = "override"
# A manager's other choices on any card's overflow: give the lead to someone, or take it back.
REASSIGN_CHOICE = "reassign"
MANAGER_RELEASE_CHOICE = "manager_release"
MANAGER_CHOICES = (OVERRIDE_CHOICE, REASSIGN_CHOICE, MANAGER_RELEASE_CHOICE)
# The manager's modal picking who gets the lead.
REASSIGN_MODAL = "handoff_reassign_modal"
REASSIGN_TO = "reassign_to"
OVERRIDE_MODAL = "override_modal"
OVERRIDE_VERDICT = "override_verdict"
OVERRIDE_REASON = "override_reason"


def home_override_action(index: int) -> str:
    """The action_id of the n-th Override button on App Home, unique within the view."""
    return f"{HOME_OVERRIDE}:{index}"
