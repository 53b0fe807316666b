"""cohort call dates: when a cycle's call for applications opens and closes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


CALL_CHECK = ("call_closes_on IS NULL OR call_opens_on IS NULL OR "
              "call_closes_on >= call_opens_on")


def upgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        # SQLite adds a CHECK only with a column (a table constraint would need the table
        # copied, which `upgrade --sql` cannot do without a live database to reflect).
        op.add_column('cohorts', sa.Column('call_opens_on', sa.Date(), nullable=True))
        op.add_column('cohorts', sa.Column(
            'call_closes_on', sa.Date(),
            sa.CheckConstraint(CALL_CHECK, name=op.f('ck_cohorts_call_period')),
            nullable=True))
        return
    op.add_column('cohorts', sa.Column('call_opens_on', sa.Date(), nullable=True))
    op.add_column('cohorts', sa.Column('call_closes_on', sa.Date(), nullable=True))
    op.create_check_constraint(op.f('ck_cohorts_call_period'), 'cohorts', CALL_CHECK)


def downgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        # SQLite (3.35+) drops a column in place, its own CHECK with it, so the table (which
        # enrolments, activities and assessments refer to) is never copied. The column that
        # carries the CHECK goes first: the other one is named in it.
        op.drop_column('cohorts', 'call_closes_on')
        op.drop_column('cohorts', 'call_opens_on')
        return
    op.drop_constraint(op.f('ck_cohorts_call_period'), 'cohorts', type_='check')
    op.drop_column('cohorts', 'call_closes_on')
    op.drop_column('cohorts', 'call_opens_on')
