"""Sign-on, password change, sign-off and refused access: the security transactions.

Every sign-on, failure, revoke, password change and sign-off goes to the audit trail. The
number of attempts, the password life and the idle timeout are administrative parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy.orm import Session

from emsterm.model import AuditAction, User, acting_as
from emsterm.model.base import utcnow
from emsterm.screens.kit.conversation import Context, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.services import audit
from emsterm.services.parameters import admin_parameter
from emsterm.services.users import UserError, check_password_rules, hash_password, password_matches

MAIN_MENU = "EMS0100"
_PASSWORDS = ("password", "new_password", "new_password2")


def password_expired(session: Session, user: User, on: dt.date) -> bool:
    """Whether the user must set a new password before signing on."""
    if user.must_change_password or user.password_changed is None:
        return True
    days = int(admin_parameter(session, "PASSWORD_DAYS", on))
    return on >= user.password_changed + dt.timedelta(days=days)


def sign_on(session: Session, request: Request) -> Reply:
    """Check the user id and password; revoke after too many failures; force expired changes."""
    context, values = request.context, request.values
    on = context.business_date
    catalog = Catalog.load(session, on)
    if request.aid == "INIT":
        return Reply(context, message=catalog.message("EMS001I"), cursor="userid")
    user_id = values.get("userid", "").strip().upper()
    password = values.get("password", "")
    user = session.get(User, user_id) if user_id else None
    if not password_matches(user, password) or user is None or user.revoked:
        return _failed(session, catalog, context, user_id, user)
    with acting_as(user.user_id):
        if password_expired(session, user, on):
            changed = _change_password(session, catalog, context, user, values, password)
            if isinstance(changed, Reply):
                return changed
        user.failed_attempts = 0
        user.last_signon = utcnow()
        audit.record(session, AuditAction.SIGNON, "USER", user.user_id)
    signed_on = replace(
        context,
        user_id=user.user_id,
        name=user.name,
        roles=tuple(user.role_codes),
        office=user.office_code,
        scope=tuple(user.office_scope),
        idle_minutes=int(admin_parameter(session, "IDLE_MINUTES", on)),
    )
    return Reply(signed_on, message=catalog.message("EMS005I"), next_screen=MAIN_MENU, clear=_PASSWORDS)


def _failed(session: Session, catalog: Catalog, context: Context, user_id: str, user: User | None) -> Reply:
    if user is not None and user.revoked:
        audit.record(session, AuditAction.SIGNON_FAILED, "USER", user_id, user_id=user_id, detail="user id is revoked")
        return Reply(context, message=catalog.message("EMS003E"), errors=("userid",), clear=_PASSWORDS)
    if user is None:
        audit.record(
            session, AuditAction.SIGNON_FAILED, "USER", user_id or "-", user_id=user_id or "-", detail="unknown user id"
        )
        return _refused(context, catalog)
    user.failed_attempts += 1
    audit.record(
        session,
        AuditAction.SIGNON_FAILED,
        "USER",
        user_id,
        user_id=user_id,
        detail=f"wrong password, attempt {user.failed_attempts}",
    )
    limit = int(admin_parameter(session, "SIGNON_ATTEMPTS", context.business_date))
    if user.failed_attempts >= limit:
        user.revoked = True
        audit.record(
            session,
            AuditAction.REVOKE,
            "USER",
            user_id,
            user_id=user_id,
            detail=f"{user.failed_attempts} failed sign-on attempts",
        )
        return Reply(context, message=catalog.message("EMS003E"), errors=("userid",), clear=_PASSWORDS)
    return _refused(context, catalog)


def _refused(context: Context, catalog: Catalog) -> Reply:
    """The one answer to an unknown user id and to a wrong password: nothing tells them apart."""
    return Reply(
        context, message=catalog.message("EMS002E"), errors=("userid", "password"), cursor="userid", clear=_PASSWORDS
    )


def _change_password(
    session: Session, catalog: Catalog, context: Context, user: User, values: dict[str, str], old: str
) -> Reply | None:
    """Set the new password, or a reply asking for one (None when it was set)."""
    new, repeat = values.get("new_password", ""), values.get("new_password2", "")
    if not new:
        return Reply(
            context,
            message=catalog.message("EMS004W"),
            errors=("new_password",),
            cursor="new_password",
            clear=("new_password", "new_password2"),
        )
    try:
        check_password_rules(session, new, context.business_date)
    except UserError as err:
        return Reply(
            context,
            message=catalog.message("EMS007E", reason=str(err)),
            errors=("new_password",),
            cursor="new_password",
            clear=("new_password", "new_password2"),
        )
    if new != repeat:
        return Reply(
            context,
            message=catalog.message("EMS008E"),
            errors=("new_password2",),
            cursor="new_password",
            clear=("new_password", "new_password2"),
        )
    if new == old:
        return Reply(
            context,
            message=catalog.message("EMS009E"),
            errors=("new_password",),
            cursor="new_password",
            clear=("new_password", "new_password2"),
        )
    user.password_hash = hash_password(new)
    user.password_changed = context.business_date
    user.must_change_password = False
    audit.record(session, AuditAction.PASSWORD, "USER", user.user_id, detail="password changed at sign-on")
    return None


def sign_off(session: Session, context: Context, reason: str) -> None:
    """Record a sign-off (by the user, or after inactivity)."""
    audit.record(session, AuditAction.SIGNOFF, "USER", context.user_id, user_id=context.user_id, detail=reason)


def refuse(session: Session, context: Context, target: str) -> None:
    """Record an attempt to reach a function the user's roles do not allow."""
    audit.record(
        session, AuditAction.DENIED, "TRAN", target, user_id=context.user_id, detail=f"roles {','.join(context.roles)}"
    )
