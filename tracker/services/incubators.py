"""Incubators (administrators): read them with region and programme period, edit their details."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import Incubator, Program, Region
from tracker import audit
from tracker.auth import Actor, require_admin
from tracker.errors import FieldError, ValidationFailed
from tracker.i18n import latvian_sort_key
from tracker.schemas import IncubatorDetail, IncubatorRead, IncubatorUpdate
from tracker.services._common import check_in_programme, check_version, flush, load

ENTITY = "incubator"


def check_period(session: Session, incubator_id: int, start: dt.date, end: dt.date,
                 **more: dt.date | None) -> None:
    """Both dates, and any `more` given by field name, inside the incubator's programme; each
    wrong one is reported at its field (None: no date, nothing to check)."""
    errors: list[FieldError] = []
    for field, value in (("start_date", start), ("end_date", end), *more.items()):
        if value is None:
            continue
        try:
            check_in_programme(session, field, value, incubator_id)
        except ValidationFailed as exc:
            errors += exc.errors
    if errors:
        raise ValidationFailed(errors)


def _detail(session: Session, incubator: Incubator) -> IncubatorDetail:
    region = session.get(Region, incubator.region_id)
    program = session.get(Program, incubator.program_id)
    assert region is not None and program is not None  # foreign keys
    return IncubatorDetail(
        **IncubatorRead.model_validate(incubator).model_dump(), region_code=region.code,
        region_name_lv=region.name_lv, region_name_en=region.name_en,
        program_start=program.start_date, program_end=program.end_date)


def list_incubators(session: Session, *, actor: Actor, lang: str = "lv"
                    ) -> list[IncubatorDetail]:
    """Every incubator, by its name in `lang` in Latvian alphabetical order."""
    require_admin(actor)
    rows = [_detail(session, i) for i in session.scalars(select(Incubator))]
    rows.sort(key=lambda i: (latvian_sort_key(i.name(lang)), i.code))
    return rows


def get_incubator(session: Session, *, actor: Actor, incubator_id: int) -> IncubatorDetail:
    """One incubator."""
    require_admin(actor)
    return _detail(session, load(session, Incubator, ENTITY, incubator_id))


def update_incubator(session: Session, *, actor: Actor, incubator_id: int,
                     data: IncubatorUpdate) -> IncubatorDetail:
    """Change names, operator, budget and dates (inside the programme period)."""
    require_admin(actor)
    incubator = load(session, Incubator, ENTITY, incubator_id)
    check_version(incubator, data.version)
    check_period(session, incubator.id, data.start_date, data.end_date)
    before = audit.snapshot(incubator)
    incubator.name_lv, incubator.name_en = data.name_lv, data.name_en
    incubator.operator = data.operator
    incubator.budget_eur = data.budget_eur
    incubator.start_date, incubator.end_date = data.start_date, data.end_date
    flush(session)
    after = audit.snapshot(incubator)
    if after != before:
        audit.record(session, actor, entity=ENTITY, entity_id=incubator.id,
                     action=AuditAction.UPDATE, before=before, after=after)
    return _detail(session, incubator)
