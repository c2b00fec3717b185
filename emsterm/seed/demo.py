"""The demo set-up behind `make run`: demo users with a known password, ready to sign on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AuditAction, RoleCode, User
from emsterm.seed.households import SEED_ACTOR
from emsterm.services import audit
from emsterm.services.users import NewUser, add_user, hash_password

DEMO_PASSWORD = "EMSDEMO1"
"""The password of every demo user (README names it); reset by each `ems demo`."""


@dataclass(frozen=True)
class DemoUser:
    """A demo user."""

    user_id: str
    roles: tuple[RoleCode, ...]
    office: str
    name: str


DEMO_USERS = (
    DemoUser("DEMO", (RoleCode.WORKER, RoleCode.SUPERVISOR), "HFD", "Demo Caseworker"),
    DemoUser("OPER", (RoleCode.OPERATOR,), "HFD", "Demo Operator"),
    DemoUser("ADMIN", (RoleCode.ADMIN,), "HFD", "Demo Administrator"),
    DemoUser("TRAIN", (RoleCode.TRAINER,), "HFD", "Demo Trainer"),
    DemoUser("CSDEMO", (RoleCode.CCSES_WORKER, RoleCode.CCSES_SUPERVISOR), "HFD", "Demo Support Worker"),
)


def other_users(session: Session) -> list[str]:
    """The ids of users who are neither demo users nor the seed's caseworkers (who have no
    password): a database with such users is a real one."""
    demo_ids = [d.user_id for d in DEMO_USERS]
    return list(
        session.scalars(
            select(User.user_id)
            .where(User.user_id.not_in(demo_ids), User.created_by != SEED_ACTOR)
            .order_by(User.user_id)
        )
    )


def ensure_demo_users(session: Session, on: dt.date) -> list[str]:
    """Create the demo users, or make them able to sign on again; return their ids."""
    for demo in DEMO_USERS:
        user = session.get(User, demo.user_id)
        if user is None:
            user = add_user(session, NewUser(demo.user_id, demo.roles, demo.office, DEMO_PASSWORD, name=demo.name), on)
        else:
            user.password_hash = hash_password(DEMO_PASSWORD)
            user.revoked = False
            user.failed_attempts = 0
            audit.record(session, AuditAction.RESET, "USER", demo.user_id, detail="demo user reset by ems demo")
        user.must_change_password = False
        user.password_changed = on
    return [d.user_id for d in DEMO_USERS]
