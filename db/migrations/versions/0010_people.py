"""people: participants with consent and ESF+ characteristics, their organisations, their
attendance at activities, the completion rule of "people trained", and the indicator method
that counts them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_METHODS = ('organizations_supported', 'activities', 'attendees', 'capacity_gain',
               'milestones', 'milestone_organizations', 'manual')
NEW_METHODS = (*OLD_METHODS, 'people_trained')
TRAINED_CHECK = 'trained_min_hours > 0 AND trained_min_hours <= 1000'


def _as_or(values: Sequence[str]) -> str:
    return " OR ".join(f"method = {v!r}" for v in values)


def _method_check(old: Sequence[str], new: Sequence[str]) -> None:
    """indicators.method may be the new method. SQLite keeps the check in the table's CREATE
    statement, written as ORs (migration 0005): it is rewritten in place, no table copied."""
    if op.get_context().dialect.name == 'sqlite':
        version = None
        if not op.get_context().as_sql:
            version = op.get_bind().exec_driver_sql('PRAGMA schema_version').scalar()
        op.execute('PRAGMA writable_schema = ON')
        op.execute(sa.text("UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
                           "WHERE type = 'table' AND name = 'indicators'")
                   .bindparams(old=_as_or(old), new=_as_or(new)))
        if version is not None:
            op.execute(f'PRAGMA schema_version = {int(version) + 1}')
        op.execute('PRAGMA writable_schema = RESET')
        return
    op.drop_constraint(op.f('ck_indicators_method'), 'indicators', type_='check')
    op.create_check_constraint(op.f('ck_indicators_method'), 'indicators',
                               f"method IN ({', '.join(repr(v) for v in new)})")


def _programs_up() -> None:
    minimum = sa.Column('trained_min_hours', sa.Numeric(precision=5, scale=2),
                        server_default='12', nullable=False)
    if op.get_context().dialect.name == 'sqlite':  # a CHECK only with its column (0009)
        minimum = sa.Column('trained_min_hours', sa.Numeric(precision=5, scale=2),
                            sa.CheckConstraint(TRAINED_CHECK,
                                               name=op.f('ck_programs_trained_min_hours')),
                            server_default='12', nullable=False)
    op.add_column('programs', minimum)
    op.add_column('programs', sa.Column('trained_activity_types', sa.JSON(),
                                        server_default='["training"]', nullable=False))
    if op.get_context().dialect.name != 'sqlite':
        op.create_check_constraint(op.f('ck_programs_trained_min_hours'), 'programs',
                                   TRAINED_CHECK)


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('name_search', sa.String(length=300), nullable=False),
    sa.Column('personal_code_secret', sa.String(length=200), nullable=True),
    sa.Column('personal_code_match', sa.String(length=64), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=20), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('consent_date', sa.Date(), nullable=False),
    sa.Column('consent_withdrawn', sa.Date(), nullable=True),
    sa.Column('employment_status', sa.String(length=30), nullable=True),
    sa.Column('education', sa.String(length=20), nullable=True),
    sa.Column('disability', sa.String(length=10), nullable=True),
    sa.Column('third_country_national', sa.String(length=10), nullable=True),
    sa.Column('foreign_background', sa.String(length=10), nullable=True),
    sa.Column('minority', sa.String(length=10), nullable=True),
    sa.Column('homeless', sa.String(length=10), nullable=True),
    sa.Column('rural', sa.String(length=10), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("disability IS NULL OR disability = 'yes' OR disability = 'no' OR disability = 'refused'", name=op.f('ck_people_disability')),
    sa.CheckConstraint("education IS NULL OR education = 'isced_0_2' OR education = 'isced_3_4' OR education = 'isced_5_8'", name=op.f('ck_people_education')),
    sa.CheckConstraint("employment_status IS NULL OR employment_status = 'employed' OR employment_status = 'self_employed' OR employment_status = 'unemployed' OR employment_status = 'long_term_unemployed' OR employment_status = 'inactive' OR employment_status = 'in_education'", name=op.f('ck_people_employment_status')),
    sa.CheckConstraint("foreign_background IS NULL OR foreign_background = 'yes' OR foreign_background = 'no' OR foreign_background = 'refused'", name=op.f('ck_people_foreign_background')),
    sa.CheckConstraint("gender IS NULL OR gender = 'female' OR gender = 'male' OR gender = 'non_binary'", name=op.f('ck_people_gender')),
    sa.CheckConstraint("homeless IS NULL OR homeless = 'yes' OR homeless = 'no' OR homeless = 'refused'", name=op.f('ck_people_homeless')),
    sa.CheckConstraint("minority IS NULL OR minority = 'yes' OR minority = 'no' OR minority = 'refused'", name=op.f('ck_people_minority')),
    sa.CheckConstraint("rural IS NULL OR rural = 'yes' OR rural = 'no' OR rural = 'refused'", name=op.f('ck_people_rural')),
    sa.CheckConstraint("third_country_national IS NULL OR third_country_national = 'yes' OR third_country_national = 'no' OR third_country_national = 'refused'", name=op.f('ck_people_third_country_national')),
    sa.CheckConstraint('birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)', name=op.f('ck_people_birth_year')),
    sa.CheckConstraint('consent_withdrawn IS NULL OR consent_withdrawn >= consent_date', name=op.f('ck_people_consent_order')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_people_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_people_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('incubator_id', 'ref', name=op.f('uq_people_incubator_id_ref')),
    sa.UniqueConstraint('personal_code_match', name=op.f('uq_people_personal_code_match'))
    )
    op.create_index('ix_people_incubator_id_name_search', 'people', ['incubator_id', 'name_search'], unique=False)

    op.create_table('person_organizations',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role = 'leader' OR role = 'board_member' OR role = 'member' OR role = 'employee' OR role = 'volunteer'", name=op.f('ck_person_organizations_role')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_person_organizations_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_organizations_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'organization_id', name=op.f('pk_person_organizations'))
    )
    op.create_index('ix_person_organizations_organization_id', 'person_organizations', ['organization_id'], unique=False)

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.CheckConstraint('hours IS NULL OR (hours > 0 AND hours <= 200)', name=op.f('ck_attendances_hours')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_attendances_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_attendances_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendances_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('activity_id', 'person_id', name=op.f('uq_attendances_activity_id_person_id'))
    )
    op.create_index('ix_attendances_person_id_activity_id', 'attendances', ['person_id', 'activity_id'], unique=False)

    _programs_up()
    _method_check(OLD_METHODS, NEW_METHODS)


def downgrade() -> None:
    # people trained go back to what was counted before: training attendances
    op.execute("UPDATE indicators SET method = 'attendees', parameter = 'training' "
               "WHERE method = 'people_trained'")
    _method_check(NEW_METHODS, OLD_METHODS)
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_programs_trained_min_hours'), 'programs', type_='check')
    # SQLite drops a column in place with its own CHECK (migration 0009 says why)
    op.drop_column('programs', 'trained_min_hours')
    op.drop_column('programs', 'trained_activity_types')

    op.drop_index('ix_attendances_person_id_activity_id', table_name='attendances')
    op.drop_table('attendances')
    op.drop_index('ix_person_organizations_organization_id', table_name='person_organizations')
    op.drop_table('person_organizations')
    op.drop_index('ix_people_incubator_id_name_search', table_name='people')
    op.drop_table('people')
