"""Verdicts after the questions: a BDR's corrections, a manager's overrides, and the next step
of a lead that is not sales-ready (a nurture reason, a recheck day, its reminder, Resume).

Use cases: correction_form, correct_answers, override_target, override_verdict,
set_nurture_reason, set_recheck, remind_rechecks, requalify. Each new verdict supersedes the
one in force (both kept, with who and when); the handoff follows it (services.handoff).
"""

from baton.services.verdicts.corrections import NOTHING_CHANGED, correct_answers, correction_form
from baton.services.verdicts.nurture import (
    remind_rechecks,
    requalify,
    set_nurture_reason,
    set_recheck,
)
from baton.services.verdicts.overrides import override_target, override_verdict
from baton.services.verdicts.results import (
    MISSING,
    NURTURE_REASONS,
    Corrected,
    CorrectionForm,
    Overridden,
    OverrideTarget,
    Recheck,
    RecheckPresenter,
    RecheckSet,
)

__all__ = [
    "MISSING", "NOTHING_CHANGED", "NURTURE_REASONS", "CorrectionForm", "Corrected",
    "OverrideTarget", "Overridden", "Recheck", "RecheckPresenter", "RecheckSet",
    "correct_answers", "correction_form", "override_target", "override_verdict",
    "remind_rechecks", "requalify", "set_nurture_reason", "set_recheck",
]
