"""The Civic dialogue page on SQLite and PostgreSQL: it opens for every role in both languages
(funders without the record forms), staff add a document and an opinion through the forms, a
malformed TAP number is refused next to its field, a manager approves and records the answer
later, deleting is asked first, and a funder never sees a note or an opinion's summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboards.components.text import plain
from db.enums import ActivityStatus, DocumentKind, DocumentLevel, OpinionOutcome, Role
from db.models import Document, Opinion
from tests import factories as f
from tests.dashboards.conftest import ACCOUNTS, accounts_database, page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas.common import parse
from tracker.schemas.dialogue import DocumentCreate, OpinionCreate
from tracker.services import documents, opinions, sessions

NEW_DOCUMENT = "FormSubmitter:document_new-Pievienot dokumentu"
NEW_OPINION = "FormSubmitter:opinion_new-Pievienot viedokli"
TODAY = dt.date.today()  # noqa: DTZ011 - the page counts deadlines from today
NOTE = "Iekseja piezime zvanit ministrijai Q7"  # plain text: shown as typed
SUMMARY = "Iebilstam pret piekto pantu Q8"
OPINION_NOTE = "Atbilde mutiski sanaksme Q9"


@pytest.fixture
def app_db(new_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's database with one account per role, on SQLite and on PostgreSQL (the
    register's search, order and figures are SQL)."""
    yield from accounts_database(new_database_url, monkeypatch)


def _actor(role: Role) -> Actor:
    with session_scope(readonly=True) as session:
        found = sessions.actor_for_email(session, email=ACCOUNTS[role][0])
    assert isinstance(found, Actor)
    return found


def _open(role: Role = Role.STAFF, document: int | None = None, lang: str | None = None
          ) -> AppTest:
    at = sign_in(role, lang=lang)
    if document is not None:
        at.query_params["document"] = str(document)
    at.switch_page(page("dialogue.py")).run()
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def _said(at: AppTest) -> str:
    """The success message, as the reader sees it (Markdown's escapes dropped)."""
    return " | ".join(m.value.replace("\\", "") for m in at.success)


