"""Admin services: for administrators only; accounts, incubators, cohorts, targets keep rules."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory, unit_of_work
from db.enums import IndicatorMethod, Role
from db.models import AuditLog, Cohort, Incubator, Indicator, Target, User, UserSession
from tests import factories as f
from tracker.auth import Actor, verify_password
from tracker.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tracker.i18n import t
from tracker.refdata import init_database
from tracker.schemas import (
    CohortCreate,
    CohortUpdate,
    IncubatorUpdate,
    PasswordReset,
    TargetSet,
    UserCreate,
    UserUpdate,
    parse,
)
from tracker.services import cohorts, incubators, reference, sessions, targets, users
from tracker.services.targets import TargetExists
from tracker.services.users import LastAdmin, OwnAccount

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSWORD = "vecā-parole"


def _staff(session: Session, email: str = "darbiniece@inkubators.lv") -> int:
    return users.create_user(session, actor=f.ADMIN, data=UserCreate(
        email=email, full_name="Līga Bērziņa", role=Role.STAFF, incubator_code="VIDZEME",
        password=PASSWORD)).id


def _version(session: Session, model: Any, row_id: int) -> int:
    row = session.get(model, row_id)
    assert row is not None
    return int(row.version)


def _indicator(session: Session, code: str = "ORGS_SUPPORTED") -> int:
    value = session.scalar(select(Indicator.id).where(Indicator.code == code))
    assert value is not None
    return value


def _cohort_data(session: Session, **fields: Any) -> CohortCreate:
    data: dict[str, Any] = {"incubator_id": f.incubator_id(session, "VIDZEME"), "number": 1,
                            "name": "1. cikls", "start_date": "01.03.2025",
                            "end_date": "30.11.2025", "seats": 15} | fields
    return CohortCreate.model_validate(data)


def _incubator_data(session: Session, incubator_id: int, **fields: Any) -> IncubatorUpdate:
    row = session.get(Incubator, incubator_id)
    assert row is not None
    data: dict[str, Any] = {"name_lv": row.name_lv, "name_en": row.name_en,
                            "operator": "Biedrība „Vidzemes NVO centrs”", "budget_eur": "84000",
                            "start_date": row.start_date, "end_date": row.end_date,
                            "version": row.version} | fields
    return IncubatorUpdate.model_validate(data)


def _audit(session: Session, entity: str, entity_id: int) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(
        AuditLog.entity == entity, AuditLog.entity_id == entity_id).order_by(AuditLog.id)))


# --- who may ------------------------------------------------------------------------------------

Call = Callable[[Session, Actor], object]


def _calls(session: Session) -> dict[str, Call]:
    """Every admin service, with arguments that work for an administrator."""
    user_id = _staff(session)
    vidzeme = f.incubator_id(session, "VIDZEME")
    cohort_id = f.cohort(session)
    target = targets.set_target(session, actor=f.ADMIN, data=TargetSet(
        indicator_id=_indicator(session), incubator_id=vidzeme, target_value=Decimal(60)))

    def v(model: Any, row_id: int) -> int:
        return _version(session, model, row_id)

    return {
        "list_users": lambda s, a: users.list_users(s, actor=a),
        "get_user": lambda s, a: users.get_user(s, actor=a, user_id=user_id),
        "update_user": lambda s, a: users.update_user(s, actor=a, user_id=user_id, data=UserUpdate(
            role=Role.MANAGER, version=v(User, user_id))),
        "reset_password": lambda s, a: users.reset_password(
            s, actor=a, user_id=user_id, data=PasswordReset(password="jauna-parole")),
        "deactivate_user": lambda s, a: users.deactivate_user(
            s, actor=a, user_id=user_id, version=v(User, user_id)),
        "reactivate_user": lambda s, a: users.reactivate_user(
            s, actor=a, user_id=user_id, version=v(User, user_id)),
        "list_incubators": lambda s, a: incubators.list_incubators(s, actor=a),
        "get_incubator": lambda s, a: incubators.get_incubator(s, actor=a, incubator_id=vidzeme),
        "update_incubator": lambda s, a: incubators.update_incubator(
            s, actor=a, incubator_id=vidzeme, data=_incubator_data(s, vidzeme)),
        "list_cohorts": lambda s, a: cohorts.list_cohorts(s, actor=a),
        "create_cohort": lambda s, a: cohorts.create_cohort(s, actor=a, data=_cohort_data(s)),
        "update_cohort": lambda s, a: cohorts.update_cohort(
            s, actor=a, cohort_id=cohort_id, data=CohortUpdate(
                number=2, name="2. cikls", start_date=dt.date(2025, 3, 1),
                end_date=dt.date(2025, 12, 1), seats=10, version=v(Cohort, cohort_id))),
        "list_indicators": lambda s, a: targets.list_indicators(s, actor=a),
        "list_targets": lambda s, a: targets.list_targets(s, actor=a),
        "target_years": lambda s, a: targets.target_years(s, actor=a),
        "set_target": lambda s, a: targets.set_target(s, actor=a, data=TargetSet(
            indicator_id=_indicator(s), incubator_id=vidzeme, year=2025,
            target_value=Decimal(30))),
        "delete_target": lambda s, a: targets.delete_target(
            s, actor=a, target_id=target.id, version=v(Target, target.id)),
    }


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_every_admin_service_is_refused_to_other_roles(session: Session, role: Role) -> None:
    calls = _calls(session)
    who = f.actor(session, role)
    audit_before = session.scalar(select(func.count()).select_from(AuditLog))
    for name, call in calls.items():
        with pytest.raises(PermissionDenied):
            call(session, who)
            pytest.fail(f"{name} was allowed for {role}")
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audit_before


def test_every_admin_service_is_allowed_to_an_administrator(session: Session) -> None:
    calls = _calls(session)
    admin = f.actor(session, Role.ADMIN)
    for call in calls.values():
        call(session, admin)


# --- accounts -----------------------------------------------------------------------------------

def test_users_are_listed_in_latvian_order(session: Session) -> None:
    for email, name in [("z@t.lv", "Žanis Ozols"), ("a@t.lv", "Ādams Kalns"),
                        ("b@t.lv", "Zane Liepa"), ("c@t.lv", "Andris Egle")]:
        users.create_user(session, actor=f.ADMIN, data=UserCreate(
            email=email, full_name=name, role=Role.MANAGER))
    listed = [u.full_name for u in users.list_users(session, actor=f.ADMIN)]
    assert listed == ["Andris Egle", "Ādams Kalns", "Zane Liepa", "Žanis Ozols"]


def test_staff_need_an_incubator_and_other_roles_have_none(session: Session) -> None:
    user_id = _staff(session)
    with pytest.raises(ValidationFailed) as exc:
        parse(UserUpdate, {"role": "staff", "incubator_code": "", "version": 1})
    assert exc.value.errors[0].field == "incubator_code"
    assert exc.value.errors[0].code == "staff_needs_incubator"

    manager = users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
        role=Role.MANAGER, incubator_code="VIDZEME", version=_version(session, User, user_id)))
    assert manager.role is Role.MANAGER and manager.incubator_id is None
    assert manager.incubator_code is None

    staff = users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
        role=Role.STAFF, incubator_code="latgale", version=manager.version))
    assert staff.incubator_id == f.incubator_id(session, "LATGALE")
    assert staff.incubator_code == "LATGALE"

    with pytest.raises(ValidationFailed) as exc:
        users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
            role=Role.STAFF, incubator_code="RIGA", version=staff.version))
    assert exc.value.errors[0].field == "incubator_code"


def test_a_role_change_takes_effect_at_the_next_click(session: Session) -> None:
    user_id = _staff(session)
    staff = session.get(User, user_id)
    assert staff is not None
    started = sessions.start_session(session, actor=Actor(
        user_id=user_id, email=staff.email, role=Role.STAFF, incubator_id=staff.incubator_id))
    users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
        role=Role.FUNDER, version=staff.version))
    actor = sessions.check_session(session, session_id=started.session_id)
    assert actor is not None and actor.role is Role.FUNDER and actor.incubator_id is None


def test_the_last_active_administrator_stays(session: Session) -> None:
    only = f.actor(session, Role.ADMIN)
    assert only.user_id is not None
    with pytest.raises(LastAdmin):
        users.update_user(session, actor=f.ADMIN, user_id=only.user_id, data=UserUpdate(
            role=Role.MANAGER, version=_version(session, User, only.user_id)))
    with pytest.raises(LastAdmin):
        users.deactivate_user(session, actor=f.ADMIN, user_id=only.user_id,
                              version=_version(session, User, only.user_id))
    assert "administrator" in LastAdmin().message("en")
    assert "administrator" in LastAdmin().message("lv")

    other = f.actor(session, Role.ADMIN)
    assert other.user_id is not None
    users.deactivate_user(session, actor=only, user_id=other.user_id,
                          version=_version(session, User, other.user_id))
    # An inactive administrator does not count: `only` is the last one again.
    with pytest.raises(LastAdmin):
        users.update_user(session, actor=f.ADMIN, user_id=only.user_id, data=UserUpdate(
            role=Role.FUNDER, version=_version(session, User, only.user_id)))
    stored = session.get(User, only.user_id)
    assert stored is not None and stored.role == "admin" and stored.is_active


def test_an_administrator_cannot_lock_themselves_out(session: Session) -> None:
    me = f.actor(session, Role.ADMIN)
    f.actor(session, Role.ADMIN)  # not the last administrator
    assert me.user_id is not None
    with pytest.raises(OwnAccount):
        users.deactivate_user(session, actor=me, user_id=me.user_id,
                              version=_version(session, User, me.user_id))
    with pytest.raises(OwnAccount):
        users.update_user(session, actor=me, user_id=me.user_id, data=UserUpdate(
            role=Role.MANAGER, version=_version(session, User, me.user_id)))
    renamed = users.update_user(session, actor=me, user_id=me.user_id, data=UserUpdate(
        full_name="Ilze Kalniņa", role=Role.ADMIN, version=_version(session, User, me.user_id)))
    assert renamed.full_name == "Ilze Kalniņa" and renamed.role is Role.ADMIN


def test_two_administrators_removing_each_other_at_once(new_database_url: str) -> None:
    """The second removal waits for the first and is then refused: one administrator stays."""
    engine = make_engine(new_database_url)
    init_database(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        ids = [users.create_user(session, actor=f.ADMIN, data=UserCreate(
            email=f"admin{n}@test.lv", role=Role.ADMIN)).id for n in (1, 2)]
    first, second = (Actor(user_id=i, email=f"admin{n}@test.lv", role=Role.ADMIN)
                     for n, i in enumerate(ids, start=1))
    outcome: list[str] = []

    def remove_the_first() -> None:
        with factory() as other:
            try:
                users.update_user(other, actor=second, user_id=ids[0], data=UserUpdate(
                    role=Role.MANAGER, version=1))
                other.commit()
                outcome.append("removed")
            except LastAdmin:
                other.rollback()
                outcome.append("refused")

    try:
        with factory() as one:
            users.update_user(one, actor=first, user_id=ids[1], data=UserUpdate(
                role=Role.MANAGER, version=1))
            racer = threading.Thread(target=remove_the_first)
            racer.start()
            racer.join(0.5)
            assert racer.is_alive()  # waits for the first removal's locks
            one.commit()
        racer.join(30)
        assert outcome == ["refused"]
        with factory() as check:
            roles = check.scalars(select(User.role).order_by(User.id)).all()
        assert roles == ["admin", "manager"]
    finally:
        engine.dispose()


def _signed_in(session: Session, user_id: int) -> int:
    user = session.get(User, user_id)
    assert user is not None
    return sessions.start_session(session, actor=Actor(
        user_id=user.id, email=user.email, role=Role(user.role),
        incubator_id=user.incubator_id)).session_id


def test_deactivating_ends_every_session_and_sign_in(session: Session) -> None:
    user_id = _staff(session)
    first, second = _signed_in(session, user_id), _signed_in(session, user_id)
    bystander = _signed_in(session, _staff(session, "cits@inkubators.lv"))
    gone = users.deactivate_user(session, actor=f.ADMIN, user_id=user_id,
                                 version=_version(session, User, user_id))
    assert not gone.is_active
    for session_id in (first, second):
        row = session.get(UserSession, session_id)
        assert row is not None and row.revoked_at is not None
        assert sessions.check_session(session, session_id=session_id) is None
    assert sessions.check_session(session, session_id=bystander) is not None
    assert users.authenticate(session, email="darbiniece@inkubators.lv",
                              password=PASSWORD) is None
    entry = _audit(session, "user", user_id)[-1]
    assert entry.action == "status" and entry.after is not None
    assert entry.after["is_active"] is False and entry.after["sessions_ended"] == 2

    back = users.reactivate_user(session, actor=f.ADMIN, user_id=user_id, version=gone.version)
    assert back.is_active
    assert users.authenticate(session, email="darbiniece@inkubators.lv",
                              password=PASSWORD) is not None


def test_reset_password_lifts_the_lockout_and_ends_sessions(session: Session) -> None:
    user_id = _staff(session)
    open_session = _signed_in(session, user_id)
    for attempt in range(users.MAX_FAILED_LOGINS):
        users.authenticate(session, email="darbiniece@inkubators.lv", password="x",
                           at=T0 + dt.timedelta(seconds=attempt))
    locked = session.get(User, user_id)
    assert locked is not None and locked.locked_until is not None
    now = dt.datetime.now(dt.UTC)
    locked.locked_until = now + dt.timedelta(minutes=10)  # locked right now
    locked.failed_logins = 3
    session.flush()
    assert users.get_user(session, actor=f.ADMIN, user_id=user_id).locked

    done = users.reset_password(session, actor=f.ADMIN, user_id=user_id,
                                data=PasswordReset(password="jauna parole 2"))
    assert not done.locked
    stored = session.get(User, user_id)
    assert stored is not None and stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, "jauna parole 2")
    assert stored.failed_logins == 0 and stored.locked_until is None
    assert sessions.check_session(session, session_id=open_session) is None
    assert users.authenticate(session, email="darbiniece@inkubators.lv",
                              password=PASSWORD) is None
    assert users.authenticate(session, email="darbiniece@inkubators.lv",
                              password="jauna parole 2") is not None

    entry = next(e for e in _audit(session, "user", user_id) if e.after and
                 e.after.get("password_reset"))
    written = json.dumps([entry.before, entry.after])
    assert "password_hash" not in written and "jauna parole" not in written
    assert stored.password_hash not in written


def test_a_short_password_is_refused_at_its_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(PasswordReset, {"password": "abc"})
    assert exc.value.errors[0].field == "password"
    assert exc.value.errors[0].code == "password_too_short"
    assert parse(PasswordReset, {"password": " ab "}).password == " ab "  # used as typed


def test_an_outdated_copy_of_a_user_is_refused(session: Session) -> None:
    user_id = _staff(session)
    version = _version(session, User, user_id)
    users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
        full_name="Cits vārds", role=Role.STAFF, incubator_code="VIDZEME", version=version))
    with pytest.raises(StaleVersion):
        users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
            role=Role.MANAGER, version=version))
    with pytest.raises(StaleVersion):
        users.deactivate_user(session, actor=f.ADMIN, user_id=user_id, version=version)


def test_user_changes_are_audited_without_secrets(session: Session) -> None:
    user_id = _staff(session)
    users.update_user(session, actor=f.ADMIN, user_id=user_id, data=UserUpdate(
        full_name="Līga Bērziņa", role=Role.MANAGER, version=_version(session, User, user_id)))
    entries = _audit(session, "user", user_id)
    assert [e.action for e in entries] == ["create", "update"]
    update = entries[-1]
    assert update.before is not None and update.after is not None
    assert update.before["role"] == "staff" and update.after["role"] == "manager"
    assert update.after["incubator_id"] is None
    assert all("password_hash" not in (e.before or {}) | (e.after or {}) for e in entries)


# --- incubators ---------------------------------------------------------------------------------

def test_incubators_are_edited_inside_the_programme(session: Session) -> None:
    vidzeme = f.incubator_id(session, "VIDZEME")
    listed = incubators.list_incubators(session, actor=f.ADMIN)
    assert [i.code for i in listed] == ["KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"]
    assert listed[0].program_start == dt.date(2025, 1, 1)

    saved = incubators.update_incubator(session, actor=f.ADMIN, incubator_id=vidzeme,
                                        data=_incubator_data(session, vidzeme,
                                                             start_date="01.02.2025"))
    assert saved.operator == "Biedrība „Vidzemes NVO centrs”"
    assert saved.budget_eur == Decimal("84000") and saved.start_date == dt.date(2025, 2, 1)
    entry = _audit(session, "incubator", vidzeme)[-1]
    assert entry.before is not None and entry.after is not None
    assert entry.before["start_date"] == "2025-01-01" and entry.after["start_date"] == "2025-02-01"

    with pytest.raises(ValidationFailed) as exc:
        incubators.update_incubator(session, actor=f.ADMIN, incubator_id=vidzeme,
                                    data=_incubator_data(session, vidzeme,
                                                         start_date="2024-12-31",
                                                         end_date="2027-01-01"))
    assert {e.field for e in exc.value.errors} == {"start_date", "end_date"}
    assert all(e.code == "date_outside_programme" for e in exc.value.errors)

    with pytest.raises(ValidationFailed) as exc:
        parse(IncubatorUpdate, {"name_lv": "X", "name_en": "Vidzeme", "start_date": "2025-06-01",
                                "end_date": "2025-05-01", "budget_eur": "-1", "version": 1})
    assert {e.field for e in exc.value.errors} >= {"name_lv", "budget_eur"}
    with pytest.raises(ValidationFailed) as exc:
        parse(IncubatorUpdate, {"name_lv": "Vidzeme", "name_en": "Vidzeme",
                                "start_date": "2025-06-01", "end_date": "2025-05-01",
                                "version": 1})
    assert [e.field for e in exc.value.errors] == ["end_date"]

    with pytest.raises(StaleVersion):
        incubators.update_incubator(session, actor=f.ADMIN, incubator_id=vidzeme,
                                    data=_incubator_data(session, vidzeme, version=1))


# --- cohorts ------------------------------------------------------------------------------------

def test_a_cohort_number_is_unique_per_incubator(session: Session) -> None:
    first = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session))
    assert first.number == 1 and first.enrollments == 0 and first.seats == 15
    count = session.scalar(select(func.count()).select_from(Cohort))
    with pytest.raises(ValidationFailed) as exc:
        cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session, name="Cits"))
    assert exc.value.errors[0].field == "number"
    assert exc.value.errors[0].code == "cohort_number_taken"
    assert "1" in exc.value.message("lv")
    assert session.scalar(select(func.count()).select_from(Cohort)) == count

    other = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(
        session, incubator_id=f.incubator_id(session, "KURZEME")))
    assert other.number == 1
    second = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session, number=2))
    with pytest.raises(ValidationFailed) as exc:
        cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=second.id, data=CohortUpdate(
            number=1, name="2. cikls", start_date=second.start_date, end_date=second.end_date,
            version=second.version))
    assert exc.value.errors[0].field == "number"
    listed = cohorts.list_cohorts(session, actor=f.ADMIN,
                                  incubator_id=f.incubator_id(session, "VIDZEME"))
    assert [c.number for c in listed if c.id in (first.id, second.id)] == [1, 2]


def test_cohort_dates_and_seats(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(
            session, start_date="15.12.2024"))
    assert [e.field for e in exc.value.errors] == ["start_date"]
    assert exc.value.errors[0].code == "date_outside_programme"
    assert "31.12.2026" in exc.value.message("lv")

    with pytest.raises(ValidationFailed) as exc:
        parse(CohortCreate, {"incubator_id": 1, "number": 1, "name": "X",
                             "start_date": "01.06.2025", "end_date": "01.03.2025"})
    assert [(e.field, e.code) for e in exc.value.errors] == [("end_date", "date_order")]

    with pytest.raises(ValidationFailed) as exc:
        parse(CohortCreate, {"incubator_id": 1, "number": 1, "name": "X", "seats": -1,
                             "start_date": "01.03.2025", "end_date": "01.06.2025"})
    assert exc.value.errors[0].field == "seats"
    with pytest.raises(ValidationFailed) as exc:
        cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session, seats=20_000))
    assert exc.value.errors[0].field == "seats"
    with pytest.raises(ValidationFailed) as exc:
        cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session,
                                                                        incubator_id=99_999))
    assert exc.value.errors[0].field == "incubator_id"
    zero = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session, seats=0))
    assert zero.seats == 0


def test_cohort_edits_are_versioned_and_audited(session: Session) -> None:
    created = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session))
    changed = cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id,
                                    data=CohortUpdate(number=1, name="Pavasara cikls",
                                                      start_date=created.start_date,
                                                      end_date=dt.date(2025, 12, 31),
                                                      seats=None, version=created.version))
    assert changed.name == "Pavasara cikls" and changed.seats is None
    assert changed.version == created.version + 1
    with pytest.raises(StaleVersion):
        cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id, data=CohortUpdate(
            number=3, name="Vecā kopija", start_date=created.start_date,
            end_date=created.end_date, version=created.version))
    with pytest.raises(ValidationFailed) as exc:
        cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id, data=CohortUpdate(
            number=1, name="X", start_date=created.start_date, end_date=dt.date(2027, 1, 31),
            version=changed.version))
    assert exc.value.errors[0].field == "end_date"
    assert [e.action for e in _audit(session, "cohort", created.id)] == ["create", "update"]


def test_cohort_call_dates(session: Session) -> None:
    """The call for applications: optional, inside the programme, closes on or after it opens
    and by the cycle's end; a wrong date is reported at its own field."""
    created = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(
        session, call_opens_on="15.01.2025", call_closes_on="2025-02-14"))
    assert (created.call_opens_on, created.call_closes_on) == (dt.date(2025, 1, 15),
                                                               dt.date(2025, 2, 14))
    row = session.get(Cohort, created.id)
    assert row is not None and row.call_closes_on == dt.date(2025, 2, 14)
    listed = cohorts.list_cohorts(session, actor=f.ADMIN, incubator_id=created.incubator_id)
    assert [c.call_opens_on for c in listed if c.id == created.id] == [dt.date(2025, 1, 15)]

    # Either may be empty: an open call, or none recorded.
    only_opens = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(
        session, number=2, call_opens_on="01.02.2025", call_closes_on=""))
    assert (only_opens.call_opens_on, only_opens.call_closes_on) == (dt.date(2025, 2, 1), None)
    plain = cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(session, number=3))
    assert (plain.call_opens_on, plain.call_closes_on) == (None, None)

    # Closing before opening, or after the cycle ends: the closing date is wrong.
    with pytest.raises(ValidationFailed) as exc:
        parse(CohortCreate, {"incubator_id": 1, "number": 1, "name": "X",
                             "start_date": "01.03.2025", "end_date": "30.11.2025",
                             "call_opens_on": "14.02.2025", "call_closes_on": "13.02.2025"})
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("call_closes_on", "call_closes_before_opens")]
    assert exc.value.message("lv").startswith("Pieteikšanās beigas: ")
    assert exc.value.message("en").startswith("Call for applications closes: ")
    with pytest.raises(ValidationFailed) as exc:
        parse(CohortUpdate, {"number": 1, "name": "X", "start_date": "01.03.2025",
                             "end_date": "30.11.2025", "call_closes_on": "01.12.2025",
                             "version": 1})
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("call_closes_on", "call_after_cycle_end")]
    assert "30.11.2025" in exc.value.message("lv")
    with pytest.raises(ValidationFailed) as exc:
        parse(CohortCreate, {"incubator_id": 1, "number": 1, "name": "X",
                             "start_date": "01.03.2025", "end_date": "30.11.2025",
                             "call_opens_on": "01.12.2025"})
    assert [e.field for e in exc.value.errors] == ["call_opens_on"]

    # Outside the programme, like the cycle's own dates.
    count = session.scalar(select(func.count()).select_from(Cohort))
    with pytest.raises(ValidationFailed) as exc:
        cohorts.create_cohort(session, actor=f.ADMIN, data=_cohort_data(
            session, number=4, call_opens_on="01.12.2024", call_closes_on="31.01.2025"))
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("call_opens_on", "date_outside_programme")]
    assert session.scalar(select(func.count()).select_from(Cohort)) == count

    # Update: change, refuse outside the programme, then clear.
    changed = cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id,
                                    data=CohortUpdate(
                                        number=1, name=created.name,
                                        start_date=created.start_date,
                                        end_date=created.end_date,
                                        call_opens_on=dt.date(2025, 1, 6),
                                        call_closes_on=dt.date(2025, 3, 1),
                                        version=created.version))
    assert (changed.call_opens_on, changed.call_closes_on) == (dt.date(2025, 1, 6),
                                                               dt.date(2025, 3, 1))
    with pytest.raises(ValidationFailed) as exc:
        cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id, data=CohortUpdate(
            number=1, name=created.name, start_date=created.start_date,
            end_date=created.end_date, call_opens_on=dt.date(2024, 11, 1),
            version=changed.version))
    assert [e.field for e in exc.value.errors] == ["call_opens_on"]
    cleared = cohorts.update_cohort(session, actor=f.ADMIN, cohort_id=created.id,
                                    data=CohortUpdate(
                                        number=1, name=created.name,
                                        start_date=created.start_date,
                                        end_date=created.end_date, call_opens_on="",
                                        version=changed.version))
    assert (cleared.call_opens_on, cleared.call_closes_on) == (None, None)
    audited = _audit(session, "cohort", created.id)
    assert [e.action for e in audited] == ["create", "update", "update"]


