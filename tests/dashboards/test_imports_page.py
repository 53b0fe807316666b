"""The import and export page: upload, check, the problem report, confirm; templates; exports.

AppTest sets the file uploader itself (`at.file_uploader[0].set_value(...)`), so the page is
driven as a user would drive it, against a real SQLite database (the app_db fixture).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests.dashboards.conftest import page, sign_in
from tests.factories import reg_no
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.exports import Table, to_xlsx
from tracker.services.organizations import count_organizations, list_organizations

HEADER = "reg_no,name,legal_form\n"


def _open(role: Role, lang: str | None = None) -> AppTest:
    at = sign_in(role, lang)
    at.switch_page(page("imports.py")).run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception


def _names() -> set[str]:
    with session_scope(readonly=True) as session:
        return {o.name for o in list_organizations(session, actor=Actor.system())}


def _count() -> int:
    with session_scope(readonly=True) as session:
        return count_organizations(session)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_staff_checks_then_imports_a_good_file_and_downloads_the_export(app_db: str) -> None:
    at = _open(Role.STAFF)
    assert at.title[0].value == "Imports un eksports"
    assert at.selectbox(key="im_kind").value == "organizations"
    # The columns of the kind, and both templates.
    columns = at.dataframe[0].value
    assert "reg_no" in set(columns.iloc[:, 0]) and "name" in set(columns.iloc[:, 0])
    labels = [b.label for b in at.download_button]
    assert "Veidne (CSV)" in labels and "Veidne (Excel)" in labels

    number = reg_no()
    _upload(at, "organizacijas.csv", f"{HEADER}{number},Biedrība „Augšupielāde”,association\n"
            .encode())
    at.button(key="im_check").click().run()
    assert not at.exception, at.exception
    assert _metrics(at) == {"Rindas": "1", "Derīgas": "1", "Jaunas": "1", "Mainītas": "0",
                            "Bez izmaiņām": "0"}
    assert "Visas rindas ir derīgas (1)" in at.success[0].value
    assert not at.button(key="im_import").disabled
    assert "Biedrība „Augšupielāde”" not in _names()  # the check writes nothing

    at.button(key="im_import").click().run()
    assert not at.exception, at.exception
    assert "Biedrība „Augšupielāde”" in _names()
    assert "Jaunas: 1" in at.success[0].value
    assert at.file_uploader[0].value is None  # the file is forgotten: no second import
    assert not [b for b in at.button if b.key == "im_import"]

    # The export of the same kind, in the import's columns.
    at.button(key="im_export_prepare").click().run()
    assert not at.exception, at.exception
    assert any("Organizācijas: rindu skaits 1" in c.value for c in at.caption)
    assert {"im_export_organizations_csv", "im_export_organizations_xlsx"} <= {
        b.key for b in at.download_button}


def test_bad_rows_block_the_import_until_valid_only_is_ticked(app_db: str) -> None:
    at = _open(Role.MANAGER, lang="en")
    # A file that cannot be read at all: a message, never a traceback, nothing written.
    _upload(at, "broken.csv", b"\x00\x01\x02binary\x00")
    at.button(key="im_check").click().run()
    assert not at.exception, at.exception
    assert "not a text (CSV) or Excel" in at.error[0].value
    assert not [b for b in at.button if b.key == "im_import"]

    good, other = reg_no(), reg_no()
    data = (f"{HEADER}{good},Good association,association\n"
            "12345678901,Bad number association,association\n"
            f"{other},Second good one,association\n").encode()
    _upload(at, "mixed.csv", data)
    assert not at.error  # the refusal belonged to the other file
    at.button(key="im_check").click().run()
    assert not at.exception, at.exception
    assert _metrics(at)["Rows"] == "3" and _metrics(at)["Valid"] == "2"
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["Row", "Column", "Value", "What to fix"]
    first = problems.iloc[0]
    assert (first["Row"], first["Column"], first["Value"]) == (3, "reg_no", "12345678901")
    assert first["What to fix"]
    assert "Rows with problems: 1 of 3" in at.warning[0].value
    assert at.button(key="im_import").disabled
    assert _count() == 0  # nothing is written before the user confirms

    at.checkbox[0].check().run()
    assert at.checkbox[0].label == "Import only the 2 valid rows, skip the 1 rejected ones"
    assert not at.button(key="im_import").disabled
    at.button(key="im_import").click().run()
    assert not at.exception, at.exception
    assert _names() == {"Good association", "Second good one"}
    assert "skipped: 1" in at.success[0].value


def test_funders_cannot_open_the_page(app_db: str) -> None:
    at = sign_in(Role.FUNDER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("imports.py"))


def test_a_manager_moves_every_kind_in_one_workbook(app_db: str) -> None:
    at = _open(Role.MANAGER, "en")
    at.selectbox(key="im_kind").set_value("all").run()
    assert not at.exception, at.exception
    assert any("One Excel workbook with a sheet per kind" in c.value for c in at.caption)
    at.button(key="im_export_prepare").click().run()
    assert not at.exception, at.exception
    exported = [b for b in at.download_button if b.key == "im_export_all"]
    assert exported and exported[0].label == "Download the workbook (Excel)"
    assert any(c.value.startswith("Every kind (one Excel workbook): ") for c in at.caption)

    number = reg_no()
    sheets = to_xlsx([Table("Organisations", ["reg_no", "name"],
                            [[number, "Biedrība „Darbgrāmata”"]]),
                      Table("Budget", ["a"], [["1"]])])
    at.file_uploader[0].set_value(("all.xlsx", sheets, "application/octet-stream")).run()
    at.button(key="im_check").click().run()
    assert not at.exception, at.exception
    assert "Budget" in repr(at.dataframe[-1].value)  # the stranger sheet, named
    assert at.button(key="im_import").disabled

    fixed = to_xlsx([Table("Organisations", ["reg_no", "name"],
                           [[number, "Biedrība „Darbgrāmata”"]])])
    at.file_uploader[0].set_value(("all2.xlsx", fixed, "application/octet-stream")).run()
    at.button(key="im_check").click().run()
    assert not at.exception, at.exception
    assert _metrics(at)["New"] == "1"
    assert "Biedrība „Darbgrāmata”" not in _names()  # the check writes nothing
    at.button(key="im_import").click().run()
    assert not at.exception, at.exception
    assert "Biedrība „Darbgrāmata”" in _names()
