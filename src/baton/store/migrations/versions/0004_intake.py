"""Known leads found by their company key and company email domain; open opportunity; drafts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from baton.domain.companies import company_domain, company_key

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
_LEAD = sa.table('lead', sa.column('id', sa.Integer()), sa.column('company', sa.String()),
                 sa.column('email', sa.String()), sa.column('company_key', sa.String()),
                 sa.column('company_domain', sa.String()))


def upgrade() -> None:
    op.add_column('lead', sa.Column('company_key', sa.String(), nullable=False,
                                    server_default=''))
    op.add_column('lead', sa.Column('company_domain', sa.String(), nullable=True))
    op.add_column('lead', sa.Column('open_opportunity', sa.Boolean(), nullable=True))
    _fill_keys(op.get_bind())
    op.create_index(op.f('ix_lead_company_key'), 'lead', ['company_key'], unique=False)
    op.create_index(op.f('ix_lead_company_domain'), 'lead', ['company_domain'], unique=False)
    # Known leads are found by company_key now; lower(company) finds nothing the key does not.
    op.drop_index('ix_lead_company_lower', table_name='lead')
    op.create_table(
        'intakedraft',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.String(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('intake', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['lead.id'],
                                name=op.f('fk_intakedraft_lead_id_lead')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intakedraft')),
    )
    op.create_index(op.f('ix_intakedraft_expires_at'), 'intakedraft', ['expires_at'],
                    unique=False)


def _fill_keys(connection: sa.Connection) -> None:
    """Every stored lead's keys, a batch at a time, as Baton computes them for new ones."""
    after = 0
    while True:
        rows = connection.execute(
            sa.select(_LEAD.c.id, _LEAD.c.company, _LEAD.c.email)
            .where(_LEAD.c.id > after).order_by(_LEAD.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            _LEAD.update().where(_LEAD.c.id == sa.bindparam('lead_id')),
            [{'lead_id': row.id, 'company_key': company_key(row.company),
              'company_domain': company_domain(row.email)} for row in rows])
        after = rows[-1].id


def downgrade() -> None:
    op.drop_index(op.f('ix_intakedraft_expires_at'), table_name='intakedraft')
    op.drop_table('intakedraft')
    op.create_index('ix_lead_company_lower', 'lead', [sa.text('lower(company)')], unique=False)
    op.drop_index(op.f('ix_lead_company_domain'), table_name='lead')
    op.drop_index(op.f('ix_lead_company_key'), table_name='lead')
    # Plain DROP COLUMN (SQLite 3.35+), as in 0002: batch mode would copy the table.
    op.drop_column('lead', 'open_opportunity')
    op.drop_column('lead', 'company_domain')
    op.drop_column('lead', 'company_key')
