"""Import and export: spreadsheets of every kind in, the same columns out.

The flow is upload -> check (a dry run in a read-only session, with a progress bar) -> the
report (counts, and every problem with its row and column) -> confirm. A file with problems
is blocked unless the user ticks "import only the valid rows". After an import the file is
forgotten, so a second click cannot import it twice (and the import is idempotent anyway:
rows already there come back as unchanged). Funders never see this page; the service checks
every permission again (staff import into and export from their own incubator only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.downloads import show_table, table_buttons
from dashboards.components.text import lang, plain, tr
from tracker import exports
from tracker.auth import Actor, Area
from tracker.database import session_scope
from tracker.enums import Role
from tracker.errors import TrackerError
from tracker.exports import Cell, Table
from tracker.i18n import t
from tracker.imports import service, workbook
from tracker.imports.export import writes_audit
from tracker.imports.files import MAX_BYTES
from tracker.imports.report import WorkbookReport
from tracker.imports.service import ImportReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT_MB = MAX_BYTES // (1024 * 1024)
FILE = "im_file"  # the uploaded file (Upload), kept until it is imported or removed
REPORT = "im_report"  # (Upload.token, kind, ImportReport) of the last check
REFUSED = "im_refused"  # (Upload.token, kind, TrackerError): the file could not be read
DONE = "im_done"  # (file name, ImportReport) of the last import, for the success message
ROUND = "im_round"  # a new uploader (empty) after each import
EXPORT = "im_export"  # (kind, lang, Table) prepared on request
NOT_WRITTEN = "im_not_written"  # the import found new problems: nothing was written
ALL = "all"  # every kind in one workbook, a sheet per kind
Report = ImportReport | WorkbookReport


@dataclass(frozen=True)
class Upload:
    """An uploaded file's name and bytes; `token` tells one upload from the next."""

    name: str
    data: bytes
    token: str


def remember_upload(upload: Upload | None) -> Upload | None:
    """Keep the file the uploader holds; a new file (or none) drops the old check."""
    kept: Upload | None = st.session_state.get(FILE)
    if upload is None:
        for name in (FILE, REPORT, REFUSED):
            st.session_state.pop(name, None)
        return None
    if kept is None or kept.token != upload.token:
        st.session_state[FILE] = upload
        for name in (REPORT, REFUSED, DONE, NOT_WRITTEN):
            st.session_state.pop(name, None)
    return upload


