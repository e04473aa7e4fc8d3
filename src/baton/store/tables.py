"""Every table Baton stores, named as sales names things; alembic migrates `SQLModel.metadata`."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from baton.domain.companies import company_domain, company_key
from baton.domain.lifecycle import (
    HandoffStatus,
    OutcomeKind,
    QualificationStatus,
    VerdictCause,
)
from baton.store.types import UTCDateTime, utcnow

# Named constraints let alembic alter them later, including SQLite's batch mode.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # Kept with its reason until someone retries it: Slack refused it, or it could not be built.
    SET_ASIDE = "set_aside"


def _when(*, nullable: bool = False) -> Any:
    """A UTC moment column; required ones default to now."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime(), nullable=True)
    return Field(default_factory=utcnow, sa_type=UTCDateTime(), nullable=False)


def _status(default: StrEnum) -> Any:
    # Plain text rather than a native enum so adding a status needs no type migration.
    return Field(default=default, sa_type=sa.String(20), nullable=False)


def _json(factory: type) -> Any:
    return Field(default_factory=factory, sa_type=sa.JSON(), nullable=False)


class Lead(SQLModel, table=True):
    """An organisation and contact a BDR qualifies; found again by company, domain or email."""

    id: int | None = Field(default=None, primary_key=True)
    company: str
    # The name as compared ("acme" for "The ACME Corp."), kept up to date on every write.
    company_key: str = Field(default="", index=True)
    contact_name: str = ""
    title: str = ""
    email: str = Field(default="", index=True)
    # The email's domain when it names the organisation (never gmail.com); None otherwise.
    company_domain: str | None = Field(default=None, index=True)
    source: str = ""
    region: str = ""
    industry: str = ""
    employees: int | None = None
    # Sales already has an open opportunity with it, as the BDR said; None: not known.
    open_opportunity: bool | None = None
    created_at: dt.datetime = _when()


@sa.event.listens_for(Lead, "before_insert")
@sa.event.listens_for(Lead, "before_update")
def _comparable(_mapper: Any, _connection: Any, lead: Lead) -> None:
    """The keys a known lead is found by, from the name and email as they now read."""
    lead.company_key = company_key(lead.company)
    lead.company_domain = company_domain(lead.email)


