"""Handoffs decided but not yet on Slack: their card and Q&A thread queued, each card on its
own so one that cannot be built never holds up the others; cards still waiting sent again."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from baton.domain.definition import Definition
from baton.domain.lifecycle import HandoffStatus, VerdictCause
from baton.domain.verdict import CriterionResult
from baton.services.catalog import Catalog, catalog_of_version, definition_in_force
from baton.services.handoff import sla
from baton.services.handoff.assign import (
    Assigned,
    GroupMembers,
    MembersUnavailable,
    assign_on_handoff,
    no_groups,
)
from baton.services.handoff.card import (
    CARD_PREFIX,
    Answered,
    Card,
    CardPresenter,
    card_key,
    card_metadata,
    rows_of,
    state_of,
    thread_key,
)
from baton.services.handoff.news import tell_bdr
from baton.services.handoff.verdict import in_force
from baton.services.outbox import THREAD_OF, enqueue
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import (
    AnswerEntry,
    Handoff,
    Note,
    OutboxMessage,
    OutboxStatus,
    VerdictRecord,
)
from baton.store.tables import Qualification as QualificationRow
from baton.store.types import utcnow

log = logging.getLogger(__name__)

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_VERDICT = VerdictRecord.__table__  # type: ignore[attr-defined]


def queue_pending_cards(*, uow: UnitOfWork, catalog: Catalog, presenter: CardPresenter,
                        limit: int = 20, members_of: GroupMembers = no_groups) -> int:
    """Assign each decided handoff as its routing rule says, then queue its card and Q&A thread
    (and who it went to, in that thread); how many."""
    key = sa.literal(CARD_PREFIX) + sa.cast(_HANDOFF.c.id, sa.String)
    pending = (sa.select(_HANDOFF.c.id)
               .where(_HANDOFF.c.status == HandoffStatus.PENDING,
                      ~sa.exists().where(_OUTBOX.c.dedupe_key == key),
                      sa.exists().where(_VERDICT.c.qualification_id == _HANDOFF.c.qualification_id,
                                        _VERDICT.c.sales_ready.is_(True)))
               .order_by(_HANDOFF.c.id).limit(limit))
    with uow.reading() as session:
        handoff_ids = session.execute(pending).scalars().all()
    queued = 0
    for handoff_id in handoff_ids:
        with uow.writing() as session:
            queued += _queue_one(session, handoff_id, catalog, presenter, members_of)
    return queued


def _queue_one(session: Session, handoff_id: int, catalog: Catalog, presenter: CardPresenter,
               members_of: GroupMembers) -> int:
    # Another process may hold this handoff, or have queued its card since the read.
    locked = session.execute(sa.select(_HANDOFF.c.id).where(_HANDOFF.c.id == handoff_id)
                             .with_for_update(skip_locked=True)).first()
    key = card_key(handoff_id)
    if locked is None or session.execute(
            sa.select(_OUTBOX.c.id).where(_OUTBOX.c.dedupe_key == key)).first():
        return 0
    try:
        with session.begin_nested():
            assigned = assign_on_handoff(
                session=session, handoff_id=handoff_id, members_of=members_of, now=utcnow(),
                definition=definition_in_force(session=session, catalog=catalog))
            enqueue_card(session=session, handoff_id=handoff_id, catalog=catalog,
                         presenter=presenter)
            if assigned is not None:
                _say_assigned(session, handoff_id, assigned, presenter)
    except (sa.exc.SQLAlchemyError, MembersUnavailable):
        # The database failing, or Slack unable to list a rotation's user group, is no fault
        # of this card: the pass stops and comes back.
        raise
    except Exception as error:
        # A card that cannot be built (a template that fails, data it cannot show) is set aside
        # with its reason, told once, and never stops the cards behind it; a retry builds it
        # again.
        log.exception("handoff %s: its card could not be rendered; it is set aside", handoff_id)
        session.add(OutboxMessage(kind="chat.postMessage", dedupe_key=key, payload={},
                                  status=OutboxStatus.SET_ASIDE, set_aside_at=utcnow(),
                                  last_error=f"the card could not be rendered: {error}"))
    return 1


def enqueue_card(*, session: Session, handoff_id: int, catalog: Catalog,
                 presenter: CardPresenter) -> Card:
    """Queue a handoff's card and its Q&A thread, in the caller's transaction."""
    handoff = rows_of(session, handoff_id)[0]
    card = card_of(session=session, handoff_id=handoff_id, catalog=catalog)
    key = card_key(handoff_id)
    message = presenter.card_message(card, state_of(session=session, handoff_id=handoff_id))
    enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
            payload={"channel": handoff.channel, **message.as_kwargs(),
                     "metadata": card_metadata(handoff_id)})
    thread = presenter.thread_message(card)
    enqueue(session=session, kind="chat.postMessage", dedupe_key=thread_key(handoff_id),
            payload={"channel": handoff.channel, THREAD_OF: key, **thread.as_kwargs()})
    return card


def _say_assigned(session: Session, handoff_id: int, assigned: Assigned,
                  presenter: CardPresenter) -> None:
    """Who the lead went to, and who was passed over, in the card's thread."""
    notice = presenter.assigned_notice(
        user=assigned.user, how=assigned.how,
        skipped=[(skip.user, skip.why) for skip in assigned.skipped])
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"assigned:{handoff_id}",
            payload={"channel": rows_of(session, handoff_id)[0].channel,
                     THREAD_OF: card_key(handoff_id), **notice.as_kwargs()})
    if assigned.user is not None:
        tell_bdr(session=session, handoff_id=handoff_id, presenter=presenter, what="assigned",
                 who=assigned.user, how=assigned.how)


