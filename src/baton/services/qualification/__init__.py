"""The BDR's qualification of a lead: started from the intake, a question at a time in the DM
(or all in one form), notes from the thread, paused and resumed, and the verdict.

Use cases: intake_choices, validate_intake, find_known_lead, known_lead_offer (the intake kept
as a draft while the BDR chooses), requalify, continue_open, start_qualification,
attach_conversation, resume_qualification, current_step, paused_qualifications; the moves
answer, skip, back, pause, finish and submit_form, each giving back one result (Asked, Judged,
StillOpen, Paused, Duplicate); check_typed and check_form (what a modal gives, checked before
the database is read); add_note; when Slack takes the conversation's posts late,
conversation_posted (an outbox hook) and stalled. Refusals are raised as domain.errors.Refusal.
"""

from baton.services.qualification.conversation import conversation_posted, root_key, stalled
from baton.services.qualification.drafts import (
    DraftGone,
    continue_open,
    known_lead_offer,
    requalify,
)
from baton.services.qualification.form import add_note, check_form, submit_form
from baton.services.qualification.intake import IntakeChoices, intake_choices, validate_intake
from baton.services.qualification.known import (
    HandoffFate,
    KnownLead,
    LastVerdict,
    OpenQualification,
    find_known_lead,
)
from baton.services.qualification.moves import answer, back, finish, pause, skip
from baton.services.qualification.results import (
    Answered,
    Asked,
    Duplicate,
    FormAnswer,
    Intake,
    Judged,
    Move,
    Override,
    Paused,
    PausedItem,
    Step,
    StillOpen,
    WentBack,
)
from baton.services.qualification.start import (
    attach_conversation,
    current_step,
    paused_qualifications,
    resume_qualification,
    start_qualification,
)
from baton.services.qualification.typed import check_typed

__all__ = [
    "Answered", "Asked", "DraftGone", "Duplicate", "FormAnswer", "HandoffFate", "Intake",
    "IntakeChoices", "Judged", "KnownLead", "LastVerdict", "Move", "OpenQualification",
    "Override", "Paused", "PausedItem", "Step", "StillOpen", "WentBack", "add_note", "answer",
    "attach_conversation", "back", "check_form", "check_typed", "continue_open",
    "conversation_posted", "current_step", "find_known_lead", "finish", "intake_choices",
    "known_lead_offer", "pause", "paused_qualifications", "requalify", "resume_qualification",
    "root_key", "skip", "stalled", "start_qualification", "submit_form", "validate_intake",
]
