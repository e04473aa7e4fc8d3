"""A manager overriding a verdict either way, with a reason: recorded, shown on the card, the
handoff following it, and the BDR told in their DM."""

from __future__ import annotations

from baton.domain.errors import NotAManager, QualificationError
from baton.domain.lifecycle import VerdictCause
from baton.services.catalog import Catalog, definition_in_force
from baton.services.handoff import CardPresenter, as_verdict, change_of, follow_verdict
from baton.services.outbox import enqueue
from baton.services.qualification.results import Override
from baton.services.qualification.state import lead_row
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts.record import judged_row, supersede
from baton.services.verdicts.results import Overridden, OverrideTarget
from baton.store.types import utcnow


def override_target(*, uow: UnitOfWork, qualification_id: int,
                    manager: bool) -> OverrideTarget:
    """The verdict in force a manager may override; NotAManager for anyone else."""
    if not manager:
        raise NotAManager()
    with uow.reading() as session:
        row, verdict = judged_row(session, qualification_id)
        return OverrideTarget(qualification_id=qualification_id,
                              company=lead_row(session, row).company,
                              sales_ready=verdict.sales_ready, score=verdict.score,
                              bdr=row.bdr_user_id)


def override_verdict(
    *, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter, qualification_id: int,
    manager_user_id: str, manager: bool, sales_ready: bool, reason: str,
    default_channel: str = "",
) -> Overridden:
    """Record a manager's verdict over the one in force; the lead is handed off or withdrawn."""
    if not manager:
        raise NotAManager()
    if not reason.strip():
        raise QualificationError("Say why you override the verdict; the BDR and sales see it.")
    with uow.writing() as session:
        row, previous = judged_row(session, qualification_id)
        company = lead_row(session, row).company
        if previous.sales_ready == sales_ready:
            state = "sales-ready" if sales_ready else "not sales-ready"
            raise QualificationError(f"{company} is already {state}; there is nothing to "
                                     "override.")
        override = Override(manager_user_id, reason.strip(), utcnow())
        verdict = as_verdict(previous).model_copy(update={"sales_ready": sales_ready})
        record = supersede(session, previous=previous, verdict=verdict,
                           cause=VerdictCause.OVERRIDDEN, actor=manager_user_id,
                           override=override)
        followed = follow_verdict(
            session=session, catalog=catalog, presenter=presenter,
            definition=definition_in_force(session=session, catalog=catalog), record=record,
            actor=manager_user_id, default_channel=default_channel)
        notice = presenter.override_notice(
            change=change_of(record, company, manager_user_id, followed.effect))
        enqueue(session=session, kind="chat.postMessage",
                dedupe_key=f"override-notice:{record.id}",
                payload={"channel": row.bdr_user_id, **notice.as_kwargs()})
        return Overridden(qualification_id=qualification_id, company=company,
                          sales_ready=sales_ready, bdr=row.bdr_user_id, followed=followed)
