"""Handoffs decided but not yet on Slack: their card and Q&A thread queued, the BDR linked."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.domain.verdict import CriterionResult
from baton.services import sla_timers
from baton.services.catalog import Catalog, definition_in_force
from baton.services.claims import card_posted
from baton.services.handoff_card import Answered, Card, CardPresenter, CardState, rows_of
from baton.services.outbox import (
    CARD_PREFIX,
    THREAD_OF,
    OnSent,
    SentMessage,
    enqueue,
    handoff_card_key,
)
from baton.services.qualifications_state import current_answers
from baton.store.db import SQLITE_BEGIN, session_scope
from baton.store.tables import (
    Handoff,
    HandoffStatus,
    Note,
    OutboxMessage,
    OutboxStatus,
    VerdictRecord,
)
from baton.store.tables import Qualification as QualificationRow

log = logging.getLogger(__name__)

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_VERDICT = VerdictRecord.__table__  # type: ignore[attr-defined]


def thread_key(handoff_id: int) -> str:
    """The dedupe key of the Q&A record posted in a handoff card's thread."""
    return f"card-thread:{handoff_id}"


def enqueue_pending_cards(*, engine: sa.Engine, catalog: Catalog, presenter: CardPresenter,
                          limit: int = 20) -> int:
    """Queue the card and Q&A thread of each decided handoff that has none; how many."""
    key = sa.literal(CARD_PREFIX) + sa.cast(_HANDOFF.c.id, sa.String)
    pending = (sa.select(_HANDOFF.c.id)
               .where(_HANDOFF.c.status == HandoffStatus.PENDING,
                      ~sa.exists().where(_OUTBOX.c.dedupe_key == key),
                      sa.exists().where(_VERDICT.c.qualification_id == _HANDOFF.c.qualification_id,
                                        _VERDICT.c.sales_ready.is_(True)))
               .order_by(_HANDOFF.c.id).limit(limit))
    with engine.connect() as connection:
        handoff_ids = connection.execute(pending).scalars().all()
    writer = engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    queued = 0
    for handoff_id in handoff_ids:
        with session_scope(writer) as session:
            queued += _queue_one(session, handoff_id, catalog, presenter)
    return queued


def _queue_one(session: Session, handoff_id: int, catalog: Catalog,
               presenter: CardPresenter) -> int:
    # Another process may hold this handoff, or have queued its card since the read.
    locked = session.execute(sa.select(_HANDOFF.c.id).where(_HANDOFF.c.id == handoff_id)
                             .with_for_update(skip_locked=True)).first()
    card_key = handoff_card_key(handoff_id)
    if locked is None or session.execute(
            sa.select(_OUTBOX.c.id).where(_OUTBOX.c.dedupe_key == card_key)).first():
        return 0
    try:
        with session.begin_nested():
            enqueue_card(session=session, handoff_id=handoff_id, catalog=catalog,
                         presenter=presenter)
    except ValueError as error:
        # A card that cannot be rendered never will be: recorded as failed, not tried forever.
        log.exception("handoff %s: its card could not be rendered", handoff_id)
        session.add(OutboxMessage(kind="chat.postMessage", dedupe_key=card_key, payload={},
                                  status=OutboxStatus.FAILED, last_error=str(error)))
    return 1


def enqueue_card(*, session: Session, handoff_id: int, catalog: Catalog,
                 presenter: CardPresenter) -> Card:
    """Queue a handoff's card and its Q&A thread, in the caller's transaction."""
    handoff = rows_of(session, handoff_id)[0]
    card = card_of(session=session, handoff_id=handoff_id, catalog=catalog)
    key = handoff_card_key(handoff_id)
    message = presenter.card_message(card, CardState(HandoffStatus.PENDING))
    enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
            payload={"channel": handoff.channel, **message.as_kwargs()})
    thread = presenter.thread_message(card)
    enqueue(session=session, kind="chat.postMessage", dedupe_key=thread_key(handoff_id),
            payload={"channel": handoff.channel, THREAD_OF: key, **thread.as_kwargs()})
    return card