# --- indicators and targets ---------------------------------------------------------------------

def test_every_indicator_method_has_a_label() -> None:
    for method in IndicatorMethod:
        assert t(f"admin.method.{method.value}", "lv") and t(f"admin.method.{method.value}", "en")


def test_indicators_are_listed_with_their_method(session: Session) -> None:
    listed = targets.list_indicators(session, actor=f.ADMIN)
    assert listed[0].code == "ORGS_SUPPORTED"
    trained = next(i for i in listed if i.code == "PEOPLE_TRAINED")
    assert trained.method.value == "people_trained" and trained.parameter is None
    assert trained.unit("lv") == "personas" and trained.unit("en") == "people"
    attendances = next(i for i in listed if i.code == "TRAINING_ATTENDANCES")
    assert attendances.method.value == "attendees" and attendances.parameter == "training"
    assert attendances.unit("lv") == "apmeklējumi" and attendances.unit("en") == "attendances"
    assert targets.target_years(session, actor=f.ADMIN) == [2025, 2026]


def test_one_target_per_scope_with_consistent_key_columns(session: Session) -> None:
    indicator = _indicator(session)
    vidzeme = f.incubator_id(session, "VIDZEME")
    # The reference data already sets 250 for the whole programme and period.
    with pytest.raises(TargetExists):
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=indicator, target_value=Decimal(300)))

    scopes = [(None, 2025), (vidzeme, None), (vidzeme, 2026)]
    made = {scope: targets.set_target(session, actor=f.ADMIN, data=TargetSet(
        indicator_id=indicator, incubator_id=scope[0], year=scope[1],
        target_value=Decimal(value))) for scope, value in zip(scopes, (120, 60, 35), strict=True)}
    rows = {(t.incubator_id, t.year): (t.incubator_key, t.year_key, t.target_value)
            for t in session.scalars(select(Target).where(Target.indicator_id == indicator))}
    assert rows == {(None, None): (0, 0, Decimal("250.00")),
                    (None, 2025): (0, 2025, Decimal("120.00")),
                    (vidzeme, None): (vidzeme, 0, Decimal("60.00")),
                    (vidzeme, 2026): (vidzeme, 2026, Decimal("35.00"))}

    with pytest.raises(TargetExists):
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=indicator, incubator_id=vidzeme, year=2026, target_value=Decimal(1)))
    first = made[(vidzeme, 2026)]
    changed = targets.set_target(session, actor=f.ADMIN, data=TargetSet(
        indicator_id=indicator, incubator_id=vidzeme, year=2026, target_value=Decimal("40.5"),
        version=first.version))
    assert changed.id == first.id and changed.target_value == Decimal("40.5")
    assert changed.version == first.version + 1
    with pytest.raises(StaleVersion):  # someone else's change came in between
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=indicator, incubator_id=vidzeme, year=2026, target_value=Decimal(2),
            version=first.version))

    listed = targets.list_targets(session, actor=f.ADMIN, indicator_id=indicator)
    assert [(t.incubator_id, t.year) for t in listed] == [
        (None, None), (None, 2025), (vidzeme, None), (vidzeme, 2026)]
    assert [e.action for e in _audit(session, "target", first.id)] == ["create", "update"]


