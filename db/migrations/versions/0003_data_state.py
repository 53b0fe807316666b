"""data state: the version dashboards key their caches on

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table('data_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_data_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_state'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0, 'changed_at': dt.datetime.now(dt.UTC)}])


def downgrade() -> None:
    op.drop_table('data_state')
