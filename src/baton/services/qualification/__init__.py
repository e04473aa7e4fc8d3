"""The BDR's qualification of a lead: started from the intake, a question at a time in the DM
(or all in one form), notes from the thread, paused and resumed, and the verdict.

Use cases: validate_intake, find_known_lead, start_qualification, attach_conversation,
resume_qualification, current_step, paused_qualifications; the moves answer, skip, back, pause,
finish and submit_form, each giving back one result (Asked, Judged, StillOpen, Paused,
Duplicate); add_note. Refusals are raised as domain.errors.Refusal.
"""

from baton.services.qualification.form import add_note, submit_form
from baton.services.qualification.intake import find_known_lead, validate_intake
from baton.services.qualification.moves import answer, back, finish, pause, skip
from baton.services.qualification.results import (
    Answered,
    Asked,
    Duplicate,
    FormAnswer,
    Intake,
    Judged,
    KnownLead,
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

__all__ = [
    "Answered", "Asked", "Duplicate", "FormAnswer", "Intake", "Judged", "KnownLead", "Move",
    "Override", "Paused", "PausedItem", "Step", "StillOpen", "WentBack", "add_note", "answer",
    "attach_conversation", "back", "current_step", "find_known_lead", "finish", "pause",
    "paused_qualifications", "resume_qualification", "skip", "start_qualification",
    "submit_form", "validate_intake",
]
