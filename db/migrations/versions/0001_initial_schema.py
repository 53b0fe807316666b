"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
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
    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_lv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('budget_eur', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget_eur IS NULL OR budget_eur >= 0', name=op.f('ck_programs_budget')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_programs_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('code', name=op.f('uq_programs_code'))
    )
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_lv', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.CheckConstraint("code IN ('RIGA', 'VIDZEME', 'KURZEME', 'ZEMGALE', 'LATGALE')", name=op.f('ck_regions_code')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('code', name=op.f('uq_regions_code'))
    )
    op.create_table('incubators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_lv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(length=200), nullable=True),
    sa.Column('budget_eur', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget_eur IS NULL OR budget_eur >= 0', name=op.f('ck_incubators_budget')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_incubators_period')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_incubators_program_id_programs')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_incubators_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubators')),
    sa.UniqueConstraint('code', name=op.f('uq_incubators_code'))
    )
    with op.batch_alter_table('incubators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubators_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubators_region_id'), ['region_id'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_lv', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.Column('parameter', sa.String(length=40), nullable=True),
    sa.Column('unit_lv', sa.String(length=40), nullable=False),
    sa.Column('unit_en', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('organizations_supported', 'activities', 'attendees', 'capacity_gain', 'milestones', 'milestone_organizations', 'manual')", name=op.f('ck_indicators_method')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_indicators_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('program_id', 'code', name=op.f('uq_indicators_program_id_code'))
    )
    op.create_table('municipalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atvk', sa.String(length=7), nullable=False),
    sa.Column('iso', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('successor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.CheckConstraint("kind IN ('valstspilsēta', 'novads')", name=op.f('ck_municipalities_kind')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_municipalities_valid_period')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_municipalities_region_id_regions')),
    sa.ForeignKeyConstraint(['successor_id'], ['municipalities.id'], name=op.f('fk_municipalities_successor_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipalities')),
    sa.UniqueConstraint('atvk', name=op.f('uq_municipalities_atvk')),
    sa.UniqueConstraint('iso', 'valid_from', name=op.f('uq_municipalities_iso_valid_from'))
    )
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipalities_region_id'), ['region_id'], unique=False)

    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_cohorts_period')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_cohorts_number')),
    sa.CheckConstraint('seats IS NULL OR (seats >= 0 AND seats <= 10000)', name=op.f('ck_cohorts_seats')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_cohorts_incubator_id_incubators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
    sa.UniqueConstraint('incubator_id', 'number', name=op.f('uq_cohorts_incubator_id_number'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_incubator_id'), ['incubator_id'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reg_no', sa.String(length=11), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_search', sa.String(length=300), nullable=False),
    sa.Column('legal_form', sa.String(length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('fields_of_activity', sa.JSON(), nullable=False),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('volunteers', sa.Integer(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("legal_form IN ('association', 'foundation', 'other')", name=op.f('ck_organizations_legal_form')),
    sa.CheckConstraint('employees IS NULL OR (employees >= 0 AND employees <= 1000000)', name=op.f('ck_organizations_employees')),
    sa.CheckConstraint('length(reg_no) = 11', name=op.f('ck_organizations_reg_no_length')),
    sa.CheckConstraint('members IS NULL OR (members >= 0 AND members <= 1000000)', name=op.f('ck_organizations_members')),
    sa.CheckConstraint('volunteers IS NULL OR (volunteers >= 0 AND volunteers <= 1000000)', name=op.f('ck_organizations_volunteers')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_organizations_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('reg_no', name=op.f('uq_organizations_reg_no'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('incubator_key', sa.Integer(), nullable=False),
    sa.Column('year_key', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('incubator_key = COALESCE(incubator_id, 0)', name=op.f('ck_targets_incubator_key')),
    sa.CheckConstraint('target_value >= 0', name=op.f('ck_targets_target_value')),
    sa.CheckConstraint('year IS NULL OR (year >= 2000 AND year <= 2100)', name=op.f('ck_targets_year')),
    sa.CheckConstraint('year_key = COALESCE(year, 0)', name=op.f('ck_targets_year_key')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_targets_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_targets_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('indicator_id', 'incubator_key', 'year_key', name=op.f('uq_targets_indicator_id_incubator_key_year_key'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('external_subject', sa.String(length=200), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('lv', 'en')", name=op.f('ck_users_language')),
    sa.CheckConstraint("role <> 'staff' OR incubator_id IS NOT NULL", name=op.f('ck_users_staff_incubator')),
    sa.CheckConstraint("role IN ('admin', 'manager', 'staff', 'funder')", name=op.f('ck_users_role')),
    sa.CheckConstraint('failed_logins >= 0', name=op.f('ck_users_failed_logins')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_users_incubator_id_incubators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_incubator_id'), ['incubator_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('total_participants', sa.Integer(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("format IN ('in_person', 'online', 'hybrid')", name=op.f('ck_activities_format')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'returned')", name=op.f('ck_activities_status')),
    sa.CheckConstraint("type IN ('consultation', 'mentoring', 'training', 'workshop', 'think_tank', 'networking', 'study_visit', 'civic_dialogue')", name=op.f('ck_activities_type')),
    sa.CheckConstraint('hours > 0 AND hours <= 200', name=op.f('ck_activities_hours')),
    sa.CheckConstraint('total_participants >= 0 AND total_participants <= 1000000', name=op.f('ck_activities_total_participants')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_activities_author_id_users')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_activities_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_activities_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_activities_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('incubator_id', 'external_ref', name=op.f('uq_activities_incubator_id_external_ref'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_activity_date_type', ['activity_date', 'type'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('ix_activities_incubator_id_activity_date', ['incubator_id', 'activity_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('capacity_index', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('intake', 'midpoint', 'graduation', 'follow_up')", name=op.f('ck_assessments_kind')),
    sa.CheckConstraint('capacity_index >= 25 AND capacity_index <= 100', name=op.f('ck_assessments_capacity_index')),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_assessments_assessor_id_users')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assessments_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_assessments_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('ix_assessments_organization_id_assessed_on', ['organization_id', 'assessed_on'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=True),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity_entity_id', ['entity', 'entity_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('admitted_on', sa.Date(), nullable=True),
    sa.Column('graduated_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('applied', 'admitted', 'graduated', 'rejected', 'withdrawn')", name=op.f('ck_enrollments_status')),
    sa.CheckConstraint('admitted_on IS NULL OR admitted_on >= applied_on', name=op.f('ck_enrollments_admitted_after')),
    sa.CheckConstraint('graduated_on IS NULL OR (admitted_on IS NOT NULL AND graduated_on >= admitted_on)', name=op.f('ck_enrollments_graduated_after')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_enrollments_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_enrollments_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('organization_id', 'cohort_id', name=op.f('uq_enrollments_organization_id_cohort_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_organization_id'), ['organization_id'], unique=False)

    op.create_table('indicator_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_indicator_entries_value')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_indicator_entries_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_entries_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_indicator_entries_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_entries'))
    )
    with op.batch_alter_table('indicator_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_entries_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('achieved_on', sa.Date(), nullable=False),
    sa.Column('amount_eur', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('opinion_submitted', 'grant_applied', 'grant_awarded', 'strategy_adopted', 'new_partnership', 'new_members', 'service_launched')", name=op.f('ck_milestones_kind')),
    sa.CheckConstraint('amount_eur IS NULL OR amount_eur >= 0', name=op.f('ck_milestones_amount')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_milestones_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_milestones_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_milestones_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index('ix_milestones_incubator_id_achieved_on', ['incubator_id', 'achieved_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_organization_id'), ['organization_id'], unique=False)

    op.create_table('activity_areas',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.CheckConstraint("area IN ('governance', 'strategy', 'finance', 'people', 'delivery', 'communication', 'advocacy')", name=op.f('ck_activity_areas_area')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_areas_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'area', name=op.f('pk_activity_areas'))
    )
    with op.batch_alter_table('activity_areas', schema=None) as batch_op:
        batch_op.create_index('ix_activity_areas_area', ['area'], unique=False)

    op.create_table('assessment_scores',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint("area IN ('governance', 'strategy', 'finance', 'people', 'delivery', 'communication', 'advocacy')", name=op.f('ck_assessment_scores_area')),
    sa.CheckConstraint('score >= 1 AND score <= 4', name=op.f('ck_assessment_scores_score')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'area', name=op.f('pk_assessment_scores'))
    )
    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=False),
    sa.CheckConstraint('attendees >= 1 AND attendees <= 1000000', name=op.f('ck_participations_attendees')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_participations_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_participations_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('activity_id', 'organization_id', name=op.f('uq_participations_activity_id_organization_id'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index('ix_participations_organization_id_activity_id', ['organization_id', 'activity_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index('ix_participations_organization_id_activity_id')

    op.drop_table('participations')
    op.drop_table('assessment_scores')
    with op.batch_alter_table('activity_areas', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_areas_area')

    op.drop_table('activity_areas')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestones_organization_id'))
        batch_op.drop_index('ix_milestones_incubator_id_achieved_on')

    op.drop_table('milestones')
    with op.batch_alter_table('indicator_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_entries_indicator_id'))

    op.drop_table('indicator_entries')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_organization_id'))
        batch_op.drop_index(batch_op.f('ix_enrollments_cohort_id'))

    op.drop_table('enrollments')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity_entity_id')
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_organization_id_assessed_on')
        batch_op.drop_index(batch_op.f('ix_assessments_cohort_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_municipality_id'))
        batch_op.drop_index('ix_activities_incubator_id_activity_date')
        batch_op.drop_index(batch_op.f('ix_activities_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_activities_author_id'))
        batch_op.drop_index('ix_activities_activity_date_type')

    op.drop_table('activities')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_incubator_id'))

    op.drop_table('users')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_indicator_id'))

    op.drop_table('targets')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_municipality_id'))

    op.drop_table('organizations')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_incubator_id'))

    op.drop_table('cohorts')
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipalities_region_id'))

    op.drop_table('municipalities')
    op.drop_table('indicators')
    with op.batch_alter_table('incubators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubators_region_id'))
        batch_op.drop_index(batch_op.f('ix_incubators_program_id'))

    op.drop_table('incubators')
    op.drop_table('regions')
    op.drop_table('programs')