def card_of(*, session: Session, handoff_id: int, catalog: Catalog) -> Card:
    """The card of a handoff, from its lead, its verdict, its answers and its SLA."""
    handoff, qualification, lead = rows_of(session, handoff_id)
    # The verdict in force: after a correction or an override the card shows the newest one.
    verdict = in_force(session, qualification.id or 0)
    if verdict is None:
        raise LookupError(f"handoff {handoff_id} has no verdict")
    definition = definition_in_force(session=session, catalog=catalog)
    due = sla.schedule(session=session, handoff_id=handoff_id, definition=definition)
    framework = catalog_of_version(session=session, catalog=catalog,
                                   version=verdict.definition_version).frameworks.get(verdict.framework)
    return Card(
        handoff_id=handoff_id, company=lead.company, contact_name=lead.contact_name,
        title=lead.title, email=lead.email, bdr=qualification.bdr_user_id,
        framework=framework.name if framework else verdict.framework.upper(),
        score=verdict.score, sales_ready=verdict.sales_ready,
        answers=_answered(session, qualification.id or 0, verdict),
        notes=_notes(session, qualification), definition_version=verdict.definition_version,
        claim_by=_local(due.claim_by, definition, handoff.routing_rule),
        claim_by_at=due.claim_by, routing_rule=handoff.routing_rule or "",
        corrected_by=verdict.decided_by if verdict.cause == VerdictCause.CORRECTED else None,
        overridden_by=verdict.overridden_by, override_reason=verdict.override_reason or "",
    )


def _answered(session: Session, qualification_id: int,
              verdict: VerdictRecord) -> tuple[Answered, ...]:
    current = select(AnswerEntry.criterion_key, AnswerEntry.notes).where(
        AnswerEntry.qualification_id == qualification_id,
        AnswerEntry.is_current == True)  # noqa: E712 - a SQL expression, not a Python test
    notes = dict(session.exec(current).all())
    criteria = [CriterionResult.model_validate(c) for c in verdict.criteria]
    return tuple(
        Answered(title=c.title, status=str(c.status), answer=c.answer or "", reason=c.reason,
                 notes=notes.get(c.key, ""))
        for c in criteria)


def _notes(session: Session, qualification: QualificationRow) -> str:
    query = (select(Note.text).where(Note.qualification_id == qualification.id)
             .order_by(col(Note.id)))
    return "\n".join(session.exec(query).all())


def _local(moment: dt.datetime, definition: Definition, rule: str | None) -> str:
    """A deadline as the sales floor reads it, in the definition's time zone ("Mon 14:35 EST")."""
    zone = ZoneInfo(definition.sla_for(rule).timezone)
    return moment.astimezone(zone).strftime("%a %H:%M %Z")

