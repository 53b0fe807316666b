"""civic-dialogue register: documents monitored, by whom since when, and opinions with their
authors, outcome, review status and evidence; the three civic-dialogue indicators counted
from it

What was recorded before the register moves into it, so that no figure changes:

- every live `opinion_submitted` milestone becomes an approved opinion of its organisation
  (one opinion per milestone, as each counted), at its incubator, on its day, with the
  milestone's description as the summary and no channel (none was recorded). Its document is
  the TAP number in the milestone's reference when that is one (milestones with the same
  number share it), else a document of its own (`MS-<milestone id>`). These documents are
  not monitored by anyone: documents monitored stay what was typed in;
- every "documents monitored" value typed in by hand (indicator_entries of DOCS_MONITORED)
  becomes that many documents (`DM-<entry id>-<n>`, rounded to a whole number), monitored by
  the entry's incubator (or the programme, when it had none) from the entry's date;
- DOCS_MONITORED, OPINIONS_SUBMITTED and ORGS_WITH_OPINIONS are counted from the register.

The downgrade puts opinions back as one milestone per author and monitored documents back as
one entry per incubator and day (documents monitored by several incubators then count once
for each). Offline (`--sql`) only the schema is written: moving rows needs a connection.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.search import search_key

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_METHODS = ('organizations_supported', 'activities', 'attendees', 'capacity_gain',
               'milestones', 'milestone_organizations', 'manual', 'people_trained')
NEW_METHODS = (*OLD_METHODS, 'documents_monitored', 'opinions', 'opinion_organizations')
# code -> (method before, parameter before, method after)
MOVED = {
    'DOCS_MONITORED': ('manual', None, 'documents_monitored'),
    'OPINIONS_SUBMITTED': ('milestones', 'opinion_submitted', 'opinions'),
    'ORGS_WITH_OPINIONS': ('milestone_organizations', 'opinion_submitted',
                           'opinion_organizations'),
}
TAP_NUMBER = re.compile(r'^\d{2}-TA-\d{1,6}$')
MOST_DOCUMENTS = 1_000_000  # a typed-in figure beyond this is a typo, not documents

documents = sa.table('documents', *(sa.column(c) for c in (
    'id', 'ref', 'title', 'institution', 'kind', 'level', 'note', 'search', 'created_by_id',
    'version',
    'created_at', 'updated_at', 'deleted_at')))
monitoring = sa.table('document_monitoring', *(sa.column(c) for c in (
    'document_id', 'incubator_id', 'incubator_key', 'monitored_from')))
opinions = sa.table('opinions', *(sa.column(c) for c in (
    'id', 'incubator_id', 'document_id', 'external_ref', 'submitted_on', 'channel', 'summary',
    'outcome', 'status', 'submitted_at', 'author_id', 'version', 'created_at', 'updated_at',
    'deleted_at')))
authors = sa.table('opinion_authors', sa.column('opinion_id'), sa.column('organization_id'))
milestones = sa.table('milestones', *(sa.column(c) for c in (
    'id', 'organization_id', 'incubator_id', 'kind', 'achieved_on', 'reference', 'description',
    'recorded_by_id', 'version', 'created_at', 'updated_at', 'deleted_at')))
entries = sa.table('indicator_entries', *(sa.column(c) for c in (
    'id', 'indicator_id', 'incubator_id', 'entry_date', 'value', 'note', 'recorded_by_id',
    'version', 'created_at', 'updated_at')))
indicators = sa.table('indicators', sa.column('id'), sa.column('code'), sa.column('method'),
                      sa.column('parameter'))


def _as_or(values: Sequence[str]) -> str:
    return " OR ".join(f"method = {v!r}" for v in values)


def _method_check(old: Sequence[str], new: Sequence[str]) -> None:
    """indicators.method may be the new methods: in place on SQLite (as migration 0010)."""
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


def _indicator_ids(bind: sa.Connection, code: str, method: str) -> list[int]:
    return [int(i) for i in bind.scalars(sa.select(indicators.c.id).where(
        indicators.c.code == code, indicators.c.method == method))]


def _document(row_id: int, ref: str, title: str, note: str | None, user: int | None,
              stamp: Any) -> dict[str, Any]:
    return {'id': row_id, 'ref': ref, 'title': title[:500], 'institution': None,
            'search': search_key(f'{ref} {title[:500]}')[:900],
            'kind': 'other', 'level': 'national', 'note': note, 'created_by_id': user,
            'version': 1, 'created_at': stamp, 'updated_at': stamp, 'deleted_at': None}


def _insert(bind: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        bind.execute(table.insert(), rows[start:start + 5000])


def _documents_from_entries(bind: sa.Connection, stamp: dt.datetime) -> int:
    """Each typed-in figure of documents monitored becomes that many documents."""
    ids = _indicator_ids(bind, 'DOCS_MONITORED', 'manual')
    if not ids:
        return 0
    rows = bind.execute(sa.select(entries.c.id, entries.c.incubator_id, entries.c.entry_date,
                                  entries.c.value, entries.c.note, entries.c.recorded_by_id)
                        .where(entries.c.indicator_id.in_(ids)).order_by(entries.c.id)).all()
    counts = [int(Decimal(str(r.value)).quantize(Decimal(1), ROUND_HALF_UP)) for r in rows]
    if sum(counts) > MOST_DOCUMENTS:
        raise RuntimeError(f"documents monitored typed in add up to {sum(counts)}: more than "
                           f"{MOST_DOCUMENTS} documents; correct the figures and migrate again")
    docs: list[dict[str, Any]] = []
    watched: list[dict[str, Any]] = []
    for row, count in zip(rows, counts, strict=True):
        for n in range(1, count + 1):
            doc_id = len(docs) + 1
            docs.append(_document(
                doc_id, f'DM-{row.id}-{n}',
                f'Uzraudzīts dokuments {n}/{count}, ievadīts skaitā {row.entry_date} '
                f'(monitored document {n} of {count}, entered as a number)',
                row.note, row.recorded_by_id, stamp))
            watched.append({'document_id': doc_id, 'incubator_id': row.incubator_id,
                            'incubator_key': row.incubator_id or 0,
                            'monitored_from': row.entry_date})
    _insert(bind, documents, docs)
    _insert(bind, monitoring, watched)
    bind.execute(entries.delete().where(entries.c.indicator_id.in_(ids)))
    return len(docs)


def _opinions_from_milestones(bind: sa.Connection, first_id: int, stamp: dt.datetime) -> int:
    """Each live opinion_submitted milestone becomes an approved opinion of its organisation."""
    rows = bind.execute(sa.select(milestones).where(
        milestones.c.kind == 'opinion_submitted', milestones.c.deleted_at.is_(None))
        .order_by(milestones.c.id)).all()
    docs: list[dict[str, Any]] = []
    by_ref: dict[str, int] = {}
    said: list[dict[str, Any]] = []
    signed: list[dict[str, Any]] = []
    for row in rows:
        reference = (row.reference or '').strip().upper()
        if TAP_NUMBER.match(reference) and reference in by_ref:
            doc_id = by_ref[reference]
        else:
            doc_id = first_id + len(docs)
            if TAP_NUMBER.match(reference):
                by_ref[reference] = doc_id
                ref, title = reference, (f'TAP {reference} (nosaukums nav ierakstīts; '
                                         'title not recorded)')
            else:
                ref = f'MS-{row.id}'
                title = (row.reference or '').strip() or \
                    'Dokuments nav ierakstīts (document not recorded)'
            docs.append(_document(doc_id, ref, title, None, row.recorded_by_id, stamp))
        summary = (row.description or '').strip() or (row.reference or '').strip()
        if len(summary) < 3:  # the forms' minimum: an export of it imports again
            summary = 'Kopsavilkums nav ierakstīts (summary not recorded)'
        said.append({'id': row.id, 'incubator_id': row.incubator_id, 'document_id': doc_id,
                     'external_ref': f'MS-{row.id}', 'submitted_on': row.achieved_on,
                     'channel': None, 'summary': summary, 'outcome': 'pending',
                     'status': 'approved', 'submitted_at': row.created_at,
                     'author_id': row.recorded_by_id, 'version': 1,
                     'created_at': row.created_at, 'updated_at': stamp, 'deleted_at': None})
        signed.append({'opinion_id': row.id, 'organization_id': row.organization_id})
    _insert(bind, documents, docs)
    _insert(bind, opinions, said)
    _insert(bind, authors, signed)
    bind.execute(milestones.delete().where(milestones.c.id.in_([r.id for r in rows])))
    return len(docs)


def _restart_sequences(bind: sa.Connection) -> None:
    """PostgreSQL: the ids written here are taken; the next insert numbers after them."""
    if bind.dialect.name != 'postgresql':
        return
    for table in ('documents', 'document_monitoring', 'opinions'):
        bind.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def _move_into_register() -> None:
    bind = op.get_bind()
    stamp = dt.datetime.now(dt.UTC)
    made = _documents_from_entries(bind, stamp)
    _opinions_from_milestones(bind, made + 1, stamp)
    _restart_sequences(bind)


def _methods(after: bool) -> None:
    """The three indicators counted from the register (or, going down, as before); written
    as literal SQL from this file's constants, so that the offline script has it too."""
    for code, (old, parameter, new) in MOVED.items():
        was, becomes = (old, new) if after else (new, old)
        value = "NULL" if after or parameter is None else f"'{parameter}'"
        op.execute(f"UPDATE indicators SET method = '{becomes}', parameter = {value} "  # noqa: S608
                   f"WHERE code = '{code}' AND method = '{was}'")


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('institution', sa.String(length=300), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('adopted_on', sa.Date(), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('topics', sa.String(length=500), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('search', sa.String(length=900), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'law' OR kind = 'cabinet_regulation' OR kind = 'policy_document' OR kind = 'municipal_binding_regulation' OR kind = 'eu_act' OR kind = 'other'", name=op.f('ck_documents_kind')),
    sa.CheckConstraint("level = 'national' OR level = 'municipal' OR level = 'eu'", name=op.f('ck_documents_level')),
    sa.CheckConstraint("url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'", name=op.f('ck_documents_url')),
    sa.CheckConstraint('adopted_on IS NULL OR published_on IS NULL OR adopted_on >= published_on', name=op.f('ck_documents_adopted_order')),
    sa.CheckConstraint('deadline IS NULL OR published_on IS NULL OR deadline >= published_on', name=op.f('ck_documents_deadline_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_documents_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('ref', name=op.f('uq_documents_ref'))
    )
    op.create_index('ix_documents_deadline', 'documents', ['deadline'], unique=False)
    op.create_index('ix_documents_institution', 'documents', ['institution'], unique=False)

    op.create_table('document_monitoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('incubator_key', sa.Integer(), nullable=False),
    sa.Column('monitored_from', sa.Date(), nullable=False),
    sa.CheckConstraint('incubator_key = COALESCE(incubator_id, 0)', name=op.f('ck_document_monitoring_incubator_key')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_monitoring_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_document_monitoring_incubator_id_incubators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_monitoring')),
    sa.UniqueConstraint('document_id', 'incubator_key', name=op.f('uq_document_monitoring_document_id_incubator_key'))
    )
    op.create_index('ix_document_monitoring_incubator_key_monitored_from', 'document_monitoring', ['incubator_key', 'monitored_from'], unique=False)
    op.create_index('ix_document_monitoring_monitored_from', 'document_monitoring', ['monitored_from'], unique=False)

    op.create_table('opinions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(answered_on IS NOT NULL) = (outcome = 'taken_into_account' OR outcome = 'partly_taken_into_account' OR outcome = 'not_taken_into_account')", name=op.f('ck_opinions_answer_date')),
    sa.CheckConstraint("channel IS NULL OR channel = 'tap_portal' OR channel = 'letter' OR channel = 'consultation_meeting' OR channel = 'working_group'", name=op.f('ck_opinions_channel')),
    sa.CheckConstraint("outcome = 'pending' OR outcome = 'taken_into_account' OR outcome = 'partly_taken_into_account' OR outcome = 'not_taken_into_account' OR outcome = 'no_answer'", name=op.f('ck_opinions_outcome')),
    sa.CheckConstraint("status = 'draft' OR status = 'submitted' OR status = 'approved' OR status = 'returned'", name=op.f('ck_opinions_status')),
    sa.CheckConstraint('answered_on IS NULL OR answered_on >= submitted_on', name=op.f('ck_opinions_answer_order')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_opinions_author_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_opinions_document_id_documents')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_opinions_incubator_id_incubators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opinions')),
    sa.UniqueConstraint('incubator_id', 'external_ref', name=op.f('uq_opinions_incubator_id_external_ref'))
    )
    op.create_index(op.f('ix_opinions_author_id'), 'opinions', ['author_id'], unique=False)
    op.create_index(op.f('ix_opinions_document_id'), 'opinions', ['document_id'], unique=False)
    op.create_index('ix_opinions_incubator_id_submitted_on', 'opinions', ['incubator_id', 'submitted_on'], unique=False)
    op.create_index('ix_opinions_submitted_on', 'opinions', ['submitted_on'], unique=False)

    op.create_table('opinion_authors',
    sa.Column('opinion_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opinion_id'], ['opinions.id'], name=op.f('fk_opinion_authors_opinion_id_opinions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_opinion_authors_organization_id_organizations')),
    sa.PrimaryKeyConstraint('opinion_id', 'organization_id', name=op.f('pk_opinion_authors'))
    )
    op.create_index('ix_opinion_authors_organization_id', 'opinion_authors', ['organization_id'], unique=False)

    op.create_table('opinion_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opinion_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type = 'application/pdf' OR content_type = 'image/jpeg' OR content_type = 'image/png'", name=op.f('ck_opinion_evidence_content_type')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_opinion_evidence_sha256')),
    sa.CheckConstraint('size_bytes > 0 AND size_bytes <= 10485760', name=op.f('ck_opinion_evidence_size')),
    sa.ForeignKeyConstraint(['opinion_id'], ['opinions.id'], name=op.f('fk_opinion_evidence_opinion_id_opinions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_opinion_evidence_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opinion_evidence')),
    sa.UniqueConstraint('opinion_id', name=op.f('uq_opinion_evidence_opinion_id'))
    )
    op.create_index(op.f('ix_opinion_evidence_sha256'), 'opinion_evidence', ['sha256'], unique=False)

    _method_check(OLD_METHODS, NEW_METHODS)
    if not op.get_context().as_sql:
        _move_into_register()
    _methods(after=True)


def _back_out_of_register() -> None:
    """Opinions back to one milestone per author; monitored documents back to one typed-in
    entry per incubator and day."""
    bind = op.get_bind()
    stamp = dt.datetime.now(dt.UTC)
    first = int(bind.scalar(sa.select(sa.func.coalesce(sa.func.max(milestones.c.id), 0))) or 0)
    rows = bind.execute(
        sa.select(opinions.c.incubator_id, opinions.c.submitted_on, opinions.c.summary,
                  opinions.c.author_id, opinions.c.created_at, authors.c.organization_id,
                  documents.c.ref)
        .join(authors, authors.c.opinion_id == opinions.c.id)
        .join(documents, documents.c.id == opinions.c.document_id)
        .where(opinions.c.deleted_at.is_(None)).order_by(opinions.c.id)).all()
    _insert(bind, milestones, [
        {'id': first + n, 'organization_id': r.organization_id, 'incubator_id': r.incubator_id,
         'kind': 'opinion_submitted', 'achieved_on': r.submitted_on, 'reference': r.ref[:200],
         'description': r.summary, 'recorded_by_id': r.author_id, 'version': 1,
         'created_at': r.created_at, 'updated_at': stamp, 'deleted_at': None}
        for n, r in enumerate(rows, start=1)])
    docs = _indicator_ids(bind, 'DOCS_MONITORED', 'documents_monitored')
    if docs:
        first = int(bind.scalar(sa.select(sa.func.coalesce(sa.func.max(entries.c.id), 0))) or 0)
        counted = bind.execute(
            sa.select(monitoring.c.incubator_id, monitoring.c.monitored_from, sa.func.count())
            .join(documents, documents.c.id == monitoring.c.document_id)
            .where(documents.c.deleted_at.is_(None))
            .group_by(monitoring.c.incubator_id, monitoring.c.monitored_from)
            .order_by(monitoring.c.monitored_from, monitoring.c.incubator_id)).all()
        _insert(bind, entries, [
            {'id': first + n, 'indicator_id': docs[0], 'incubator_id': r[0],
             'entry_date': r[1], 'value': r[2], 'note': None, 'recorded_by_id': None,
             'version': 1, 'created_at': stamp, 'updated_at': stamp}
            for n, r in enumerate(counted, start=1)])
    if bind.dialect.name == 'postgresql':
        for table in ('milestones', 'indicator_entries'):
            bind.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def downgrade() -> None:
    if not op.get_context().as_sql:
        _back_out_of_register()
    _methods(after=False)
    _method_check(NEW_METHODS, OLD_METHODS)
    op.drop_index(op.f('ix_opinion_evidence_sha256'), table_name='opinion_evidence')

    op.drop_table('opinion_evidence')
    op.drop_index('ix_opinion_authors_organization_id', table_name='opinion_authors')

    op.drop_table('opinion_authors')
    op.drop_index('ix_opinions_submitted_on', table_name='opinions')
    op.drop_index('ix_opinions_incubator_id_submitted_on', table_name='opinions')
    op.drop_index(op.f('ix_opinions_document_id'), table_name='opinions')
    op.drop_index(op.f('ix_opinions_author_id'), table_name='opinions')

    op.drop_table('opinions')
    op.drop_index('ix_document_monitoring_monitored_from', table_name='document_monitoring')
    op.drop_index('ix_document_monitoring_incubator_key_monitored_from', table_name='document_monitoring')

    op.drop_table('document_monitoring')
    op.drop_index('ix_documents_institution', table_name='documents')
    op.drop_index('ix_documents_deadline', table_name='documents')

    op.drop_table('documents')
