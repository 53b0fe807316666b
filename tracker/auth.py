"""Who is acting (Actor), what each role may do, and password hashing (argon2id)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.enums import Role
from tracker.errors import PermissionDenied

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


@dataclass(frozen=True)
class Actor:
    """The person (or the system) a service acts for: role and incubator scope."""

    user_id: int | None
    email: str
    role: Role
    incubator_id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        """The command line and reference-data loader: acts as an administrator."""
        return cls(user_id=None, email="system", role=Role.ADMIN)

    @property
    def is_manager(self) -> bool:
        """Managers and administrators see and change every incubator's data."""
        return self.role in (Role.ADMIN, Role.MANAGER)


def require_writer(actor: Actor) -> None:
    """Funders read only."""
    if actor.role is Role.FUNDER:
        raise PermissionDenied()


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise PermissionDenied()


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied()


def require_incubator(actor: Actor, incubator_id: int | None) -> None:
    """Staff act only within their own incubator; managers everywhere; funders never."""
    require_writer(actor)
    if actor.is_manager:
        return
    if incubator_id is None or actor.incubator_id != incubator_id:
        raise PermissionDenied()


class Area(StrEnum):
    """The parts of the app; each role sees only its own (checked again by every service)."""

    HOME = "home"
    OVERVIEW = "overview"
    ACTIVITIES = "activities"
    ORGANIZATIONS = "organizations"
    PEOPLE = "people"
    DIALOGUE = "dialogue"
    CAPACITY = "capacity"
    FORECAST = "forecast"
    REGIONS = "regions"
    JOURNEYS = "journeys"
    REPORTS = "reports"
    IMPORTS = "imports"
    REVIEW = "review"
    QUARTERS = "quarters"
    ADMIN_USERS = "admin_users"
    ADMIN_INCUBATORS = "admin_incubators"
    ADMIN_COHORTS = "admin_cohorts"
    ADMIN_TARGETS = "admin_targets"
    ADMIN_AUDIT = "admin_audit"


_WORKERS = frozenset({Role.ADMIN, Role.MANAGER, Role.STAFF})
_ADMIN = frozenset({Role.ADMIN})
_MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})  # review and quarter closing
_READERS = frozenset({Role.ADMIN, Role.MANAGER, Role.FUNDER})  # programme-wide numbers
AREA_ROLES: dict[Area, frozenset[Role]] = {
    Area.HOME: frozenset(Role),
    Area.OVERVIEW: _READERS,
    Area.ACTIVITIES: _WORKERS,
    Area.ORGANIZATIONS: _WORKERS,
    Area.PEOPLE: _WORKERS,  # personal data: never funders
    Area.DIALOGUE: frozenset(Role),  # funders: the aggregates and documents' public facts
    Area.CAPACITY: _WORKERS,
    Area.FORECAST: _READERS,
    Area.REGIONS: _READERS,
    Area.JOURNEYS: _READERS,
    Area.REPORTS: _READERS,
    Area.IMPORTS: _WORKERS,  # funders never: they read only
    Area.REVIEW: _MANAGERS,
    Area.QUARTERS: _MANAGERS,
    Area.ADMIN_USERS: _ADMIN,
    Area.ADMIN_INCUBATORS: _ADMIN,
    Area.ADMIN_COHORTS: _ADMIN,
    Area.ADMIN_TARGETS: _ADMIN,
    Area.ADMIN_AUDIT: _ADMIN,
}


def can_open(actor: Actor, area: Area) -> bool:
    """Whether the actor's role may see this part of the app."""
    return actor.role in AREA_ROLES[area]


def require_area(actor: Actor, area: Area) -> None:
    """Refuse a service of a part of the app the actor's role may not open."""
    if not can_open(actor, area):
        raise PermissionDenied()


def can_see_personal_data(actor: Actor) -> bool:
    """Contact persons' details are for the people who work with the organisations."""
    return actor.role is not Role.FUNDER


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
