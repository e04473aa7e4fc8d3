"""Handoffs can be assigned (round robin, account owner, a manager), round robins keep their
place per routing rule, reps can be away, the owner's acceptance and first contact are timed,
rejections keep the definition's wording and criterion, and a BDR can mute the news of a lead

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 13:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)
COLUMNS = (('assigned_to', sa.String()), ('assigned_by', sa.String()), ('assigned_at', _WHEN),
           ('accept_by', _WHEN), ('accepted_at', _WHEN), ('contact_by', _WHEN),
           ('contacted_at', _WHEN), ('contact_kind', sa.String()), ('reject_label', sa.String()),
           ('reject_criterion', sa.String()), ('reject_version', sa.String()))
INDEXED = ('accepted_at', 'contacted_at', 'accept_by', 'contact_by')


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column('handoff', sa.Column(name, type_, nullable=True))
    op.add_column('qualification',
                  sa.Column('news_muted_at', sa.DateTime(timezone=True), nullable=True))
    # Pipeline summaries count follow-ups by when each of these happened or fell due.
    for column in INDEXED:
        op.create_index(f'ix_handoff_{column}', 'handoff', [column])
    # Until now an accepted lead's decision was its acceptance.
    op.execute("UPDATE handoff SET accepted_at = decided_at WHERE status = 'accepted'")
    op.create_table(
        'rotation',
        sa.Column('rule', sa.String(), nullable=False),
        sa.Column('credits', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('rule', name=op.f('pk_rotation')),
    )
    op.create_table(
        'absence',
        sa.Column('user_id', sa.String(), nullable=False),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_absence')),
    )


def downgrade() -> None:
    for column in INDEXED:
        op.drop_index(f'ix_handoff_{column}', table_name='handoff')
    op.drop_table('absence')
    op.drop_table('rotation')
    # Plain DROP COLUMN (SQLite 3.35+), as in 0002: batch mode would copy the table.
    op.drop_column('qualification', 'news_muted_at')
    for name, _ in reversed(COLUMNS):
        op.drop_column('handoff', name)
