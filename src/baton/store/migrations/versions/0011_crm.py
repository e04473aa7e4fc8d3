"""Leads keep their ids in the team's CRM, Baton keeps how far it has written to and read from
it, and an outcome read from a CRM deal keeps the deal's amount

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column('outcome', sa.Column('amount', sa.Float(), nullable=True))
    op.create_table(
        'crmrecord',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('crm', sa.String(20), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.String(), nullable=True),
        sa.Column('person_kind', sa.String(), nullable=False),
        sa.Column('company_id', sa.String(), nullable=True),
        sa.Column('updated_at', _WHEN, nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], name=op.f('fk_crmrecord_lead_id_lead')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crmrecord')),
    )
    op.create_index('uq_crmrecord_crm_lead', 'crmrecord', ['crm', 'lead_id'], unique=True)
    op.create_index('ix_crmrecord_crm_company', 'crmrecord', ['crm', 'company_id'])
    op.create_table(
        'crmstate',
        sa.Column('crm', sa.String(20), nullable=False),
        sa.Column('events_after', sa.Integer(), nullable=False),
        sa.Column('deals_since', _WHEN, nullable=True),
        sa.Column('pulled_at', _WHEN, nullable=True),
        sa.Column('pull_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('crm', name=op.f('pk_crmstate')),
    )


def downgrade() -> None:
    op.drop_table('crmstate')
    op.drop_index('ix_crmrecord_crm_company', table_name='crmrecord')
    op.drop_index('uq_crmrecord_crm_lead', table_name='crmrecord')
    op.drop_table('crmrecord')
    op.drop_column('outcome', 'amount')
