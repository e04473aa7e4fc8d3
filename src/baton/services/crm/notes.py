"""The notes Baton leaves in the CRM, in plain text: a qualification with every answer, its
verdict, the definition version and the Slack card; a rejection with its reason."""

from __future__ import annotations

from sqlmodel import Session, select

from baton.services.handoff.claims import reason_label
from baton.services.handoff.verdict import in_force, not_ready_because
from baton.store.tables import Handoff, Qualification


def qualification_note(session: Session, qualification_id: int) -> tuple[str, str]:
    """The title and body of a qualification's note, as its verdict in force has it."""
    row = session.get(Qualification, qualification_id)
    verdict = in_force(session, qualification_id)
    if row is None or verdict is None:
        raise LookupError(f"qualification {qualification_id} has no verdict")
    said = "Sales-ready" if verdict.sales_ready else "Not sales-ready"
    title = f"Baton qualification: {said} ({verdict.framework.upper()}, score {verdict.score})"
    lines = [f"Verdict: {said}, score {verdict.score}, by definition "
             f"{verdict.definition_version}, framework {verdict.framework.upper()}",
             f"Qualified by Slack user {row.bdr_user_id} on {verdict.decided_at:%Y-%m-%d}"]
    if not verdict.sales_ready:
        lines.append(f"Why not: {not_ready_because(verdict)}")
    if verdict.overridden_by:
        lines.append(f"Overridden by Slack user {verdict.overridden_by}: "
                     f"{verdict.override_reason or ''}")
    lines.append("")
    lines.append("Answers:")
    for criterion in verdict.criteria:
        answer = criterion.get("answer") or "not answered"
        lines.append(f"- {criterion.get('title', criterion.get('key'))}: {answer} "
                     f"({criterion.get('status', '')})")
    handoff = session.exec(select(Handoff).where(
        Handoff.qualification_id == qualification_id)).first()
    if handoff is not None and handoff.permalink:
        lines += ["", f"Handoff card in Slack: {handoff.permalink}"]
    return title, "\n".join(lines)


def rejection_note(session: Session, handoff_id: int) -> tuple[str, str]:
    """The title and body of the note saying why sales sent the lead back."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise LookupError(f"handoff {handoff_id} does not exist")
    title = f"Baton: rejected by sales ({reason_label(handoff)})"
    lines = [f"Rejected by Slack user {handoff.decided_by}: {reason_label(handoff)}"]
    if handoff.reject_comment:
        lines.append(f"Comment: {handoff.reject_comment}")
    if handoff.permalink:
        lines.append(f"Handoff card in Slack: {handoff.permalink}")
    return title, "\n".join(lines)
