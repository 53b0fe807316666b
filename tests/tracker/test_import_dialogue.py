"""`import documents|opinions` and their exports (the civic-dialogue register): templates in
both languages, dry runs, a bad row named by row and column with nothing written, idempotent
re-imports, one row per monitoring incubator, staff scope, closed quarters and the review's
statuses, joint opinions, Latvian headings and labels, and export -> import round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, Role
from db.models import (
    AuditLog,
    Document,
    DocumentMonitoring,
    Opinion,
    OpinionAuthor,
    PeriodClosure,
)
from tests import dialogue_factories as d
from tests import factories as f
from tests.cli import database_with
from tests.cli import run as cli
from tests.tracker.test_imports import csv_file
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.exports import to_xlsx
from tracker.i18n import label
from tracker.imports import service, workbook
from tracker.imports.files import read_upload
from tracker.imports.report import ImportReport
from tracker.services import documents

ADMIN = Actor.system()
DOC_HEADER = ["ref", "title", "institution", "kind", "level", "published_on", "deadline",
              "adopted_on", "url", "topics", "incubator", "monitored_from"]
OP_HEADER = ["ref", "incubator", "document_ref", "reg_nos", "submitted_on", "channel",
             "summary", "outcome", "answered_on", "status"]
TABLES = (Document, DocumentMonitoring, Opinion, OpinionAuthor, AuditLog)


def doc_row(**cells: str) -> list[str]:
    values = {"ref": "25-TA-101", "title": "Grozījumi Biedrību likumā",
              "institution": "Tieslietu ministrija", "kind": "law", "level": "national",
              "published_on": "2025-02-20", "deadline": "2025-03-14", "adopted_on": "",
              "url": "https://tapportals.mk.gov.lv/", "topics": "NVO; brīvprātīgie",
              "incubator": "VIDZEME", "monitored_from": "2025-03-03"} | cells
    return [values[c] for c in DOC_HEADER]


def op_row(**cells: str) -> list[str]:
    values = {"ref": "V-1", "incubator": "VIDZEME", "document_ref": "25-TA-101",
              "reg_nos": "", "submitted_on": "2025-05-10", "channel": "tap_portal",
              "summary": "Iesakām pārejas periodu", "outcome": "pending", "answered_on": "",
              "status": "submitted"} | cells
    return [values[c] for c in OP_HEADER]


def docs_file(*rows: list[str]) -> bytes:
    return csv_file([DOC_HEADER, *rows])


def ops_file(*rows: list[str]) -> bytes:
    return csv_file([OP_HEADER, *rows])


def run(session: Session, kind: str, data: bytes, *, actor: Actor = ADMIN,
        **kwargs: Any) -> ImportReport:
    kwargs.setdefault("dry_run", False)
    return service.run_import(session, actor=actor, kind=kind, data=data,
                              filename=kwargs.pop("filename", "file.csv"), **kwargs)


def where(report: ImportReport) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in report.problems]


def counts(session: Session) -> dict[str, int]:
    return {t.__tablename__: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in TABLES}


def watchers(session: Session, ref: str) -> dict[str | None, dt.date]:
    """Who monitors the document since when (incubator code, None: the programme)."""
    from db.models import Incubator

    return {code: day for code, day in session.execute(
        select(Incubator.code, DocumentMonitoring.monitored_from)
        .join(Document, Document.id == DocumentMonitoring.document_id)
        .outerjoin(Incubator, Incubator.id == DocumentMonitoring.incubator_id)
        .where(Document.ref == ref)).all()}


def close(session: Session, incubator: str, year: int, quarter: int) -> None:
    session.add(PeriodClosure(incubator_id=f.incubator_id(session, incubator), year=year,
                              quarter=quarter, closed_at=dt.datetime.now(dt.UTC)))
    session.flush()


def authors_of(session: Session, ref: str) -> list[int]:
    return list(session.scalars(select(OpinionAuthor.organization_id).join(
        Opinion, Opinion.id == OpinionAuthor.opinion_id).where(Opinion.external_ref == ref)
        .order_by(OpinionAuthor.organization_id)))


# Templates ----------------------------------------------------------------------------------

def test_templates_in_both_languages_import_as_they_are(session: Session) -> None:
    f.organization(session, reg_no="40008000009")  # the example author
    for fmt, lang in (("csv", "lv"), ("xlsx", "en")):
        for kind in ("documents", "opinions"):
            data = service.template(kind, fmt, lang)
            report = run(session, kind, data, filename=f"t.{fmt}")
            assert report.problems == (), [p.message("en") for p in report.problems]
            assert (report.created, report.unchanged) == ((1, 0) if lang == "lv" else (0, 1))
    lv = service.template("opinions", "csv", "lv").decode("utf-8-sig")
    assert lv.startswith("Atsauce,Inkubators,Dokumenta atsauce,Autoru reģistrācijas numuri,")
    assert watchers(session, "24-TA-1427") == {"VIDZEME": dt.date(2025, 3, 3)}
    assert len(authors_of(session, "VID-V-2025-001")) == 1
    assert [c.name for c in service.columns("documents")] == DOC_HEADER
    assert [c.name for c in service.columns("opinions")] == OP_HEADER
    assert all(c.help_lv and c.help_en for k in ("documents", "opinions")
               for c in service.columns(k))


# Dry run, idempotence, updates ---------------------------------------------------------------

def test_documents_dry_run_import_and_again_then_a_change(session: Session) -> None:
    data = docs_file(doc_row(), doc_row(incubator="LATGALE", monitored_from="2025-04-01"),
                     doc_row(ref="RIGA-SN-7", kind="pašvaldības saistošie noteikumi",
                             level="municipal", url="", topics="", incubator="",
                             monitored_from="2025-02-01"))
    before = counts(session)

    dry = run(session, "documents", data, dry_run=True)
    assert (dry.problems, dry.created, dry.written) == ((), 3, False)
    assert counts(session) == before  # the check writes nothing, not even the audit row

    done = run(session, "documents", data)
    assert (done.created, done.updated, done.unchanged, done.written) == (3, 0, 0, True)
    assert watchers(session, "25-TA-101") == {"VIDZEME": dt.date(2025, 3, 3),
                                              "LATGALE": dt.date(2025, 4, 1)}
    assert watchers(session, "RIGA-SN-7") == {None: dt.date(2025, 2, 1)}  # the programme
    stored = session.scalars(select(Document).where(Document.ref == "25-TA-101")).one()
    assert (stored.topics, stored.created_by_id, stored.version) == ("NVO; brīvprātīgie",
                                                                    None, 1)
    assert counts(session)["audit_log"] == before["audit_log"] + 1  # one summary row

    again = run(session, "documents", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    title = "Grozījumi Biedrību un nodibinājumu likumā"
    changed = run(session, "documents", docs_file(
        doc_row(title=title), doc_row(title=title, incubator="LATGALE",
                                      monitored_from="2025-04-15")))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 0)
    session.expire_all()
    stored = session.scalars(select(Document).where(Document.ref == "25-TA-101")).one()
    assert stored.title == "Grozījumi Biedrību un nodibinājumu likumā"
    assert stored.version == 2  # one bump for the facts and the monitoring together
    assert watchers(session, "25-TA-101")["LATGALE"] == dt.date(2025, 4, 15)
    found = documents.list_documents(session, actor=ADMIN, search="nodibinājumu")
    assert [x.ref for x in found] == ["25-TA-101"]  # the search key follows the title


def test_a_blank_monitoring_day_keeps_the_stored_one_and_starts_new_ones_today(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "today", lambda: dt.date(2026, 6, 1))
    d.document(session, ref="25-TA-7", title="Grozījumi Biedrību likumā",
               institution="Tieslietu ministrija", incubators={"VIDZEME": dt.date(2025, 3, 3)})
    same = doc_row(ref="25-TA-7", published_on="", deadline="", url="", topics="",
                   monitored_from="")
    report = run(session, "documents", docs_file(same, [*same[:-2], "KURZEME", ""]))
    assert (report.created, report.unchanged) == (1, 1), where(report)
    assert watchers(session, "25-TA-7") == {"VIDZEME": dt.date(2025, 3, 3),
                                            "KURZEME": dt.date(2026, 6, 1)}
    # a manager's row naming neither incubator nor day: the document's facts alone
    facts = run(session, "documents", docs_file(doc_row(ref="OWN-1", incubator="",
                                                        monitored_from="")),
                actor=f.actor(session, Role.MANAGER))
    assert facts.created == 1 and watchers(session, "OWN-1") == {}


# Bad rows -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"ref": "24-TA-14x"}, "ref", "tap_number_format"),
    ({"ref": "2024-ta-1427"}, "ref", "tap_number_format"),
    ({"url": "javascript:alert(1)"}, "url", "url_scheme"),
    ({"url": "ftp://example.lv/x"}, "url", "url_scheme"),
    ({"deadline": "2025-01-01"}, "deadline", "before_published"),
    ({"kind": "regulation"}, "kind", None),
    ({"title": ""}, "title", "required"),
    ({"institution": ""}, "institution", "required"),
    ({"incubator": "RIGA"}, "incubator", "unknown_incubator"),
    ({"monitored_from": "2024-12-01"}, "monitored_from", "date_outside_programme"),
])
def test_a_bad_document_row_is_named_and_nothing_is_written(
        session: Session, cells: dict[str, str], column: str, code: str | None) -> None:
    before = counts(session)
    report = run(session, "documents", docs_file(doc_row(ref="OK-1"), doc_row(**cells)),
                 actor=f.actor(session, Role.MANAGER))
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    if code is not None:
        assert report.problems[0].code == code
    assert report.problems[0].message("lv") and report.problems[0].message("en")
    assert not report.written and counts(session) == before


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"outcome": "taken_into_account", "answered_on": "2025-05-01"}, "answered_on",
     "answer_before_opinion"),
    ({"outcome": "partly_taken_into_account"}, "answered_on", "answer_date_required"),
    ({"outcome": "pending", "answered_on": "2025-06-01"}, "answered_on",
     "answer_date_not_expected"),
    ({"document_ref": "25-TA-999"}, "document_ref", "unknown_document"),
    ({"document_ref": "25-ta-x"}, "document_ref", "tap_number_format"),
    ({"reg_nos": "40008000009"}, "reg_nos", "import_unknown_authors"),
    ({"reg_nos": "40008000008"}, "reg_nos", None),  # a wrong check digit
    ({"channel": "fax"}, "channel", None),
    ({"channel": ""}, "channel", "required"),
    ({"submitted_on": "2027-01-05"}, "submitted_on", None),
    ({"summary": "ok"}, "summary", "too_short"),
    ({"incubator": "RIGA"}, "incubator", "unknown_incubator"),
])
def test_a_bad_opinion_row_is_named_and_nothing_is_written(
        session: Session, cells: dict[str, str], column: str, code: str | None) -> None:
    a = f.organization(session)
    d.document(session, ref="25-TA-101")
    cells = {"reg_nos": a.reg_no} | cells
    before = counts(session)
    report = run(session, "opinions", ops_file(op_row(ref="OK", reg_nos=a.reg_no),
                                               op_row(**cells)),
                 actor=f.actor(session, Role.MANAGER))
    assert [(p.row, p.column) for p in report.problems] == [(3, column)], where(report)
    if code is not None:
        assert report.problems[0].code == code
    assert report.problems[0].message("lv") and report.problems[0].message("en")
    assert not report.written and counts(session) == before


def test_rows_of_one_document_agree_and_a_row_twice_is_refused(session: Session) -> None:
    report = run(session, "documents", docs_file(
        doc_row(), doc_row(incubator="LATGALE", title="Cits nosaukums"), doc_row()))
    assert where(report) == [(3, "title", "import_document_differs"),
                             (4, None, "import_duplicate_row")]
    assert "row 2" in report.problems[0].message("en")
    assert counts(session)["documents"] == 0


def test_a_deleted_document_or_opinion_is_not_brought_back(session: Session) -> None:
    a = f.organization(session)
    gone = d.document(session, ref="25-TA-5", deleted_at=dt.datetime.now(dt.UTC))
    live = d.document(session, ref="25-TA-6")
    d.opinion(session, live, [a], external_ref="V-9", deleted_at=dt.datetime.now(dt.UTC))
    assert where(run(session, "documents", docs_file(doc_row(ref=gone.ref)))) == [
        (2, "ref", "import_deleted")]
    ops = run(session, "opinions", ops_file(op_row(ref="V-9", document_ref="25-TA-6",
                                                   reg_nos=a.reg_no),
                                            op_row(ref="V-10", document_ref="25-TA-5",
                                                   reg_nos=a.reg_no)))
    assert where(ops) == [(2, "ref", "import_deleted"), (3, "document_ref", "unknown_document")]


# Opinions: joint ones, idempotence, answers ---------------------------------------------------

def test_a_joint_opinion_has_each_author_once_and_reimports_unchanged(session: Session) -> None:
    a, b = f.organization(session), f.organization(session)
    d.document(session, ref="25-TA-101")
    joint = op_row(reg_nos=f"{b.reg_no}; {a.reg_no}")
    report = run(session, "opinions", ops_file(joint, op_row(ref="V-2", reg_nos=a.reg_no)))
    assert (report.created, report.problems) == (2, ())
    assert authors_of(session, "V-1") == sorted([a.id, b.id])
    exported = service.export_records(session, actor=ADMIN, kind="opinions")
    assert exported.rows[0][3] == "; ".join(sorted([a.reg_no, b.reg_no]))
    assert run(session, "opinions", ops_file(joint)).unchanged == 1

    alone = run(session, "opinions", ops_file(op_row(reg_nos=a.reg_no)))
    assert alone.updated == 1
    assert authors_of(session, "V-1") == [a.id]
    twice = run(session, "opinions", ops_file(op_row(reg_nos=f"{a.reg_no};{a.reg_no}")))
    assert where(twice) == [(2, "reg_nos", "duplicate_organization")]


def test_opinions_follow_the_review_and_closed_quarters(session: Session) -> None:
    a = f.organization(session)
    doc = d.document(session, ref="25-TA-101")
    manager = f.actor(session, Role.MANAGER)
    approved = d.opinion(session, doc, [a], external_ref="A-1", status="approved",
                         submitted_on=dt.date(2025, 5, 10), channel="letter",
                         summary="Iesakām pārejas periodu")
    row = {"ref": "A-1", "reg_nos": a.reg_no, "channel": "letter", "status": "approved"}

    # only an administrator loads approved opinions
    assert where(run(session, "opinions", ops_file(op_row(ref="N", reg_nos=a.reg_no,
                                                          status="approved")),
                     actor=manager)) == [(2, "status", "import_opinion_status_not_allowed")]
    assert run(session, "opinions", ops_file(op_row(ref="N", reg_nos=a.reg_no,
                                                    status="approved"))).created == 1
    # an approved opinion does not change ...
    changed = run(session, "opinions", ops_file(op_row(**row, summary="Cits teksts")),
                  actor=manager)
    assert where(changed) == [(2, "ref", "not_allowed.approved")]
    # ... but its answer is recorded, as record_answer does
    answer = op_row(**row, outcome="taken_into_account", answered_on="2025-08-01")
    answered = run(session, "opinions", ops_file(answer), actor=manager)
    assert (answered.updated, answered.problems) == (1, ())
    session.refresh(approved)
    assert (approved.outcome, approved.answered_on, approved.version) == (
        "taken_into_account", dt.date(2025, 8, 1), 2)

    # nothing new in a closed quarter, and no answer dated in one
    close(session, "VIDZEME", 2025, 1)
    close(session, "VIDZEME", 2025, 4)
    early = run(session, "opinions", ops_file(op_row(ref="Q", reg_nos=a.reg_no,
                                                     submitted_on="2025-02-10")), actor=manager)
    assert where(early) == [(2, "submitted_on", "not_allowed.quarter_closed")]
    assert "2025 Q1" in early.problems[0].message("en")
    late = run(session, "opinions", ops_file(op_row(**row, outcome="not_taken_into_account",
                                                    answered_on="2025-11-03")), actor=manager)
    assert where(late) == [(2, "answered_on", "not_allowed.quarter_closed")]
    # the programme's own opinions (no incubator) have no quarters to close
    own = run(session, "opinions", ops_file(op_row(ref="P", incubator="", reg_nos=a.reg_no,
                                                   submitted_on="2025-02-10")), actor=manager)
    assert (own.created, own.problems) == (1, ())
    assert session.scalars(select(Opinion.incubator_id).where(
        Opinion.external_ref == "P")).one() is None


def test_blank_status_is_submitted_or_a_draft_when_asked(session: Session) -> None:
    a = f.organization(session)
    d.document(session, ref="25-TA-101")
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    report = run(session, "opinions", ops_file(op_row(reg_nos=a.reg_no, status="",
                                                      incubator="")),
                 actor=staff, as_drafts=True)
    assert report.created == 1, where(report)
    stored = session.scalars(select(Opinion).where(Opinion.external_ref == "V-1")).one()
    assert (stored.status, stored.author_id, stored.submitted_at) == (
        "draft", staff.user_id, None)
    assert stored.incubator_id == f.incubator_id(session, "VIDZEME")  # blank: their own


# Staff --------------------------------------------------------------------------------------

def test_staff_import_and_export_their_own_incubator(session: Session) -> None:
    a = f.organization(session)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    theirs = d.document(session, ref="25-TA-300", title="Grozījumi Biedrību likumā",
                        institution="Tieslietu ministrija", incubators=["LATGALE"])
    d.opinion(session, theirs, [a], incubator_id="LATGALE", external_ref="L-1")

    other = run(session, "documents", docs_file(doc_row(incubator="LATGALE")), actor=staff)
    assert where(other) == [(2, "incubator", "import_other_incubator")]
    # a document another incubator added: staff add their monitoring, not other facts
    facts = doc_row(ref="25-TA-300", published_on="", deadline="", url="", topics="",
                    incubator="")
    renamed = run(session, "documents", docs_file([*facts[:1], "Cits", *facts[2:]]),
                  actor=staff)
    assert where(renamed) == [(2, "title", "import_document_not_yours")]
    joined = run(session, "documents", docs_file(facts, doc_row(ref="25-TA-301")),
                 actor=staff)
    assert (joined.created, joined.problems) == (2, ())
    assert set(watchers(session, "25-TA-300")) == {"LATGALE", "VIDZEME"}
    latgale = run(session, "opinions", ops_file(op_row(ref="L-1", incubator="LATGALE",
                                                       document_ref="25-TA-300",
                                                       reg_nos=a.reg_no)), actor=staff)
    assert where(latgale) == [(2, "incubator", "import_other_incubator")]
    mine = run(session, "opinions", ops_file(op_row(document_ref="25-TA-300",
                                                    reg_nos=a.reg_no)), actor=staff)
    assert mine.created == 1
    # a submitted opinion is in review: its author (staff) no longer changes it
    again = run(session, "opinions", ops_file(op_row(document_ref="25-TA-300",
                                                     reg_nos=a.reg_no, summary="Labots")),
                actor=staff)
    assert where(again) == [(2, "ref", "not_allowed.in_review")]

    docs = service.export_records(session, actor=staff, kind="documents")
    assert [(r[0], r[10]) for r in docs.rows] == [("25-TA-300", "VIDZEME"),
                                                  ("25-TA-301", "VIDZEME")]
    ops = service.export_records(session, actor=staff, kind="opinions")
    assert [(r[0], r[1]) for r in ops.rows] == [("V-1", "VIDZEME")]


def test_documents_monitoring_in_a_closed_quarter_is_refused(session: Session) -> None:
    d.document(session, ref="25-TA-400", title="Grozījumi Biedrību likumā",
               institution="Tieslietu ministrija", incubators={"VIDZEME": dt.date(2025, 2, 3)})
    close(session, "VIDZEME", 2025, 1)
    row = doc_row(ref="25-TA-400", published_on="", deadline="", url="", topics="")
    moved = run(session, "documents", docs_file(row))  # from Q1 (closed) to 2025-03-03
    assert where(moved) == [(2, "monitored_from", "not_allowed.quarter_closed")]
    new = run(session, "documents", docs_file(doc_row(monitored_from="2025-01-20")))
    assert where(new) == [(2, "monitored_from", "not_allowed.quarter_closed")]
    kept = run(session, "documents", docs_file([*row[:-1], "2025-02-03"]))
    assert (kept.unchanged, kept.problems) == (1, ())


def test_funders_neither_import_nor_export(session: Session) -> None:
    funder = Actor(None, "funder@x.lv", Role.FUNDER)
    for kind in ("documents", "opinions"):
        with pytest.raises(PermissionDenied):
            service.export_records(session, actor=funder, kind=kind)
        with pytest.raises(PermissionDenied):
            run(session, kind, service.template(kind, "csv", "en"), actor=funder)


# Latvian, exports, round trips --------------------------------------------------------------

def test_latvian_headings_and_labels(session: Session) -> None:
    a = f.organization(session)
    lv_docs = csv_file([
        ["Atsauce", "Nosaukums", "Iestāde", "Veids", "Līmenis", "Publicēšanas datums",
         "Atzinumu termiņš", "Saite", "Tēmas", "Inkubators", "Uzraudzības sākums"],
        ["25-ta-77", "Jaunatnes politikas plāns", "Izglītības un zinātnes ministrija",
         "attīstības plānošanas dokuments", "valsts", "03.02.2025", "03.03.2025",
         "https://tapportals.mk.gov.lv/x", "jaunatne", "latgale", "10.02.2025"]], sep=";")
    report = run(session, "documents", lv_docs)
    assert (report.created, report.problems) == (1, ())
    stored = session.scalars(select(Document).where(Document.ref == "25-TA-77")).one()
    assert (stored.kind, stored.level) == ("policy_document", "national")
    lv_ops = csv_file([
        ["Atsauce", "Inkubators", "Dokumenta atsauce", "Autoru reģistrācijas numuri",
         "Iesniegšanas datums", "Kanāls", "Kopsavilkums", "Iznākums", "Atbildes datums",
         "Statuss"],
        ["L-1", "LATGALE", "25-TA-77", a.reg_no, "20.02.2025", "TAP portālā",
         "Papildināt ar jauniešu centriem", "daļēji ņemts vērā", "15.04.2025",
         label(ActivityStatus.SUBMITTED, "lv")]], sep=";")
    ops = run(session, "opinions", lv_ops)
    assert (ops.created, ops.problems) == (1, ())
    opinion = session.scalars(select(Opinion).where(Opinion.external_ref == "L-1")).one()
    assert (opinion.channel, opinion.outcome, opinion.status) == (
        "tap_portal", "partly_taken_into_account", "submitted")
    table = service.export_records(session, actor=ADMIN, kind="opinions", lang="lv")
    assert table.columns[2] == "Dokumenta atsauce"
    assert table.rows[0][5:8] == ["TAP portālā", "Papildināt ar jauniešu centriem",
                                  "daļēji ņemts vērā"]


def _fill(session: Session) -> None:
    """A register with what is easy to get wrong: two monitoring incubators, the programme
    itself, a document nobody monitors, an opinion without a ref, a joint one, one of the
    programme's own, formula-like text, notes that never leave."""
    a, b = f.organization(session), f.organization(session)
    one = d.document(session, ref="25-TA-500", title="=Grozījumi", institution="-Ministrija",
                     incubators={"VIDZEME": dt.date(2025, 3, 3), "LATGALE": dt.date(2025, 4, 1),
                                 None: dt.date(2025, 2, 2)},
                     published_on=dt.date(2025, 2, 1), topics="@NVO; jaunatne",
                     note="SLEPENA PIEZĪME")
    two = d.document(session, ref="COM(2025) 412", kind="eu_act", level="eu", incubators=[],
                     url="https://eur-lex.europa.eu/x")
    d.opinion(session, one, [a, b], external_ref="V-1", status="approved",
              outcome="taken_into_account", summary="+ papildinājums", note="SLEPENA PIEZĪME")
    d.opinion(session, one, [a], incubator_id="LATGALE", status="draft", channel="letter")
    d.opinion(session, two, [b], incubator_id=None, status="submitted",
              submitted_on=dt.date(2025, 6, 2), outcome="no_answer")
    d.opinion(session, two, [a], status="returned", review_comment="Labot",
              channel="working_group", outcome="not_taken_into_account")


