"""Security: users (mainframe user ids), their roles and the offices whose cases they may touch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emsterm.model.base import Base, Tracked
from emsterm.model.codes import RoleCode
from emsterm.model.types import CodeString

ROLES: tuple[str, ...] = tuple(role.value for role in RoleCode)
"""The roles a user may hold, as plain strings (the choices of `ems users add --role`)."""


class Role(Tracked, Base):
    """A role that menu items and transactions are granted to."""

    __tablename__ = "sec_role"

    code: Mapped[RoleCode] = mapped_column(CodeString(RoleCode, 12), primary_key=True)
    description: Mapped[str] = mapped_column(String(80))


class User(Tracked, Base):
    """A user of the terminal: 1-8 letters and digits, an argon2 password hash, a home office."""

    __tablename__ = "sec_user"

    user_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    office_code: Mapped[str] = mapped_column(String(3))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """None for a user who cannot sign on until an administrator sets a password."""
    password_changed: Mapped[dt.date | None] = mapped_column(Date)
    """The business date the password was set; it expires after the admin parameter's days."""
    must_change_password: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    revoked: Mapped[bool] = mapped_column(default=False)
    last_signon: Mapped[dt.datetime | None] = mapped_column(DateTime)

    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", order_by="UserRole.role_code")
    offices: Mapped[list[UserOffice]] = relationship(cascade="all, delete-orphan", order_by="UserOffice.office_code")

    @property
    def role_codes(self) -> list[RoleCode]:
        """The codes of the roles this user holds."""
        return [r.role_code for r in self.roles]

    @property
    def office_scope(self) -> list[str]:
        """The offices whose cases this user may change."""
        return [o.office_code for o in self.offices]


class UserRole(Tracked, Base):
    """A role granted to a user."""

    __tablename__ = "sec_user_role"

    user_id: Mapped[str] = mapped_column(ForeignKey("sec_user.user_id", ondelete="CASCADE"), primary_key=True)
    role_code: Mapped[RoleCode] = mapped_column(CodeString(RoleCode, 12), ForeignKey("sec_role.code"), primary_key=True)


class UserOffice(Tracked, Base):
    """An office in a user's scope."""

    __tablename__ = "sec_user_office"

    user_id: Mapped[str] = mapped_column(ForeignKey("sec_user.user_id", ondelete="CASCADE"), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(3), primary_key=True)