def card_of(*, session: Session, handoff_id: int, catalog: Catalog) -> Card:
    """The card of a handoff, from its lead, its verdict, its answers and its SLA."""
    handoff, qualification, lead = rows_of(session, handoff_id)
    verdict = session.exec(select(VerdictRecord).where(
        VerdictRecord.qualification_id == qualification.id, VerdictRecord.sales_ready)
        .order_by(VerdictRecord.id.desc())).first()  # type: ignore[union-attr]
    if verdict is None:
        raise LookupError(f"handoff {handoff_id} has no sales-ready verdict")
    definition = definition_in_force(session=session, catalog=catalog)
    due = sla_timers.schedule(session=session, handoff_id=handoff_id, definition=definition)
    framework = catalog.frameworks.get(verdict.framework)
    return Card(
        handoff_id=handoff_id, company=lead.company, contact_name=lead.contact_name,
        title=lead.title, email=lead.email, bdr=qualification.bdr_user_id,
        framework=framework.name if framework else verdict.framework.upper(),
        score=verdict.score, sales_ready=verdict.sales_ready,
        answers=_answered(session, qualification.id or 0, verdict),
        notes=_notes(session, qualification), definition_version=verdict.definition_version,
        claim_by=_local(due.claim_by, definition), routing_rule=handoff.routing_rule or "",
    )


def _answered(session: Session, qualification_id: int,
              verdict: VerdictRecord) -> tuple[Answered, ...]:
    entries = current_answers(session, qualification_id)
    criteria = [CriterionResult.model_validate(c) for c in verdict.criteria]
    return tuple(
        Answered(title=c.title, status=str(c.status), answer=c.answer or "", reason=c.reason,
                 notes=entries[c.key].notes if c.key in entries else "")
        for c in criteria)


def _notes(session: Session, qualification: QualificationRow) -> str:
    query = select(Note.text).where(Note.qualification_id == qualification.id).order_by(Note.id)
    return "\n".join(session.exec(query).all())  # type: ignore[arg-type]


def _local(moment: dt.datetime, definition: Definition) -> str:
    """A deadline as the sales floor reads it, in the definition's time zone ("Mon 14:35 EST")."""
    return moment.astimezone(ZoneInfo(definition.sla.timezone)).strftime("%a %H:%M %Z")


def on_sent(client: WebClient, presenter: CardPresenter) -> OnSent:
    """Outbox hook: a posted card marks its handoff posted and DMs the BDR a link to it."""

    def hook(session: Session, message: SentMessage) -> None:
        card_posted(session, message)
        number = message.dedupe_key.removeprefix(CARD_PREFIX)
        if message.dedupe_key.startswith(CARD_PREFIX) and number.isdigit():
            _link_for_bdr(session, client, presenter, int(number), message.result)

    return hook


def _link_for_bdr(session: Session, client: WebClient, presenter: CardPresenter,
                  handoff_id: int, posted: dict[str, str]) -> None:
    _, qualification, lead = rows_of(session, handoff_id)
    channel, ts = posted.get("channel", ""), posted.get("ts", "")
    try:
        link = str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except (SlackClientError, OSError, KeyError):
        # The card is up either way; a link built by hand still opens it, but only Slack's
        # own link is kept for App Home, which names the channel otherwise.
        log.warning("chat.getPermalink failed for handoff %s", handoff_id, exc_info=True)
        link = f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"
    else:
        session.execute(sa.update(_HANDOFF).where(_HANDOFF.c.id == handoff_id)
                        .values(permalink=link))
    message = presenter.link_notice(company=lead.company, channel=channel, permalink=link)
    enqueue(session=session, kind="chat.postMessage", dedupe_key=f"card-link:{handoff_id}",
            payload={"channel": qualification.bdr_user_id, **message.as_kwargs()})
