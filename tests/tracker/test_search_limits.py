"""Search text is bounded before it reaches a query: a long paste gets a message, not a crash."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from tests import factories
from tracker.errors import ValidationFailed
from tracker.services import organizations


@pytest.mark.parametrize("size", [201, 5_000_000])
def test_search_text_over_the_limit_is_refused_with_a_message(session: Session, size: int
                                                              ) -> None:
    manager = factories.actor(session, Role.MANAGER)
    factories.organization(session, name="Biedrība “Limbažu dārznieki”")
    pasted = ("dārznieki " * (size // 10 + 1))[:size]
    for search in (organizations.list_organizations, organizations.search_organizations):
        with pytest.raises(ValidationFailed) as refused:
            search(session, actor=manager, search=pasted)
        (error,) = refused.value.errors
        assert (error.field, error.code) == ("search", "too_long")
        assert "200" in refused.value.message("lv") and "200" in refused.value.message("en")
        assert "Meklēšanas teksts" in refused.value.message("lv")


def test_search_text_at_the_limit_still_finds(session: Session) -> None:
    manager = factories.actor(session, Role.MANAGER)
    org = factories.organization(session, name="Biedrība “Limbažu dārznieki”")
    at_limit = "dārznieki".ljust(organizations.MAX_SEARCH)  # trailing spaces fold away
    assert [o.id for o in organizations.list_organizations(
        session, actor=manager, search=at_limit)] == [org.id]
    page = organizations.search_organizations(session, actor=manager, search=at_limit)
    assert [o.id for o in page.items] == [org.id]