def forget_upload() -> None:
    """After an import: the file, its check and the uploader's file all go."""
    for name in (FILE, REPORT, REFUSED):
        st.session_state.pop(name, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _progress_bar(text: str) -> Callable[[float], None]:
    """A progress bar and the callback the service moves it with (in steps of 1 %)."""
    bar = st.progress(0.0, text=text)
    shown = [-1]

    def move(fraction: float) -> None:
        percent = round(min(max(fraction, 0.0), 1.0) * 100)
        if percent != shown[0]:
            shown[0] = percent
            bar.progress(percent / 100, text=f"{text} {percent} %")

    return move


def _run(actor: Actor, kind: str, upload: Upload, *, dry_run: bool,
         valid_only: bool = False, as_drafts: bool = False) -> Report | TrackerError:
    """The service's import (or its dry run); a refused file or any domain error is returned,
    never raised, so the page shows a message instead of a traceback. A workbook's check
    loads its sheets one after another inside a savepoint it then undoes, so it needs a
    writable session (nothing stays)."""
    move = _progress_bar(tr("imports.checking" if dry_run else "imports.importing"))
    try:
        with session_scope(readonly=dry_run and kind != ALL) as session:
            if kind == ALL:
                return workbook.run_import_all(session, actor=actor, data=upload.data,
                                               filename=upload.name, dry_run=dry_run,
                                               valid_only=valid_only, as_drafts=as_drafts,
                                               progress=move)
            return service.run_import(session, actor=actor, kind=kind, data=upload.data,
                                      filename=upload.name, dry_run=dry_run,
                                      valid_only=valid_only, as_drafts=as_drafts,
                                      progress=move)
    except TrackerError as error:
        return error


def kind_name(kind: str) -> str:
    return tr(f"import.kind.{kind}")


def _columns(kind: str) -> None:
    """What the columns of `kind` mean, and the templates to start from.

    The column list has no CSV/Excel buttons of its own: the templates below are its files
    (the Excel template carries each column's meaning as a comment on its heading).
    """
    st.subheader(tr("imports.columns_title"))
    if kind == ALL:
        st.caption(tr("imports.all_note", kinds=", ".join(kind_name(k) for k in service.KINDS)))
        return
    st.caption(tr("imports.columns_note"))
    en = lang() == "en"
    st.dataframe([
        {"name": spec.name, "name_lv": spec.name_lv,
         "required": tr("imports.yes") if spec.required else None,
         "example": spec.example, "meaning": spec.help_en if en else spec.help_lv}
        for spec in service.columns(kind)],
        column_config={"name": tr("imports.col.name_en"), "name_lv": tr("imports.col.name_lv"),
                       "required": tr("imports.col.required"),
                       "example": tr("imports.col.example"),
                       "meaning": st.column_config.TextColumn(tr("imports.col.meaning"),
                                                              width="large")},
        hide_index=True, placeholder="", key=f"im_columns_{kind}")
    name = exports.slug(tr("imports.template_name", kind=kind_name(kind)))
    language = lang()
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(tr("imports.template_csv"),
                         data=lambda: service.template(kind, "csv", language),
                         file_name=f"{name}.csv", mime="text/csv",
                         icon=":material/download:", key=f"im_template_csv_{kind}",
                         on_click="ignore")
    right.download_button(tr("imports.template_xlsx"),
                          data=lambda: service.template(kind, "xlsx", language),
                          file_name=f"{name}.xlsx", mime=XLSX, icon=":material/table_view:",
                          key=f"im_template_xlsx_{kind}", on_click="ignore")


def _sheets(report: WorkbookReport) -> None:
    """A workbook's counts sheet by sheet."""
    st.dataframe([{tr("imports.col.sheet"): kind_name(r.kind), tr("imports.rows"): r.rows,
                   tr("imports.created"): r.created, tr("imports.updated"): r.updated,
                   tr("imports.unchanged"): r.unchanged, tr("imports.rejected"): r.rejected}
                  for r in report.reports], hide_index=True, key="im_sheets")


def _report(actor: Actor, kind: str, upload: Upload, report: Report, *,
            as_drafts: bool = False) -> None:
    """The check's counts and problems, and the button that imports (when allowed)."""
    st.markdown(f"**{tr('imports.report_title', file=plain(upload.name))}**")
    counts = st.columns(5)
    for column, (key, value) in zip(counts, (
            ("imports.rows", report.rows), ("imports.valid", report.valid),
            ("imports.created", report.created), ("imports.updated", report.updated),
            ("imports.unchanged", report.unchanged)), strict=True):
        column.metric(tr(key), value)
    rejected = report.rejected
    if isinstance(report, WorkbookReport) and report.reports:
        _sheets(report)
    if report.problems:
        language = lang()
        sheet: dict[str, Cell] = {}
        problems: list[dict[str, Cell]] = [
            (sheet | {tr("imports.col.sheet"): p.sheet} if kind == ALL else sheet)
            | {tr("imports.col.row"): p.row, tr("imports.col.column"): p.column,
               tr("imports.col.value"): p.value, tr("imports.col.message"): p.message(language)}
            for p in report.problems]
        show_table(tr("imports.problems_title", file=upload.name), problems,
                   key="im_problems")
    valid_only = False
    if not report.problems:
        st.success(tr("imports.all_valid", rows=report.rows))
    elif report.valid == 0:
        st.error(tr("imports.no_valid"))
    else:
        st.warning(tr("imports.blocked", rejected=rejected, rows=report.rows))
        valid_only = st.checkbox(tr("imports.valid_only", valid=report.valid,
                                    rejected=rejected), key=f"im_valid_only_{upload.token}")
    label = tr("imports.import_valid", n=report.valid) if report.problems \
        else tr("imports.import_all", n=report.rows)
    blocked = report.valid == 0 or (bool(report.problems) and not valid_only)
    if not st.button(label, type="primary", disabled=blocked, icon=":material/upload:",
                     key="im_import"):
        return
    result = _run(actor, kind, upload, dry_run=False, valid_only=valid_only,
                  as_drafts=as_drafts)
    if isinstance(result, TrackerError):
        st.error(result.message(lang()))
    elif not result.written:  # the data changed since the check: show what it is now
        st.session_state[REPORT] = (upload.token, kind, result)
        st.session_state[NOT_WRITTEN] = True
        st.rerun()
    else:
        st.session_state[DONE] = (upload.name, result)
        forget_upload()
        st.rerun()


def _import(actor: Actor, kind: str) -> None:
    st.subheader(tr("imports.upload_title"))
    st.caption(tr("imports.upload_hint"))
    done = st.session_state.get(DONE)
    if done is not None:
        name, result = done
        st.success(tr("imports.done", file=plain(name), created=result.created,
                         updated=result.updated, unchanged=result.unchanged,
                         skipped=result.rejected))
        st.caption(tr("imports.done_note"))
    uploaded = st.file_uploader(tr("imports.upload_all" if kind == ALL else "imports.upload",
                                   limit_mb=LIMIT_MB),
                                type=["xlsx"] if kind == ALL else ["csv", "xlsx"],
                                max_upload_size=LIMIT_MB,
                                key=f"im_upload_{st.session_state.get(ROUND, 0)}")
    upload = remember_upload(None if uploaded is None else Upload(
        uploaded.name, uploaded.getvalue(), uploaded.file_id))
    if upload is None:
        return
    as_drafts = kind in ("activities", ALL) and st.checkbox(
        tr("imports.as_drafts"), key="im_as_drafts", help=tr("imports.as_drafts_help"))
    if st.button(tr("imports.check"), icon=":material/fact_check:", key="im_check"):
        st.session_state.pop(NOT_WRITTEN, None)
        result = _run(actor, kind, upload, dry_run=True, as_drafts=as_drafts)
        if isinstance(result, TrackerError):
            st.session_state.pop(REPORT, None)
            st.session_state[REFUSED] = (upload.token, kind, result)
        else:
            st.session_state.pop(REFUSED, None)
            st.session_state[REPORT] = (upload.token, kind, result)
        st.rerun()  # the bar goes; the report (or the message) stays
    refused = st.session_state.get(REFUSED)
    if refused is not None and refused[:2] == (upload.token, kind):
        st.error(refused[2].message(lang()))
        return
    checked = st.session_state.get(REPORT)
    if checked is not None and checked[:2] == (upload.token, kind):
        if st.session_state.get(NOT_WRITTEN):
            st.warning(tr("imports.not_written"))
        _report(actor, kind, upload, checked[2], as_drafts=as_drafts)


def _export(actor: Actor, kind: str) -> None:
    """Every row of `kind` in the import's columns; made on request, not on every rerun."""
    st.subheader(tr("imports.export_title"))
    st.caption(tr("imports.export_intro"))
    if actor.role is Role.STAFF and kind != "organizations":
        st.caption(tr("imports.export_staff"))
    if writes_audit(kind):
        st.caption(tr("imports.export_people"))
    if kind == ALL:
        _export_all(actor)
        return
    if st.button(tr("imports.export_prepare"), icon=":material/download:",
                 key="im_export_prepare"):
        try:  # an export of people writes its audit row: a session that may write
            with session_scope(readonly=not writes_audit(kind)) as session:
                table = service.export_records(session, actor=actor, kind=kind, lang=lang())
        except TrackerError as error:
            st.error(error.message(lang()))
            return
        st.session_state[EXPORT] = (kind, lang(), table)
    prepared: tuple[str, str, Table] | None = st.session_state.get(EXPORT)
    if prepared is not None and prepared[:2] == (kind, lang()):
        table = prepared[2]
        st.caption(tr("imports.export_ready", kind=kind_name(kind), rows=len(table.rows)))
        table_buttons(table, key=f"im_export_{kind}")


def _export_all(actor: Actor) -> None:
    """Every kind in one workbook, made on request."""
    language = lang()
    if st.button(tr("imports.export_prepare"), icon=":material/download:",
                 key="im_export_prepare"):
        try:
            with session_scope(readonly=not writes_audit(ALL)) as session:
                data, rows = workbook.export_workbook(session, actor=actor, lang=language)
        except TrackerError as error:
            st.error(error.message(language))
            return
        st.session_state[EXPORT] = (ALL, language, (data, rows))
    prepared = st.session_state.get(EXPORT)
    if prepared is not None and prepared[:2] == (ALL, language):
        data, rows = prepared[2]
        st.caption(tr("imports.export_ready", kind=kind_name(ALL), rows=rows))
        st.download_button(tr("imports.export_workbook"), data=data,
                           file_name=f"{exports.slug(tr('imports.export_all_name'))}.xlsx",
                           mime=XLSX, icon=":material/table_view:", key="im_export_all",
                           on_click="ignore")


actor = require(Area.IMPORTS)
st.title(tr("nav.imports"))
st.caption(tr("imports.intro"))
language = lang()  # fixed here: AppTest formats the options again outside the script
chosen = st.selectbox(tr("imports.kind"), (*service.KINDS, ALL),
                      format_func=lambda kind: t(f"import.kind.{kind}", language), key="im_kind")
with st.container(border=True):
    _columns(chosen)
with st.container(border=True):
    _import(actor, chosen)
with st.container(border=True):
    _export(actor, chosen)
