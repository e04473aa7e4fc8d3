"""Leads, qualifications, answers, verdicts, handoffs, outcomes, definitions, events, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:10:28.578218
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('definitionversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(), nullable=False),
    sa.Column('yaml_text', sa.Text(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('applied_by', sa.String(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_definitionversion')),
    sa.UniqueConstraint('version', name=op.f('uq_definitionversion_version'))
    )
    op.create_table('eventlog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('subject_type', sa.String(), nullable=False),
    sa.Column('subject_id', sa.String(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eventlog'))
    )
    op.create_index(op.f('ix_eventlog_at'), 'eventlog', ['at'], unique=False)
    op.create_index('ix_eventlog_subject', 'eventlog', ['subject_type', 'subject_id'], unique=False)

    op.create_table('lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company', sa.String(), nullable=False),
    sa.Column('contact_name', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('region', sa.String(), nullable=False),
    sa.Column('industry', sa.String(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead'))
    )
    op.create_index(op.f('ix_lead_email'), 'lead', ['email'], unique=False)
    op.create_index('ix_lead_company_lower', 'lead', [sa.text('lower(company)')], unique=False)

    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outboxmessage')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outboxmessage_dedupe_key'))
    )
    op.create_index('ix_outboxmessage_due', 'outboxmessage', ['status', 'next_attempt_at'], unique=False)

    op.create_table('processedrequest',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_processedrequest'))
    )
    op.create_table('qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('bdr_user_id', sa.String(), nullable=False),
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('framework', sa.String(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current_index', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('definition_version', sa.String(), nullable=True),
    sa.Column('dm_channel', sa.String(), nullable=True),
    sa.Column('thread_ts', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], name=op.f('fk_qualification_lead_id_lead')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualification'))
    )
    op.create_index('ix_qualification_bdr_started', 'qualification', ['bdr_user_id', 'started_at'], unique=False)
    op.create_index('ix_qualification_finished_at', 'qualification', ['finished_at'], unique=False)
    op.create_index('ix_qualification_conversation', 'qualification', ['dm_channel', 'thread_ts'], unique=False)
    op.create_index(op.f('ix_qualification_lead_id'), 'qualification', ['lead_id'], unique=False)

    op.create_table('answerentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('criterion_key', sa.String(), nullable=False),
    sa.Column('choice', sa.String(), nullable=True),
    sa.Column('typed_value', sa.String(), nullable=True),
    sa.Column('normalised_value', sa.String(), nullable=True),
    sa.Column('notes', sa.String(), nullable=False),
    sa.Column('answered_by', sa.String(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'], name=op.f('fk_answerentry_qualification_id_qualification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answerentry'))
    )
    op.create_index(op.f('ix_answerentry_qualification_id'), 'answerentry', ['qualification_id'], unique=False)
    op.create_index('uq_answerentry_current', 'answerentry', ['qualification_id', 'criterion_key'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.create_table('handoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('message_ts', sa.String(), nullable=True),
    sa.Column('routing_rule', sa.String(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.String(), nullable=True),
    sa.Column('reject_comment', sa.String(), nullable=True),
    sa.Column('claim_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalate_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], name=op.f('fk_handoff_lead_id_lead')),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'], name=op.f('fk_handoff_qualification_id_qualification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff')),
    sa.UniqueConstraint('qualification_id', name=op.f('uq_handoff_qualification_id'))
    )
    op.create_index(op.f('ix_handoff_claim_by'), 'handoff', ['claim_by'], unique=False)
    op.create_index(op.f('ix_handoff_claimed_at'), 'handoff', ['claimed_at'], unique=False)
    op.create_index(op.f('ix_handoff_lead_id'), 'handoff', ['lead_id'], unique=False)
    op.create_index(op.f('ix_handoff_status'), 'handoff', ['status'], unique=False)
    for column in ('created_at', 'decided_at', 'reminded_at', 'escalated_at'):
        op.create_index(f'ix_handoff_{column}', 'handoff', [column], unique=False)

    op.create_table('note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('criterion_key', sa.String(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(), nullable=False),
    sa.Column('message_ts', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'], name=op.f('fk_note_qualification_id_qualification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    op.create_index(op.f('ix_note_qualification_id'), 'note', ['qualification_id'], unique=False)

    op.create_table('verdictrecord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('sales_ready', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('definition_version', sa.String(), nullable=False),
    sa.Column('framework', sa.String(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('disqualified', sa.String(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'], name=op.f('fk_verdictrecord_qualification_id_qualification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdictrecord'))
    )
    op.create_index(op.f('ix_verdictrecord_decided_at'), 'verdictrecord', ['decided_at'], unique=False)
    op.create_index(op.f('ix_verdictrecord_qualification_id'), 'verdictrecord', ['qualification_id'], unique=False)

    op.create_table('outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('recorded_by', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoff.id'], name=op.f('fk_outcome_handoff_id_handoff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome'))
    )
    op.create_index(op.f('ix_outcome_handoff_id'), 'outcome', ['handoff_id'], unique=False)
    op.create_index(op.f('ix_outcome_kind'), 'outcome', ['kind'], unique=False)
    op.create_index('uq_outcome_handoff_kind', 'outcome', ['handoff_id', 'kind'], unique=True)
    op.create_index('ix_outcome_recorded_at', 'outcome', ['recorded_at'], unique=False)


def downgrade() -> None:
    op.drop_table('outcome')
    op.drop_table('verdictrecord')
    op.drop_table('note')
    op.drop_table('handoff')
    op.drop_table('answerentry')
    op.drop_table('qualification')
    op.drop_table('processedrequest')
    op.drop_table('outboxmessage')
    op.drop_table('lead')
    op.drop_table('eventlog')
    op.drop_table('definitionversion')
