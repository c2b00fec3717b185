"""User administration: add users, list them, unlock revoked ones; passwords hashed with argon2."""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from emsterm.model import ROLES, AuditAction, RoleCode, User, UserOffice, UserRole
from emsterm.model.lengths import max_length
from emsterm.services import audit
from emsterm.services.audit import as_dict
from emsterm.services.parameters import admin_parameter, office_codes

USER_ID_LENGTH = 8
"""The longest user id."""
USER_ID = re.compile(rf"[A-Z0-9]{{1,{USER_ID_LENGTH}}}")
_hasher = PasswordHasher()
_AUDITED = ["user_id", "name", "office_code", "revoked", "failed_attempts", "must_change_password"]


class UserExists(ValueError):
    """A user id that is already taken: the request is sound, the database says no."""


class UserError(ValueError):
    """A user request that cannot be carried out; the message names the field."""


def normalise_user_id(text: str) -> str:
    """Upper-case a user id and check its mainframe form: 1-8 letters and digits."""
    user_id = text.strip().upper()
    if not USER_ID.fullmatch(user_id):
        raise UserError(f"user id {text!r} must be 1 to 8 letters and digits")
    return user_id


def hash_password(password: str) -> str:
    """The argon2 hash of a password."""
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown user id, so that the time a refusal takes tells nothing (made on
    first use: an argon2 hash is too slow to make each time `ems` starts)."""
    return _hasher.hash("no user has this password")


def password_matches(user: User | None, password: str) -> bool:
    """Whether the password is the user's; an unknown user (or one without a password) costs
    the same hash check as a known one, and fails."""
    stored = user.password_hash if user is not None else None
    try:
        matched = _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored) and matched


class NotAllowed(ValueError):
    """A user id and password that do not give the role a command needs: one line, the same for an
    unknown user id and a wrong password."""


def authenticate(session: Session, user_id: str, password: str, role: RoleCode) -> User:
    """The user with this id and password who holds `role`; NotAllowed otherwise (changes nothing:
    the terminal's sign-on is where failures count towards a revoke)."""
    user = session.get(User, user_id.strip().upper()) if user_id.strip() else None
    if not password_matches(user, password) or user is None:
        raise NotAllowed("user id or password not accepted")
    if user.revoked:
        raise NotAllowed(f"user id {user.user_id} is revoked")
    if role not in user.role_codes:
        raise NotAllowed(f"user {user.user_id} does not have the {role.value} role")
    return user


def check_password_rules(session: Session, password: str, on: dt.date) -> None:
    """Refuse a password shorter than the PASSWORD_MIN_LENGTH parameter."""
    minimum = int(admin_parameter(session, "PASSWORD_MIN_LENGTH", on))
    if len(password) < minimum:
        raise UserError(f"password must have at least {minimum} characters")


@dataclass(frozen=True)
class NewUser:
    """What `add_user` needs to create a user."""

    user_id: str
    roles: tuple[str, ...]
    office: str
    password: str | None
    name: str = ""
    scope: tuple[str, ...] = ()


def add_user(session: Session, request: NewUser, on: dt.date) -> User:
    """Create a user with roles, a home office and an office scope; audit it."""
    user_id = normalise_user_id(request.user_id)
    if session.get(User, user_id) is not None:
        raise UserExists(f"user id {user_id} already exists")
    if not request.roles:
        raise UserError("at least one --role is required")
    for role in request.roles:
        if role not in ROLES:
            raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    offices = office_codes(session, on)
    office = request.office.strip().upper()
    scope = {office, *(s.strip().upper() for s in request.scope)}
    for code in sorted(scope):
        if code not in offices:
            raise UserError(f"office {code!r} is not a DSS office ({', '.join(offices)})")
    longest = max_length(User, "name")
    if longest is not None and len(request.name) > longest:
        raise UserError(f"--name may have at most {longest} characters, not {len(request.name):,}")
    password_hash = None
    if request.password is not None:
        check_password_rules(session, request.password, on)
        password_hash = hash_password(request.password)
    user = User(
        user_id=user_id,
        name=request.name,
        office_code=office,
        password_hash=password_hash,
        password_changed=on if password_hash else None,
        must_change_password=True,
        roles=[UserRole(role_code=r) for r in sorted(set(request.roles))],
        offices=[UserOffice(office_code=o) for o in sorted(scope)],
    )
    session.add(user)
    after = as_dict(user, _AUDITED) | {"roles": sorted(set(request.roles)), "scope": sorted(scope)}
    audit.record(session, AuditAction.INSERT, "USER", user_id, after=after)
    return user


TRAINEE_PREFIX = "TRN"
"""Trainee user ids are TRN001, TRN002, ..."""
_PASSWORD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""The letters of a first password: no 0/O or 1/I to misread from a printed list."""


def trainee_ids(taken: set[str], count: int) -> list[str]:
    """The next `count` trainee user ids (TRN001, TRN002, ...) that are not in `taken`."""
    digits = USER_ID_LENGTH - len(TRAINEE_PREFIX)
    chosen: list[str] = []
    number = 0
    while len(chosen) < count:
        number += 1
        if number >= 10**digits:
            raise UserError(f"no trainee user id is left after {TRAINEE_PREFIX}{'9' * digits}")
        user_id = f"{TRAINEE_PREFIX}{number:03d}"
        if user_id not in taken:
            chosen.append(user_id)
    return chosen


def trainee_ids_taken(session: Session) -> set[str]:
    """The user ids of the database that look like trainee ids."""
    return set(session.scalars(select(User.user_id).where(User.user_id.startswith(TRAINEE_PREFIX))))


def first_password(session: Session, on: dt.date) -> str:
    """A random first password long enough for PASSWORD_MIN_LENGTH (and at least 8)."""
    length = max(8, int(admin_parameter(session, "PASSWORD_MIN_LENGTH", on)))
    return "".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(length))


def add_trainee(session: Session, user_id: str, password: str, office: str, on: dt.date) -> User:
    """A trainee user: roles worker and trainee, a first password to change at first sign-on."""
    roles = (RoleCode.WORKER.value, RoleCode.TRAINEE.value)
    name = f"Trainee {user_id.removeprefix(TRAINEE_PREFIX).lstrip('0')}"
    return add_user(session, NewUser(user_id, roles, office, password, name=name), on)


def list_users(session: Session) -> list[User]:
    """Every user, with roles and scope loaded, in user id order."""
    query = select(User).options(selectinload(User.roles), selectinload(User.offices)).order_by(User.user_id)
    return list(session.scalars(query))


def unlock_user(session: Session, user_id: str) -> User:
    """Lift a revoke: clear failed attempts so the user can sign on again; audit it."""
    user_id = normalise_user_id(user_id)
    user = session.get(User, user_id)
    if user is None:
        raise UserError(f"user id {user_id} does not exist")
    before = as_dict(user, _AUDITED)
    user.revoked = False
    user.failed_attempts = 0
    audit.record(session, AuditAction.UNLOCK, "USER", user_id, before=before, after=as_dict(user, _AUDITED))
    return user


def user_status(user: User) -> str:
    """REVOKED, NOPASSWD (cannot sign on yet) or ACTIVE."""
    if user.revoked:
        return "REVOKED"
    if user.password_hash is None:
        return "NOPASSWD"
    return "ACTIVE"
