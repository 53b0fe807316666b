"""The review queue, closing quarters and the start page's inbox, as managers, admins and staff
use them; funders and staff cannot open the review or quarter pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.enums import Role
from db.models import Activity, User
from tests import factories
from tests.dashboards.conftest import ACCOUNTS, page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.services import attachments, quarters, review


def _actor(role: Role) -> Actor:
    with session_scope() as session:
        user = session.scalars(select(User).where(User.email == ACCOUNTS[role][0])).one()
        return Actor(user_id=user.id, email=user.email, role=role,
                     incubator_id=user.incubator_id)


def _log(by: Role, title: str, day: str = "2025-05-14") -> int:
    with session_scope() as session:
        return factories.activity(session, by=_actor(by), title=title, activity_date=day).id


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _status(activity_id: int) -> tuple[str, str | None]:
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None
        return row.status, row.review_comment


def _approve(activity_id: int) -> None:
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None
        version = row.version
        review.approve_activity(session, actor=Actor.system(), activity_id=activity_id,
                                version=version)


def _open(role: Role, name: str) -> AppTest:
    at = sign_in(role)
    at.switch_page(page(name)).run()
    assert not at.exception, at.exception
    return at


def _tick(at: AppTest, *rows: int) -> None:
    """Tick rows of the review table (none: untick all), as a click in the table does."""
    at.session_state["review_table"] = {"selection": {"rows": list(rows), "columns": [],
                                                      "cells": []}}
    at.run()
    assert not at.exception, at.exception


def _texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_manager_returns_and_approves_and_staff_sees_the_comment(app_db: str) -> None:
    fix = _log(Role.STAFF, "Grāmatvedības konsultācija")
    fine = _log(Role.STAFF, "Stratēģijas darbnīca")
    own = _log(Role.MANAGER, "Vadītāja paša apmācība")
    changed = _log(Role.STAFF, "Mentora sesija")
    with session_scope() as session:  # the same attendance list on two activities
        for activity_id in (fix, fine):
            attachments.add_attachment(session, actor=Actor.system(),
                                       activity_id=activity_id, file_name="saraksts.png",
                                       data=_png())
    at = _open(Role.MANAGER, "review.py")
    table = at.dataframe[0].value
    assert list(table["title"]) == ["Grāmatvedības konsultācija", "Stratēģijas darbnīca",
                                    "Vadītāja paša apmācība", "Mentora sesija"]
    assert list(table["evidence"]) == [1, 1, 0, 0]
    assert list(table["author"]) == ["staff@test.lv", "staff@test.lv", "manager@test.lv",
                                     "staff@test.lv"]
    # the oldest is open: its card, its evidence (also on another activity)
    assert "Grāmatvedības konsultācija" in _texts(at)
    assert any("Autors: staff@" in c.value and "iesniegta šodien" in c.value
               for c in at.caption)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "saraksts" in warnings[0] and f"(Nr. {fine})" in warnings[0]
    _tick(at, 1)
    assert "Stratēģijas darbnīca" in _texts(at)
    assert f"(Nr. {fix})" in at.warning[0].value
    _tick(at, 3)
    assert sum("Nav pievienots neviens pierādījums" in c.value for c in at.caption) == 1
    _tick(at)

    # Return asks for a comment first; without one it is refused and nothing changes.
    at.button(key=f"review_return_{fix}").click().run()
    at.button(key=f"review_send_{fix}").click().run()
    assert not at.exception, at.exception
    assert "Komentārs autoram" in at.error[0].value
    assert _status(fix) == ("submitted", None)
    at.text_area(key=f"review_comment_{fix}").input("Pievienojiet dalībnieku sarakstu")
    at.button(key=f"review_send_{fix}").click().run()
    assert "Atgriezta autoram" in at.success[0].value
    assert _status(fix) == ("returned", "Pievienojiet dalībnieku sarakstu")
    assert "Grāmatvedības konsultācija" not in _texts(at)

    _tick(at)
    at.button(key=f"review_approve_{fine}").click().run()
    assert "Apstiprināta" in at.success[0].value
    assert _status(fine)[0] == "approved"
    assert "Stratēģijas darbnīca" not in _texts(at)

    # Four eyes: a manager does not approve their own activity.
    _tick(at)
    at.button(key=f"review_approve_{own}").click().run()
    assert not at.exception, at.exception
    assert "Savu aktivitāti nevar" in at.error[0].value
    assert _status(own)[0] == "submitted"

    # Someone changes an activity after the manager looked at it: the approval is refused.
    _tick(at, 1)
    with session_scope() as session:
        row = session.get(Activity, changed)
        assert row is not None
        row.title = "Mentora sesija (labota)"
    at.button(key=f"review_approve_{changed}").click().run()
    assert "Kāds cits šo ierakstu jau ir mainījis" in at.error[0].value
    assert _status(changed)[0] == "submitted"
    assert "Mentora sesija \\(labota\\)" in _texts(at)  # shown as it is now

    # The home inbox of the manager counts what is left.
    at.switch_page(page("home.py")).run()
    assert "Pārbaudei iesniegtas aktivitātes: 2" in _texts(at)

    # The author sees the returned activity with the comment; staff open neither page.
    staff = sign_in(Role.STAFF)
    assert "Jums atgrieztas aktivitātes: 1" in _texts(staff)
    assert "Pievienojiet dalībnieku sarakstu" in _texts(staff)
    for name in ("review.py", "quarters.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            staff.switch_page(page(name))


def test_empty_queue_and_funders_are_refused(app_db: str) -> None:
    at = _open(Role.ADMIN, "review.py")
    assert "Neviena aktivitāte negaida pārbaudi." in at.info[0].value
    funder = sign_in(Role.FUNDER)
    assert "Gaida jūsu darbību" not in [s.value for s in funder.subheader]
    for name in ("review.py", "quarters.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            funder.switch_page(page(name))


def test_a_quarter_is_closed_after_confirmation_and_reopened_by_an_admin(app_db: str) -> None:
    done = _log(Role.STAFF, "Apstiprinātā konsultācija", "2025-04-10")
    waiting = _log(Role.STAFF, "Vēl nepārbaudītā darbnīca", "2025-06-20")
    _approve(done)
    with session_scope() as session:
        vidzeme = factories.incubator_id(session, "VIDZEME")

    at = _open(Role.MANAGER, "quarters.py")
    at.selectbox(key="quarters_incubator").set_value(vidzeme)
    at.selectbox(key="quarters_quarter").set_value((2025, 2)).run()
    assert not at.exception, at.exception
    blockers = at.dataframe[0].value
    assert list(blockers.iloc[:, 1]) == ["Vēl nepārbaudītā darbnīca"]
    assert list(blockers.iloc[:, 2]) == ["iesniegta"]
    assert [(m.label, m.value) for m in at.metric] == [
        ("Apstiprinātas aktivitātes", "1"), ("Neapstiprinātas aktivitātes", "1"),
        ("Ceturksnis beidzies", "jā")]
    assert at.button(key="quarters_close").disabled

    _approve(waiting)
    at.run()
    assert not at.button(key="quarters_close").disabled
    at.button(key="quarters_close").click().run()
    assert "iesaldētas 2 aktivitātes" in at.warning[0].value
    with session_scope() as session:
        assert not quarters.is_closed(session, vidzeme, quarters.quarter_bounds(2025, 2)[0])
    at.button(key="quarters_close_yes").click().run()
    assert not at.exception, at.exception
    assert "Ceturksnis 2025 Q2 slēgts." in at.success[0].value
    assert any("ir slēgts" in s.value and "manager@" in s.value for s in at.success)
    grid = at.dataframe[0].value
    vidzeme_row = grid[grid.iloc[:, 0] == "Vidzemes NVO reģionālais inkubators"]
    assert vidzeme_row["2025 Q2"].tolist() == ["slēgts"]
    assert "quarters_reopen" not in [b.key for b in at.button]  # managers do not reopen

    admin = _open(Role.ADMIN, "quarters.py")
    admin.selectbox(key="quarters_incubator").set_value(vidzeme)
    admin.selectbox(key="quarters_quarter").set_value((2025, 2)).run()
    admin.button(key="quarters_reopen").click().run()
    assert "Atverot ceturksni 2025 Q2" in admin.warning[0].value
    admin.button(key="quarters_reopen_yes").click().run()
    assert "Iemesls" in admin.error[0].value  # a reason is required
    admin.text_area(key="quarters_reason").input("Labojums dalībnieku skaitā")
    admin.button(key="quarters_reopen_yes").click().run()
    assert not admin.exception, admin.exception
    assert "atvērts no jauna" in admin.success[0].value
    history = admin.dataframe[-1].value
    assert list(history["Iemesls"]) == ["Labojums dalībnieku skaitā"]
    assert list(history["Slēdza"]) == ["manager@test.lv"]
    assert list(history["Atvēra"]) == ["admin@test.lv"]
    with session_scope() as session:
        assert not quarters.is_closed(session, vidzeme, quarters.quarter_bounds(2025, 2)[0])


def test_the_table_filters_pages_and_approves_the_ticked_ones(app_db: str) -> None:
    ids = [_log(Role.STAFF, f"Konsultācija {n:02d}") for n in range(27)]
    own = _log(Role.MANAGER, "Vadītāja paša apmācība")
    with session_scope() as session:
        attachments.add_attachment(session, actor=Actor.system(), activity_id=ids[3],
                                   file_name="saraksts.png", data=_png())
    at = _open(Role.MANAGER, "review.py")
    assert len(at.dataframe[0].value) == 25  # a page of the 28, paged in SQL
    assert "Atrastas 28; rāda 1–25." in " ".join(c.value for c in at.caption)
    at.number_input(key="review_page").set_value(2).run()
    assert list(at.dataframe[0].value["title"]) == ["Konsultācija 25", "Konsultācija 26",
                                                    "Vadītāja paša apmācība"]
    at.selectbox(key="review_evidence").set_value(True).run()
    assert list(at.dataframe[0].value["title"]) == ["Konsultācija 03"]  # back to page 1
    at.selectbox(key="review_evidence").set_value(None).run()
    at.text_input(key="review_author").input("MANAGER@").run()
    assert list(at.dataframe[0].value["title"]) == ["Vadītāja paša apmācība"]
    at.text_input(key="review_author").input("").run()

    # tick three and the manager's own: three approved at once, the own one skipped, why
    at.number_input(key="review_page").set_value(2).run()
    _tick(at, 0, 1, 2)
    at.button(key="review_approve_selected").click().run()
    assert not at.exception, at.exception
    assert "Apstiprinātas: 2." in at.success[0].value
    assert len(at.warning) == 1 and "Savu aktivitāti nevar" in at.warning[0].value
    assert "Vadītāja paša apmācība" in at.warning[0].value
    assert [_status(i)[0] for i in (ids[25], ids[26], own)] == [
        "approved", "approved", "submitted"]
    assert "Atrastas 26" in " ".join(c.value for c in at.caption)


def test_an_approved_activity_is_returned_for_correction_once_its_quarter_is_open(
        app_db: str) -> None:
    done = _log(Role.STAFF, "Apstiprinātā konsultācija", "2025-04-10")
    _approve(done)
    with session_scope() as session:
        vidzeme = factories.incubator_id(session, "VIDZEME")
        quarters.close_quarter(session, actor=Actor.system(), incubator_id=vidzeme, year=2025,
                             quarter=2, today=dt.date(2025, 7, 1))
    at = _open(Role.MANAGER, "review.py")
    at.toggle(key="review_approved").set_value(True).run()
    assert list(at.dataframe[0].value["title"]) == ["Apstiprinātā konsultācija"]
    assert list(at.dataframe[0].value["closed"]) == [True]
    assert any("ceturksnis ir slēgts" in i.value for i in at.info)
    assert f"review_return_{done}" not in [b.key for b in at.button]
    assert f"review_approve_{done}" not in [b.key for b in at.button]
    with session_scope() as session:
        quarters.reopen_quarter(session, actor=_actor(Role.ADMIN), incubator_id=vidzeme,
                              year=2025, quarter=2, reason="Labojums stundās")
    at.run()
    assert list(at.dataframe[0].value["closed"]) == [False]
    at.button(key=f"review_return_{done}").click().run()
    at.text_area(key=f"review_comment_{done}").input("Stundu skaits nav pareizs")
    at.button(key=f"review_send_{done}").click().run()
    assert not at.exception, at.exception
    assert "Atgriezta autoram" in at.success[0].value
    assert _status(done) == ("returned", "Stundu skaits nav pareizs")


def test_the_review_page_lists_opinions_waiting_with_a_link_to_them(app_db: str) -> None:
    from tests import dialogue_factories as d

    with session_scope() as session:
        doc = d.document(session, ref="25-TA-5151")
        d.opinion(session, doc, status="submitted")
        d.opinion(session, doc, status="draft")  # not waiting
    at = _open(Role.MANAGER, "review.py")
    assert "Viedokļi, kas gaida pārbaudi: 1" in at.expander[0].label
    assert "25-TA-5151" in at.expander[0].get("page_link")[0].proto.label