def _export(session: Session, fmt: str, lang: str) -> dict[str, bytes]:
    return {kind: service.export_file(session, actor=ADMIN, kind=kind, fmt=fmt, lang=lang)[0]
            for kind in ("documents", "opinions")}


def _empty_register(session: Session) -> None:
    for model in (OpinionAuthor, Opinion, DocumentMonitoring, Document):
        session.execute(delete(model))
    session.flush()


@pytest.mark.parametrize(("fmt", "lang"), [("csv", "en"), ("xlsx", "lv")])
def test_export_import_export_gives_the_same_files(session: Session, fmt: str,
                                                   lang: str) -> None:
    _fill(session)
    first = _export(session, fmt, lang)
    assert b"SLEPENA" not in first["documents"] + first["opinions"]
    if fmt == "csv":
        docs = first["documents"].decode("utf-8-sig")
        assert "'=Grozījumi" in docs and "'-Ministrija" in docs and "'@NVO; jaunatne" in docs
        assert "COM(2025) 412,Likumprojekts" in docs  # nobody monitors it: no incubator
        assert "#" in first["opinions"].decode("utf-8-sig")  # opinions without a ref
    # the source's own export changes nothing
    for kind, data in first.items():
        again = run(session, kind, data, filename=f"x.{fmt}")
        assert (again.created, again.updated, again.problems) == (0, 0, ()), kind

    _empty_register(session)
    for kind, data in first.items():
        report = run(session, kind, data, filename=f"x.{fmt}")
        assert report.problems == (), [p.message("en") for p in report.problems]
        assert report.created == 4, kind  # a row per monitoring incubator: 3 + 1
    second = _export(session, fmt, lang)
    for kind in first:
        if fmt == "csv":
            assert second[kind] == first[kind]
        else:  # a workbook's bytes carry the time it was written
            assert read_upload(second[kind], "x.xlsx") == read_upload(first[kind], "x.xlsx")