class Qualification(SQLModel, table=True):
    """One BDR's run through a framework's questions for a lead."""

    __table_args__ = (
        sa.Index("ix_qualification_bdr_started", "bdr_user_id", "started_at"),
        # Pipeline summaries count by when qualifications finished, for whom, and what their
        # verdict in force says: the index alone answers them all.
        sa.Index("ix_qualification_finished_judged", "finished_at", "bdr_user_id", "sales_ready",
                 "overridden"),
        # Notes typed in a thread find their qualification by the DM and root message.
        sa.Index("ix_qualification_conversation", "dm_channel", "thread_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    bdr_user_id: str
    team_id: str
    framework: str
    status: QualificationStatus = _status(QualificationStatus.IN_PROGRESS)
    current_index: int = 0
    started_at: dt.datetime = _when()
    finished_at: dt.datetime | None = _when(nullable=True)
    definition_version: str | None = None
    dm_channel: str | None = None
    thread_ts: str | None = None
    # Not sales-ready: why it goes to nurture, and the day its BDR looks at it again (a DM at
    # 9:00 in the definition's time zone, due_at; sent_at once it went out).
    nurture_reason: str | None = None
    recheck_on: dt.date | None = None
    recheck_due_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime(), index=True)
    recheck_sent_at: dt.datetime | None = _when(nullable=True)
    # When the BDR muted the news of this lead's handoff in its DM thread; None: they hear it.
    news_muted_at: dt.datetime | None = _when(nullable=True)
    # What the verdict in force (the last) says: None until judged. Kept by put_in_force().
    sales_ready: bool | None = None
    overridden: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class AnswerEntry(SQLModel, table=True):
    """An answer to one criterion; a correction supersedes the row instead of overwriting it."""

    __table_args__ = (
        # At most one current answer per criterion, enforced by the database on both backends.
        sa.Index(
            "uq_answerentry_current", "qualification_id", "criterion_key", unique=True,
            sqlite_where=sa.text("is_current"), postgresql_where=sa.text("is_current"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    qualification_id: int = Field(foreign_key="qualification.id", index=True)
    criterion_key: str
    choice: str | None = None
    typed_value: str | None = None
    normalised_value: str | None = None
    notes: str = ""
    answered_by: str
    answered_at: dt.datetime = _when()
    is_current: bool = True
    superseded_at: dt.datetime | None = _when(nullable=True)


class Note(SQLModel, table=True):
    """Free text a BDR typed in the conversation's thread, about a criterion or the lead."""

    id: int | None = Field(default=None, primary_key=True)
    qualification_id: int = Field(foreign_key="qualification.id", index=True)
    criterion_key: str | None = None
    text: str = Field(sa_type=sa.Text())
    author: str
    message_ts: str | None = None
    created_at: dt.datetime = _when()


class VerdictRecord(SQLModel, table=True):
    """A verdict as given, with the definition version it was judged by. A correction or an
    override adds a row that supersedes the one before; the newest row is the one in force."""

    id: int | None = Field(default=None, primary_key=True)
    qualification_id: int = Field(foreign_key="qualification.id", index=True)
    sales_ready: bool
    score: int
    definition_version: str
    framework: str
    criteria: list[dict[str, Any]] = _json(list)
    # Each criterion's status by its key, as `criteria` has it: what the export reads, without
    # the titles, reasons and points around it.
    statuses: dict[str, str] = _json(dict)
    missing: list[str] = _json(list)
    disqualified: str | None = None
    decided_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime(), index=True)
    decided_by: str | None = None
    cause: VerdictCause = Field(default=VerdictCause.JUDGED, sa_type=sa.String(20),
                                nullable=False, sa_column_kwargs={"server_default": "judged"})
    supersedes_id: int | None = None
    # A manager's override, carried by every later verdict of the qualification until the next.
    overridden_by: str | None = None
    override_reason: str | None = Field(default=None, sa_type=sa.Text())
    overridden_at: dt.datetime | None = _when(nullable=True)


class Handoff(SQLModel, table=True):
    """A sales-ready lead offered to a sales channel, then claimed and decided by one rep."""

    # Pipeline summaries count handoffs by when each of these happened, and for which BDR: the
    # indexes of the moments they count by answer that alone (claims also give their card's
    # time, decisions their status).
    __table_args__ = (
        sa.Index("ix_handoff_created_bdr", "created_at", "bdr_user_id"),
        sa.Index("ix_handoff_claimed_bdr", "claimed_at", "bdr_user_id", "created_at"),
        sa.Index("ix_handoff_reminded_bdr", "reminded_at", "bdr_user_id"),
        sa.Index("ix_handoff_escalated_bdr", "escalated_at", "bdr_user_id"),
        sa.Index("ix_handoff_decided_bdr", "decided_at", "bdr_user_id", "status"),
        *(sa.Index(f"ix_handoff_{column}", column)
          for column in ("accepted_at", "contacted_at", "accept_by", "contact_by")),
    )

    id: int | None = Field(default=None, primary_key=True)
    qualification_id: int = Field(foreign_key="qualification.id", unique=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    # The BDR who qualified the lead, as its qualification has it.
    bdr_user_id: str | None = None
    channel: str
    message_ts: str | None = None
    # Slack's link to the posted card, as chat.getPermalink gave it; None until then.
    permalink: str | None = None
    routing_rule: str | None = None
    status: HandoffStatus = Field(
        default=HandoffStatus.PENDING, sa_type=sa.String(20), index=True
    )
    created_at: dt.datetime = _when()
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = _when(nullable=True)
    decided_by: str | None = None
    decided_at: dt.datetime | None = _when(nullable=True)
    reject_reason: str | None = None
    reject_comment: str | None = None
    claim_by: dt.datetime | None = Field(default=None, sa_type=UTCDateTime(), index=True)
    escalate_at: dt.datetime | None = _when(nullable=True)
    reminded_at: dt.datetime | None = _when(nullable=True)
    escalated_at: dt.datetime | None = _when(nullable=True)
    # Who the lead was given to without a claim, and how: "round_robin", "owner", or the
    # manager who reassigned it. None when a rep claimed it.
    assigned_to: str | None = None
    assigned_by: str | None = None
    assigned_at: dt.datetime | None = _when(nullable=True)
    # The owner's follow-up, timed by the SLA: accepted (kept even if rejected later), then
    # first contact ("contacted" or "meeting_booked"); each *_by is its deadline.
    accept_by: dt.datetime | None = _when(nullable=True)
    accepted_at: dt.datetime | None = _when(nullable=True)
    contact_by: dt.datetime | None = _when(nullable=True)
    contacted_at: dt.datetime | None = _when(nullable=True)
    contact_kind: str | None = None
    # A rejection as the definition in force worded it: the reason's label, the criterion it
    # blames, and that definition's version.
    reject_label: str | None = None
    reject_criterion: str | None = None
    reject_version: str | None = None


class Rotation(SQLModel, table=True):
    """Where a routing rule's round robin stands: each member's credit toward the next lead."""

    rule: str = Field(primary_key=True)
    credits: dict[str, int] = _json(dict)
    updated_at: dt.datetime = _when()


class Absence(SQLModel, table=True):
    """A rep away: skipped by assignment until the day after `until` (or until they are back)."""

    user_id: str = Field(primary_key=True)
    until: dt.date | None = None
    since: dt.datetime = _when()


class Outcome(SQLModel, table=True):
    """What became of a handed-off lead, as the owning rep recorded it."""

    # Each outcome is recorded once per handoff, however many clicks race.
    __table_args__ = (
        sa.Index("uq_outcome_handoff_kind", "handoff_id", "kind", unique=True),
        sa.Index("ix_outcome_recorded_kind", "recorded_at", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    handoff_id: int = Field(foreign_key="handoff.id", index=True)
    kind: OutcomeKind = Field(sa_type=sa.String(30), index=True)
    reason: str = ""
    recorded_by: str
    recorded_at: dt.datetime = _when()
    # The deal's amount, when the outcome came from the CRM's deal.
    amount: float | None = None


class DefinitionVersion(SQLModel, table=True):
    """One applied version of the agreed SRL definition, kept verbatim."""

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(unique=True)
    yaml_text: str = Field(sa_type=sa.Text())
    checksum: str = Field(sa_type=sa.String(64))
    applied_by: str
    applied_at: dt.datetime = _when()
    # The question sets this version judges with, verbatim by file name ("bant" for
    # frameworks/bant.yaml), and one checksum over them; empty for versions stored before.
    frameworks: dict[str, str] | None = Field(default=None, sa_type=sa.JSON())
    frameworks_checksum: str | None = Field(default=None, sa_type=sa.String(64))


class DefinitionPeriod(SQLModel, table=True):
    """A stretch of time one definition version was in force: the latest one is in force now."""

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(index=True)
    started_at: dt.datetime = _when()
    started_by: str
    # "applied" (a new version) or "put back" (`baton definition use`).
    cause: str = Field(sa_type=sa.String(20))


class EventLog(SQLModel, table=True):
    """Append-only record of who did what to which thing."""

    __table_args__ = (sa.Index("ix_eventlog_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime(), index=True)
    actor: str
    kind: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any] = _json(dict)


class OutboxMessage(SQLModel, table=True):
    """A Slack call decided in a transaction and sent after it, retried until Slack takes it."""

    __table_args__ = (sa.Index("ix_outboxmessage_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    payload: dict[str, Any] = _json(dict)
    dedupe_key: str = Field(unique=True)
    status: OutboxStatus = _status(OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: dt.datetime = _when()
    last_error: str | None = Field(default=None, sa_type=sa.Text())
    created_at: dt.datetime = _when()
    sent_at: dt.datetime | None = _when(nullable=True)
    result: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON())
    # When a sender first took the row: Slack is searched from then for a post it may have made.
    first_attempt_at: dt.datetime | None = _when(nullable=True)
    # Set while a sender holds the row; still set when the next one takes it, the holder died.
    leased_at: dt.datetime | None = _when(nullable=True)
    # Since when the row is set aside; kept through retries until it is sent.
    set_aside_at: dt.datetime | None = _when(nullable=True)


class ProcessedRequest(SQLModel, table=True):
    """A Slack event or click already handled; inserting its key twice fails, so it runs once."""

    key: str = Field(primary_key=True)
    created_at: dt.datetime = _when()


class IntakeDraft(SQLModel, table=True):
    """An intake kept while its BDR chooses what to do about a lead Baton already knows."""

    # Random and unguessable: the modal carries only this id, the rest stays here.
    id: str = Field(primary_key=True, sa_type=sa.String(40))
    user_id: str
    lead_id: int = Field(foreign_key="lead.id")
    intake: dict[str, Any] = _json(dict)
    created_at: dt.datetime = _when()
    expires_at: dt.datetime = Field(sa_type=UTCDateTime(), index=True)


class CrmRecord(SQLModel, table=True):
    """Where a lead lives in the team's CRM: its person's and company's ids there."""

    __table_args__ = (sa.Index("uq_crmrecord_crm_lead", "crm", "lead_id", unique=True),
                      sa.Index("ix_crmrecord_crm_company", "crm", "company_id"))

    id: int | None = Field(default=None, primary_key=True)
    crm: str = Field(sa_type=sa.String(20))
    lead_id: int = Field(foreign_key="lead.id")
    person_id: str | None = None
    # Salesforce keeps a person as a Lead or a Contact; HubSpot as a contact.
    person_kind: str = "contact"
    company_id: str | None = None
    updated_at: dt.datetime = _when()


class CrmState(SQLModel, table=True):
    """How far Baton has gone with a CRM: the events it has queued writes for, and the moment
    from which deals are read next, with the last pull's time and error."""

    crm: str = Field(sa_type=sa.String(20), primary_key=True)
    events_after: int = 0
    deals_since: dt.datetime | None = _when(nullable=True)
    pulled_at: dt.datetime | None = _when(nullable=True)
    pull_error: str | None = Field(default=None, sa_type=sa.Text())
