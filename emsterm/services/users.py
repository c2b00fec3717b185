"""User administration: add users, list them, unlock revoked ones; passwords hashed with argon2."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from emsterm.model import ROLES, AuditAction, User, UserOffice, UserRole
from emsterm.model.lengths import max_length
from emsterm.services import audit
from emsterm.services.audit import as_dict
from emsterm.services.parameters import admin_parameter, office_codes

USER_ID = re.compile(r"[A-Z0-9]{1,8}")
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