def test_import_all_loads_documents_before_the_opinions_on_them(session: Session) -> None:
    _fill(session)
    tables = [service.export_records(session, actor=ADMIN, kind=k, lang="lv")
              for k in ("opinions", "documents")]  # the sheets' order does not matter
    data = to_xlsx(tables)
    _empty_register(session)
    before = counts(session)
    checked = workbook.run_import_all(session, actor=ADMIN, data=data, filename="w.xlsx",
                                      dry_run=True)
    assert checked.problems == () and not checked.written
    assert counts(session) == before
    report = workbook.run_import_all(session, actor=ADMIN, data=data, filename="w.xlsx",
                                     dry_run=False)
    assert report.problems == () and report.written
    assert [(r.kind, r.created) for r in report.reports] == [("documents", 4), ("opinions", 4)]
    assert service.KINDS.index("documents") > service.KINDS.index("organizations")
    assert service.KINDS.index("opinions") > service.KINDS.index("documents")


def test_a_moved_in_record_keeps_what_the_register_never_had(session: Session) -> None:
    """Migration 0012 moved milestones in without an institution or a channel: the export
    writes them empty, and they import back so (kept, or loaded by an administrator)."""
    a = f.organization(session)
    doc = d.document(session, ref="MS-1", institution=None, kind="other")
    d.opinion(session, doc, [a], external_ref="MS-1", channel=None)
    first = _export(session, "csv", "en")
    assert {k: run(session, k, v).unchanged for k, v in first.items()} == {
        "documents": 1, "opinions": 1}
    manager = f.actor(session, Role.MANAGER)
    session.execute(update(Document).values(institution="Saeima"))
    session.execute(update(Opinion).values(channel="letter"))
    assert where(run(session, "documents", first["documents"], actor=manager)) == [
        (2, "institution", "required")]
    assert where(run(session, "opinions", first["opinions"], actor=manager)) == [
        (2, "channel", "required")]
    _empty_register(session)
    assert [run(session, k, v).created for k, v in first.items()] == [1, 1]