def _everything(at: AppTest) -> str:
    """All the text the page sent: element protos and table contents."""
    parts: list[str] = []

    def walk(item: Any) -> None:
        proto = getattr(item, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        to_string = getattr(getattr(item, "value", None), "to_string", None)
        if callable(to_string):
            parts.append(str(to_string()))
        children = getattr(item, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
    walk(at._tree)
    return "\n".join(parts)


def _document(actor: Actor, **fields: Any) -> int:
    data = {"ref": "26-TA-1427", "title": "Grozījumi Biedrību un nodibinājumu likumā",
            "institution": "Tieslietu ministrija", "kind": "law", "level": "national",
            "deadline": TODAY + dt.timedelta(days=10), "monitored_from": TODAY,
            "url": "https://tapportals.mk.gov.lv/legal_acts/1427"} | fields
    with session_scope() as session:
        return documents.create_document(session, actor=actor,
                                         data=parse(DocumentCreate, data)).id


def _opinion(actor: Actor, document_id: int, organization_id: int, **fields: Any) -> int:
    data = {"document_id": document_id, "organization_ids": [organization_id],
            "submitted_on": TODAY, "channel": "tap_portal", "summary": SUMMARY} | fields
    with session_scope() as session:
        return opinions.create_opinion(session, actor=actor,
                                       data=parse(OpinionCreate, data)).id


def _organization() -> int:
    """An organisation of the staff member's incubator (enrolled in a Vidzeme cycle)."""
    with session_scope() as session:
        return f.enrolled_organization(session, "VIDZEME")[0]


@pytest.mark.parametrize("role", list(Role))
def test_the_page_opens_for_every_role_in_both_languages(app_db: str, role: Role) -> None:
    for lang, title, forms in (("lv", "Pilsoniskais dialogs", "Pievienot dokumentu"),
                               ("en", "Civic dialogue", "Add a document")):
        at = _open(role, lang=lang)
        assert [t.value for t in at.title] == [title]
        assert not at.error, _errors(at)
        tabs = [t.label for t in at.tabs]
        if role is Role.FUNDER:  # the documents and the figures, never a record form
            assert len(tabs) == 2 and forms not in tabs
            assert not at.text_area and "opinion_new_document" not in {
                s.key for s in at.selectbox}
        else:
            assert forms in tabs and len(tabs) == 4
            assert at.selectbox(key="opinion_new_document") is not None


def test_staff_add_a_document_and_see_it_listed(app_db: str) -> None:
    at = _open()
    at.text_input(key="document_new_ref").input(" 26-ta-77 ")
    at.text_input(key="document_new_title").input("Noteikumi par sabiedrības līdzdalību")
    at.text_input(key="document_new_institution").input("Valsts kanceleja")
    at.selectbox(key="document_new_kind").set_value(DocumentKind.CABINET_REGULATION)
    at.selectbox(key="document_new_level").set_value(DocumentLevel.NATIONAL)
    at.date_input(key="document_new_deadline").set_value(TODAY + dt.timedelta(days=5))
    at.text_input(key="document_new_url").input("https://tapportals.mk.gov.lv/77")
    at.text_input(key="document_new_topics").input("līdzdalība; pārvaldība")
    at.text_area(key="document_new_note").input(NOTE)
    at.button(key=NEW_DOCUMENT).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert "Dokuments pievienots: 26-TA-77" in _said(at)
    with session_scope() as session:
        row = session.scalars(select(Document)).one()
        session.expunge(row)
        assert (row.ref, row.institution, row.topics, row.note) == (
            "26-TA-77", "Valsts kanceleja", "līdzdalība; pārvaldība", NOTE)
    # listed, upcoming, and its card opens with the TAP number linked to its address
    table = at.dataframe[0].value
    assert list(table["ref"]) == ["26-TA-77"]
    assert list(table["state"]) == ["⏳ Gaidāms: pēc 5 d."]
    facts = " ".join(m.value for m in at.markdown)
    assert "[26\\-TA\\-77](https://tapportals.mk.gov.lv/77)" in facts, facts
    assert "Vidzemes NVO reģionālais inkubators" in facts
    assert at.text_input(key="document_new_ref").value == ""  # the form is empty again
    # the opinion form, empty until now, offers the document just opened
    assert at.selectbox(key="opinion_new_document").value == row.id


def test_a_malformed_tap_number_is_refused_next_to_its_field(app_db: str) -> None:
    at = _open()
    at.text_input(key="document_new_ref").input("2026-TA-1427")
    at.text_input(key="document_new_title").input("Kāds dokuments")
    at.text_input(key="document_new_institution").input("Ministrija")
    at.button(key=NEW_DOCUMENT).click().run()
    assert not at.exception, at.exception
    messages = _errors(at)
    assert "TAP numuram jābūt formā 24-TA-1427" in messages, messages
    assert "Veids: obligāti jānorāda" in messages, messages
    assert at.text_input(key="document_new_ref").value == "2026-TA-1427"  # kept as typed
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    # a reference already in the register: said at the reference too
    _document(_actor(Role.MANAGER), ref="26-TA-5")
    at.text_input(key="document_new_ref").input("26-ta-5")
    at.selectbox(key="document_new_kind").set_value(DocumentKind.LAW)
    at.selectbox(key="document_new_level").set_value(DocumentLevel.NATIONAL)
    at.button(key=NEW_DOCUMENT).click().run()
    assert "dokuments ar atsauci 26-TA-5 jau ir reģistrā" in _errors(at), _errors(at)


def test_staff_add_an_opinion_with_their_organisation(app_db: str) -> None:
    org_id = _organization()
    document_id = _document(_actor(Role.STAFF))
    at = _open(document=document_id)
    # the document open in the card is the one the form offers first; the incubator's
    # organisations are listed before any search
    assert at.selectbox(key="opinion_new_document").value == document_id
    authors = at.multiselect(key="opinion_new_authors")
    assert len(authors.options) == 1 and not authors.value
    at.button(key=NEW_OPINION).click().run()  # nothing picked, nothing written
    messages = _errors(at)
    assert "Autori (organizācijas): obligāti jānorāda" in messages, messages
    assert "Kopsavilkums: obligāti jānorāda" in messages, messages
    at.multiselect(key="opinion_new_authors").select(org_id)
    at.text_area(key="opinion_new_summary").input(SUMMARY)
    at.text_area(key="opinion_new_note").input(OPINION_NOTE)
    at.button(key=NEW_OPINION).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert "Viedoklis pievienots: 26-TA-1427" in _said(at)
    with session_scope() as session:
        row = session.scalars(select(Opinion)).one()
        assert (row.document_id, row.status, row.summary, row.outcome) == (
            document_id, ActivityStatus.SUBMITTED.value, SUMMARY, "pending")
        assert [a.organization_id for a in row.authors] == [org_id]
    shown = _everything(at)
    assert SUMMARY in shown and OPINION_NOTE in shown  # listed under its document
    assert at.dataframe[0].value["opinions"].tolist() == [1]


def test_a_manager_approves_and_records_the_answer_later(app_db: str) -> None:
    org_id = _organization()
    staff = _actor(Role.STAFF)
    document_id = _document(staff)
    opinion_id = _opinion(staff, document_id, org_id)
    at = _open(Role.MANAGER, document=document_id)
    at.button(key=f"opinion_approve_{opinion_id}").click().run()
    assert not at.exception and not at.error, _errors(at)
    assert "Apstiprināts: viedoklis par 26-TA-1427" in _said(at)
    # the answer comes later: recorded on the approved opinion; an answer needs its date
    at.selectbox(key=f"opinion_answer_{opinion_id}_outcome").set_value(
        OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT)
    at.button(key=f"FormSubmitter:opinion_answer_{opinion_id}_-Saglabāt atbildi").click().run()
    assert "Atbildes datums: norādiet atbildes datumu" in _errors(at), _errors(at)
    at.date_input(key=f"opinion_answer_{opinion_id}_answered_on").set_value(TODAY)
    at.button(key=f"FormSubmitter:opinion_answer_{opinion_id}_-Saglabāt atbildi").click().run()
    assert not at.exception and not at.error, _errors(at)
    with session_scope() as session:
        row = session.get(Opinion, opinion_id)
        assert row is not None and (row.status, row.outcome, row.answered_on) == (
            "approved", "partly_taken_into_account", TODAY)
    # the figures count it: one submitted, answered, changed something
    assert [m.value for m in at.metric if m.label in (
        "Iesniegti viedokļi", "Saņemta atbilde", "Ņemti vērā (pilnībā vai daļēji)")] == \
        ["1", "1", "1"]


def test_deleting_a_draft_opinion_is_asked_first(app_db: str) -> None:
    org_id = _organization()
    staff = _actor(Role.STAFF)
    document_id = _document(staff)
    opinion_id = _opinion(staff, document_id, org_id, status="draft")
    at = _open(document=document_id)
    at.button(key=f"opinion_delete_{opinion_id}").click().run()
    assert "Dzēst viedokli par 26-TA-1427" in " ".join(
        w.value.replace("\\", "") for w in at.warning)
    at.button(key=f"opinion_delete_no_{opinion_id}").click().run()
    with session_scope() as session:
        row = session.get(Opinion, opinion_id)
        assert row is not None and row.deleted_at is None
    at.button(key=f"opinion_delete_{opinion_id}").click().run()
    at.button(key=f"opinion_delete_yes_{opinion_id}").click().run()
    assert not at.exception and not at.error, _errors(at)
    with session_scope() as session:
        row = session.get(Opinion, opinion_id)
        assert row is not None and row.deleted_at is not None


def test_a_funder_never_sees_a_note_or_a_summary(app_db: str) -> None:
    org_id = _organization()
    staff, manager = _actor(Role.STAFF), _actor(Role.MANAGER)
    document_id = _document(staff, note=NOTE)
    opinion_id = _opinion(staff, document_id, org_id, note=OPINION_NOTE)
    with session_scope() as session:
        version = session.get(Opinion, opinion_id).version  # type: ignore[union-attr]
        opinions.approve_opinion(session, actor=manager, opinion_id=opinion_id,
                                 version=version)
    writer = _open(Role.MANAGER, document=document_id)  # the planted texts are on the page
    assert NOTE in _everything(writer) and SUMMARY in _everything(writer)
    for lang in ("lv", "en"):
        at = _open(Role.FUNDER, document=document_id, lang=lang)
        shown = _everything(at)
        assert "26-TA-1427" in shown and "Tieslietu ministrija" in shown  # public facts
        for secret in (NOTE, SUMMARY, OPINION_NOTE):
            assert secret not in shown, (lang, secret)
        assert not at.text_area and not at.get("file_uploader")
        assert f"opinion_approve_{opinion_id}" not in {b.key for b in at.button}
    counted = next(m for m in at.metric if m.label == "Opinions submitted")
    assert counted.value == "1"  # the aggregate is there


HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** _it_ "
           "[link](javascript:alert(3)) # heading `code` $x$")


def test_typed_text_is_shown_as_typed_never_as_markdown_or_html(app_db: str) -> None:
    org_id = _organization()
    staff = _actor(Role.STAFF)
    document_id = _document(staff, ref="[x](javascript:alert(4))", kind="other",
                            title=f"Likums {HOSTILE}", institution=f"Iestāde {HOSTILE}",
                            note=HOSTILE, topics=HOSTILE[:50])
    _opinion(staff, document_id, org_id, summary=HOSTILE, note=HOSTILE)
    at = _open(Role.MANAGER, document=document_id)
    texts = [str(e.value) for e in [*at.title, *at.header, *at.subheader, *at.markdown,
                                    *at.caption, *at.info, *at.warning, *at.error,
                                    *at.success]]
    hostile = [t for t in texts if "alert" in t]
    assert len(hostile) >= 5, hostile  # title, facts, note, summary, the opinion's note
    for text in hostile:
        assert "<script>" not in text and "](javascript" not in text, text
        assert plain(HOSTILE) in text or "alert\\(4\\)" in text, text
