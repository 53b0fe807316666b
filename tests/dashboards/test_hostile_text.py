"""Text people type (organisation names, activity titles, next steps, review comments) is
shown as typed on every page that prints it: never as HTML, a script or Markdown."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.components.text import plain
from db.enums import Role
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tracker.database import session_scope
from tracker.services import review

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** _it_ "
           "[link](javascript:alert(3)) # heading `code` $x$")


def _texts(at: AppTest) -> list[str]:
    """Everything the page prints through Markdown (titles, text, notes, messages)."""
    elements: list[Any] = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption,
                           *at.info, *at.warning, *at.error, *at.success]
    return [str(e.value) for e in elements]


@pytest.fixture
def hostile(app_db: str) -> dict[str, int]:
    with session_scope() as session:
        org = f.organization(session, name=f"Biedrība {HOSTILE}"[:150])
        activity = f.activity(session, title=f"Konsultācija {HOSTILE}"[:200],
                              next_steps=HOSTILE, status="submitted",
                              participations=[{"organization_id": org.id, "attendees": 1}])
        returned = f.activity(session, title="Atgriezta apmācība", status="submitted")
        review.return_activity(session, actor=f.actor(session, Role.MANAGER),
                               activity_id=returned.id, version=returned.version,
                               comment=HOSTILE)
        return {"organization": org.id, "activity": activity.id}


@pytest.mark.parametrize(("role", "view", "params"), [
    (Role.MANAGER, "home.py", {}),
    (Role.MANAGER, "review.py", {}),
    (Role.MANAGER, "organizations.py", {"org": "organization"}),
    (Role.MANAGER, "activities.py", {}),
    (Role.ADMIN, "activities.py", {"edit": "activity"}),
])
def test_hostile_text_is_shown_as_typed(hostile: dict[str, int], role: Role, view: str,
                                        params: dict[str, str]) -> None:
    at = sign_in(role)
    for name, key in params.items():
        at.query_params[name] = str(hostile[key])
    at.switch_page(page(view)).run()
    assert not at.exception, at.exception
    if view == "activities.py":  # managers choose the incubator; the activity is Vidzeme's
        choice = at.selectbox(key="activity_incubator")
        choice.select_index(choice.options.index("Vidzemes NVO reģionālais inkubators")).run()
        assert not at.exception, at.exception

    # Wherever Markdown carries it, every character Markdown or HTML would act on is escaped.
    for text in (t for t in _texts(at) if "alert" in t):
        assert plain(HOSTILE) in text, (view, text)
    # Not a test that cannot fail: the page shows the text somewhere (as Markdown, in a
    # table or in a form's field).
    shown = [*_texts(at), *(str(cell) for d in at.dataframe for cell in d.value.to_numpy().ravel()),
             *(str(w.value) for w in [*at.text_input, *at.text_area, *at.text])]
    assert any("alert" in text for text in shown), view
