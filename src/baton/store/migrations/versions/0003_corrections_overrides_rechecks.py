"""Verdicts record who gave them, why and what they supersede (corrections, managers'
overrides); qualifications keep a nurture reason and the day to look at the lead again

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('verdictrecord', sa.Column('decided_by', sa.String(), nullable=True))
    op.add_column('verdictrecord', sa.Column('cause', sa.String(length=20), server_default='judged', nullable=False))
    op.add_column('verdictrecord', sa.Column('supersedes_id', sa.Integer(), nullable=True))
    op.add_column('verdictrecord', sa.Column('overridden_by', sa.String(), nullable=True))
    op.add_column('verdictrecord', sa.Column('override_reason', sa.Text(), nullable=True))
    op.add_column('verdictrecord', sa.Column('overridden_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('qualification', sa.Column('nurture_reason', sa.String(), nullable=True))
    op.add_column('qualification', sa.Column('recheck_on', sa.Date(), nullable=True))
    op.add_column('qualification', sa.Column('recheck_due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('qualification', sa.Column('recheck_sent_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_qualification_recheck_due_at', 'qualification', ['recheck_due_at'], unique=False)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), as in 0002: batch mode would copy the tables.
    op.drop_index('ix_qualification_recheck_due_at', table_name='qualification')
    for column in ('recheck_sent_at', 'recheck_due_at', 'recheck_on', 'nurture_reason'):
        op.drop_column('qualification', column)
    for column in ('overridden_at', 'override_reason', 'overridden_by', 'supersedes_id', 'cause',
                   'decided_by'):
        op.drop_column('verdictrecord', column)