def test_target_scope_must_exist_in_the_programme(session: Session) -> None:
    indicator = _indicator(session, "DOCS_MONITORED")
    with pytest.raises(ValidationFailed) as exc:
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=indicator, year=2027, target_value=Decimal(10)))
    assert [(e.field, e.code) for e in exc.value.errors] == [("year", "year_outside_programme")]
    with pytest.raises(ValidationFailed) as exc:
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=indicator, incubator_id=99_999, target_value=Decimal(10)))
    assert exc.value.errors[0].field == "incubator_id"
    with pytest.raises(ValidationFailed) as exc:
        targets.set_target(session, actor=f.ADMIN, data=TargetSet(
            indicator_id=99_999, target_value=Decimal(10)))
    assert exc.value.errors[0].field == "indicator_id"
    with pytest.raises(ValidationFailed) as exc:
        parse(TargetSet, {"indicator_id": indicator, "target_value": "-5"})
    assert exc.value.errors[0].field == "target_value"
    assert parse(TargetSet, {"indicator_id": indicator, "incubator_id": "", "year": "",
                             "target_value": "12,5"}).target_value == Decimal("12.5")


def test_removing_a_target(session: Session) -> None:
    indicator = _indicator(session, "CONSULTATIONS")
    made = targets.set_target(session, actor=f.ADMIN, data=TargetSet(
        indicator_id=indicator, year=2025, target_value=Decimal(400)))
    with pytest.raises(StaleVersion):
        targets.delete_target(session, actor=f.ADMIN, target_id=made.id,
                              version=made.version + 1)
    targets.delete_target(session, actor=f.ADMIN, target_id=made.id, version=made.version)
    assert session.get(Target, made.id) is None
    assert targets.list_targets(session, actor=f.ADMIN, indicator_id=indicator) == []
    entries = _audit(session, "target", made.id)
    assert [e.action for e in entries] == ["create", "delete"]
    assert entries[-1].before is not None and entries[-1].before["target_value"] == "400.00"
    with pytest.raises(StaleVersion):  # already gone
        targets.delete_target(session, actor=f.ADMIN, target_id=made.id, version=made.version)
    # The scope is free again.
    again = targets.set_target(session, actor=f.ADMIN, data=TargetSet(
        indicator_id=indicator, year=2025, target_value=Decimal(380)))
    assert again.target_value == Decimal(380)


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70, -(2**70)])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    admin = f.actor(session, Role.ADMIN)
    with pytest.raises(NotFound):
        users.get_user(session, actor=admin, user_id=huge)
    for change in (users.deactivate_user, users.reactivate_user):
        with pytest.raises(NotFound):
            change(session, actor=admin, user_id=huge, version=1)
    with pytest.raises(NotFound):
        users.update_user(session, actor=admin, user_id=huge,
                          data=UserUpdate(role=Role.FUNDER, version=1))
    with pytest.raises(NotFound):
        users.reset_password(session, actor=admin, user_id=huge,
                             data=PasswordReset(password="jauna-parole"))
    with pytest.raises(NotFound):
        incubators.get_incubator(session, actor=admin, incubator_id=huge)
    with pytest.raises(NotFound):
        cohorts.update_cohort(session, actor=admin, cohort_id=huge, data=CohortUpdate(
            number=1, name="Cikls", start_date=dt.date(2025, 2, 1),
            end_date=dt.date(2025, 6, 30), version=1))
    with pytest.raises(StaleVersion):  # as for a target someone removed meanwhile
        targets.delete_target(session, actor=admin, target_id=huge, version=1)
    f.cohort(session)
    assert cohorts.list_cohorts(session, actor=admin, incubator_id=huge) == []
    assert reference.list_cohorts(session, actor=admin, incubator_id=huge) == []
    assert targets.list_targets(session, actor=admin, indicator_id=huge) == []


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70])
def test_a_form_naming_an_id_beyond_the_integer_range_is_refused_at_the_field(
        session: Session, huge: int) -> None:
    admin = f.actor(session, Role.ADMIN)
    with pytest.raises(ValidationFailed) as refused:
        cohorts.create_cohort(session, actor=admin, data=CohortCreate(
            incubator_id=huge, number=1, name="Cikls", start_date=dt.date(2025, 2, 1),
            end_date=dt.date(2025, 6, 30)))
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("incubator_id", "unknown_incubator")]
    indicator = session.scalars(select(Indicator.id)).first()
    assert indicator is not None
    for data, field, code in (
            (TargetSet(indicator_id=huge, target_value=Decimal(1)), "indicator_id",
             "unknown_indicator"),
            (TargetSet(indicator_id=indicator, incubator_id=huge, target_value=Decimal(1)),
             "incubator_id", "unknown_incubator")):
        with pytest.raises(ValidationFailed) as refused:
            targets.set_target(session, actor=admin, data=data)
        assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
