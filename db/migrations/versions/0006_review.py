"""review: activity submission time, attachments, period closures, form drafts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('form_drafts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'form', name=op.f('pk_form_drafts'))
    )
    op.create_table('period_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('quarter >= 1 AND quarter <= 4', name=op.f('ck_period_closures_quarter')),
    sa.CheckConstraint('reopened_at IS NULL OR (reopen_reason IS NOT NULL AND length(reopen_reason) > 0)', name=op.f('ck_period_closures_reopen_reason')),
    sa.CheckConstraint('year >= 2000 AND year <= 2100', name=op.f('ck_period_closures_year')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_period_closures_closed_by_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_period_closures_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_period_closures_reopened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_closures'))
    )
    op.create_index('ix_period_closures_open', 'period_closures',
                    ['incubator_id', 'year', 'quarter'], unique=True,
                    sqlite_where=sa.text('reopened_at IS NULL'),
                    postgresql_where=sa.text('reopened_at IS NULL'))

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type = 'application/pdf' OR content_type = 'image/jpeg' OR content_type = 'image/png'", name=op.f('ck_attachments_content_type')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_attachments_sha256')),
    sa.CheckConstraint('size_bytes > 0 AND size_bytes <= 10485760', name=op.f('ck_attachments_size')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_attachments_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('activity_id', 'sha256', name=op.f('uq_attachments_activity_id_sha256'))
    )
    op.create_index(op.f('ix_attachments_sha256'), 'attachments', ['sha256'], unique=False)
    # a plain ALTER TABLE on both databases: SQLite adds a nullable column in place
    op.add_column('activities', sa.Column('submitted_at', sa.DateTime(timezone=True),
                                          nullable=True))
    # activities already waiting for review count as submitted when they were last changed
    op.execute("UPDATE activities SET submitted_at = updated_at WHERE status = 'submitted'")


def downgrade() -> None:
    # SQLite >= 3.35 drops a plain column in place; a batch copy of `activities` would
    # DROP the table, and with foreign keys on that deletes every participation
    op.execute('ALTER TABLE activities DROP COLUMN submitted_at')
    op.drop_index(op.f('ix_attachments_sha256'), table_name='attachments')
    op.drop_table('attachments')
    op.drop_index('ix_period_closures_open', table_name='period_closures',
                  sqlite_where=sa.text('reopened_at IS NULL'),
                  postgresql_where=sa.text('reopened_at IS NULL'))
    op.drop_table('period_closures')
    op.drop_table('form_drafts')
