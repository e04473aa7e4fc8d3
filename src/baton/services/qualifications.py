"""The BDR's qualification conversation: start, answer, skip, back, pause, resume, finish."""

from baton.services.qualifications_flow import answer, back, finish, pause, skip
from baton.services.qualifications_form import add_note, submit_form
from baton.services.qualifications_start import (
    attach_conversation,
    current_step,
    find_known_lead,
    paused_qualifications,
    resume_qualification,
    start_qualification,
    validate_intake,
)
from baton.services.qualifications_types import (
    Answered,
    Closed,
    Finished,
    FormAnswer,
    FormInvalid,
    Intake,
    InvalidAnswer,
    KnownLead,
    NotYours,
    PausedItem,
    Progress,
    QualificationError,
    Step,
)

__all__ = [
    "Answered", "Closed", "Finished", "FormAnswer", "FormInvalid", "Intake", "InvalidAnswer",
    "KnownLead", "NotYours", "PausedItem", "Progress", "QualificationError", "Step",
    "add_note", "answer", "attach_conversation", "back", "current_step", "find_known_lead",
    "finish", "pause", "paused_qualifications", "resume_qualification", "skip",
    "start_qualification", "submit_form", "validate_intake",
]
