"""register columns: registration date, termination and status from the Register of Enterprises

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STATUS_CHECK = ("register_status IS NULL OR register_status IN ('active', 'liquidated', "
                "'reorganized', 'terminated')")
ACTIVE_CHECK = "register_status IS NULL OR register_status <> 'active' OR terminated_on IS NULL"


def upgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        # SQLite adds a CHECK only with a column (a table constraint would need the table
        # copied, which `upgrade --sql` cannot do without a live database to reflect).
        op.add_column('organizations', sa.Column('registered_on', sa.Date(), nullable=True))
        op.add_column('organizations', sa.Column('terminated_on', sa.Date(), nullable=True))
        op.add_column('organizations', sa.Column(
            'register_status', sa.String(length=20), sa.CheckConstraint(
                STATUS_CHECK, name=op.f('ck_organizations_register_status')),
            sa.CheckConstraint(ACTIVE_CHECK, name=op.f('ck_organizations_register_active')),
            nullable=True))
        op.add_column('organizations', sa.Column('register_synced_at',
                                                 sa.DateTime(timezone=True), nullable=True))
        return
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('terminated_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('register_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('register_synced_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_organizations_register_status'),
                                         STATUS_CHECK)
        batch_op.create_check_constraint(batch_op.f('ck_organizations_register_active'),
                                         ACTIVE_CHECK)


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_organizations_register_active'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_organizations_register_status'), type_='check')
        batch_op.drop_column('register_synced_at')
        batch_op.drop_column('register_status')
        batch_op.drop_column('terminated_on')
        batch_op.drop_column('registered_on')