# The command line ---------------------------------------------------------------------------

def test_the_command_line_imports_and_exports_both_kinds(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def build(session: Session) -> None:
        f.organization(session, reg_no="40008000009")

    for _url in database_with(tmp_path, monkeypatch, build):
        docs, ops = tmp_path / "docs.csv", tmp_path / "ops.csv"
        docs.write_bytes(service.template("documents", "csv", "lv"))
        ops.write_bytes(service.template("opinions", "csv", "en"))
        code, out, err = cli(capsys, "import", "opinions", str(ops), "--quiet")
        assert code == 2 and "no such document in the register" in err
        code, out, _err = cli(capsys, "import", "documents", str(docs), "--dry-run", "--quiet")
        assert code == 0 and "1 new" in out and "Dry run" in out
        assert cli(capsys, "import", "documents", str(docs), "--quiet")[0] == 0
        assert cli(capsys, "import", "opinions", str(ops), "--quiet")[0] == 0
        code, out, _err = cli(capsys, "export", "opinions", "-o", "-")
        assert code == 0 and out.startswith("\ufeffref,incubator,document_ref,reg_nos,")
        assert "VID-V-2025-001,VIDZEME,24-TA-1427,40008000009,2025-03-10,tap_portal," in out
        code, out, _err = cli(capsys, "export", "documents", "-o", "-", "--lang", "lv")
        assert code == 0 and out.startswith("\ufeffAtsauce,Nosaukums,Iestāde,")
        assert ",likums,valsts," in out
