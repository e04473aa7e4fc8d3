"""A lead not sales-ready has a next step: a nurture reason, a day to look at it again, that
morning's reminder to its BDR (sent once, however many Baton processes tick), and Resume, which
qualifies the lead again with the answers given before."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.errors import Closed, InvalidAnswer, NotTheBdr, QualificationError
from baton.services.catalog import Catalog, catalog_of_version, definition_in_force
from baton.services.handoff import in_force
from baton.services.outbox import enqueue
from baton.services.qualification.results import Duplicate, Step
from baton.services.qualification.state import (
    current_answers,
    describe,
    lead_row,
    load,
    opened,
    step_of,
)
from baton.services.unit_of_work import UnitOfWork
from baton.services.verdicts.results import (
    MISSING,
    NURTURE_REASONS,
    Recheck,
    RecheckPresenter,
    RecheckSet,
)
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.requests import first_time
from baton.store.tables import AnswerEntry, Qualification, VerdictRecord
from baton.store.types import utcnow

REMIND_AT = dt.time(9, 0)
_Q = Qualification.__table__  # type: ignore[attr-defined]
PLAN = "plan its next step"


def _in_nurture(session: Session, verdict_id: int, bdr_user_id: str,
                ) -> tuple[Qualification, VerdictRecord]:
    """The qualification a verdict message named, locked, while its lead is not sales-ready."""
    shown = session.get(VerdictRecord, verdict_id)
    if shown is None:
        raise Closed(None)
    row = load(session, shown.qualification_id, lock=True)
    if row.bdr_user_id != bdr_user_id:
        raise NotTheBdr(row.bdr_user_id, PLAN)
    now = in_force(session, row.id or 0)
    if now is not None and now.sales_ready:
        raise QualificationError(f"{lead_row(session, row).company} is sales-ready now, so it "
                                 "does not go to nurture.")
    return row, shown


def set_nurture_reason(*, uow: UnitOfWork, verdict_id: int, bdr_user_id: str,
                       choice: str) -> str:
    """Record why the lead goes to nurture, as picked from its verdict message; the reason."""
    with uow.writing() as session:
        row, shown = _in_nurture(session, verdict_id, bdr_user_id)
        reason = _reason(shown, choice)
        row.nurture_reason = reason
        session.add(row)
        record_event(session, actor=bdr_user_id, kind="nurture.reason",
                     subject_type="qualification", subject_id=row.id or 0,
                     payload={"reason": reason})
        return reason


def _reason(shown: VerdictRecord, choice: str) -> str:
    """A reason picked: a line of what the verdict said is missing, or one of the usual ones."""
    if choice.startswith(MISSING):
        number = choice.removeprefix(MISSING)
        if number.isdigit() and int(number) < len(shown.missing):
            return shown.missing[int(number)]
    elif choice in NURTURE_REASONS:
        return NURTURE_REASONS[choice]
    raise InvalidAnswer("nurture_reason", "Pick one of the nurture reasons listed.")


def set_recheck(*, uow: UnitOfWork, catalog: Catalog, verdict_id: int, bdr_user_id: str,
                day: dt.date, now: dt.datetime | None = None) -> RecheckSet:
    """The day the BDR looks at the lead again; reminded at 9:00 that day, sales' time zone."""
    with uow.writing() as session:
        row, _ = _in_nurture(session, verdict_id, bdr_user_id)
        zone = definition_in_force(session=session, catalog=catalog).sla.timezone
        today = (now or utcnow()).astimezone(ZoneInfo(zone)).date()
        if day <= today:
            raise InvalidAnswer("recheck_on", "Pick a day after today for the recheck.")
        remind_at = dt.datetime.combine(day, REMIND_AT, tzinfo=ZoneInfo(zone))
        row.recheck_on, row.recheck_due_at, row.recheck_sent_at = day, remind_at, None
        session.add(row)
        record_event(session, actor=bdr_user_id, kind="nurture.recheck",
                     subject_type="qualification", subject_id=row.id or 0,
                     payload={"recheck_on": day.isoformat()})
        return RecheckSet(company=lead_row(session, row).company, day=day,
                          remind_at=remind_at, timezone=zone)


def remind_rechecks(*, uow: UnitOfWork, catalog: Catalog, presenter: RecheckPresenter,
                    now: dt.datetime) -> list[int]:
    """DM each BDR whose recheck is due; each reminder is claimed by one process only."""
    sent = []
    with uow.writing() as session:
        due = (_Q.c.recheck_due_at <= now, _Q.c.recheck_sent_at.is_(None))
        for qualification_id in session.execute(
                sa.select(_Q.c.id).where(*due).order_by(_Q.c.id)).scalars().all():
            # The repeated condition: another process that sent it since changes nothing here.
            marked = rows_changed(session, sa.update(_Q).where(_Q.c.id == qualification_id, *due)
                                  .values(recheck_sent_at=now))
            if marked != 1:
                continue
            _remind(session, catalog, presenter, qualification_id)
            sent.append(qualification_id)
    return sent


def _remind(session: Session, catalog: Catalog, presenter: RecheckPresenter,
            qualification_id: int) -> None:
    row = load(session, qualification_id)
    verdict = in_force(session, qualification_id)
    if verdict is None or verdict.sales_ready or row.recheck_on is None:
        return  # made sales-ready since: nothing to look at again
    framework = catalog_of_version(session=session, catalog=catalog,
                                   version=verdict.definition_version).frameworks.get(row.framework)
    answers = current_answers(session, qualification_id)
    shown = tuple((c.title, describe(c, answers[c.key])) for c in
                  (framework.criteria if framework else ()) if c.key in answers)
    recheck = Recheck(
        qualification_id=qualification_id, company=lead_row(session, row).company,
        framework=framework.name if framework else row.framework.upper(),
        recheck_on=row.recheck_on, nurture_reason=row.nurture_reason or "", score=verdict.score,
        answers=shown)
    message = presenter.recheck_reminder(recheck)
    enqueue(session=session, kind="chat.postMessage",
            dedupe_key=f"recheck:{qualification_id}:{row.recheck_on.isoformat()}",
            payload={"channel": row.bdr_user_id, **message.as_kwargs()})


def requalify(*, uow: UnitOfWork, catalog: Catalog, qualification_id: int, bdr_user_id: str,
              ask_key: str) -> Step | Duplicate:
    """Qualify the lead again, its earlier answers in force until the BDR answers anew."""
    with uow.writing() as session:
        if not first_time(session, f"requalify:{ask_key}"):
            return Duplicate()
        earlier = load(session, qualification_id)
        if earlier.bdr_user_id != bdr_user_id:
            raise NotTheBdr(earlier.bdr_user_id, "qualify it again from here")
        again = Qualification(lead_id=earlier.lead_id, bdr_user_id=bdr_user_id,
                              team_id=earlier.team_id, framework=earlier.framework)
        session.add(again)
        session.flush()
        for entry in current_answers(session, qualification_id).values():
            # Who said it and when stay as they were: the BDR confirms or changes each one.
            session.add(AnswerEntry(
                qualification_id=again.id or 0, criterion_key=entry.criterion_key,
                choice=entry.choice, typed_value=entry.typed_value,
                normalised_value=entry.normalised_value, notes=entry.notes,
                answered_by=entry.answered_by, answered_at=entry.answered_at))
        record_event(session, actor=bdr_user_id, kind="qualification.started",
                     subject_type="qualification", subject_id=again.id or 0,
                     payload={"lead_id": earlier.lead_id, "framework": earlier.framework,
                              "requalifies": qualification_id})
        session.flush()
        return step_of(session, opened(session, catalog, again))
