"""CLIENT: the root segment of one person, recorded once however many cases they belong to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from emsterm.model.base import Base, Root
from emsterm.model.codes import Citizenship, Language, Sex
from emsterm.model.types import CodeString


class Client(Root, Base):
    """One person known to EMS: name, birth date, sex, SSN and standing attributes."""

    __tablename__ = "client"
    __table_args__ = (Index(None, "last_name_soundex", "first_name"), Index(None, "last_name", "first_name"))
    segment = "CLIENT"

    client_number: Mapped[str] = mapped_column(String(9), unique=True)
    """Eight digits and a check digit."""
    last_name: Mapped[str] = mapped_column(String(30))
    first_name: Mapped[str] = mapped_column(String(20))
    middle_initial: Mapped[str] = mapped_column(String(1), default="")
    last_name_soundex: Mapped[str] = mapped_column(String(4))
    """Soundex code of the last name, for the sounds-alike client search."""
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(CodeString(Sex, 1))
    """Code table SEX: F, M, X."""
    ssn: Mapped[str | None] = mapped_column(String(9), unique=True)
    """Nine digits, no dashes; None when the person has none or has not given it."""
    citizenship: Mapped[Citizenship] = mapped_column(CodeString(Citizenship, 2))
    """Code table CITIZEN: US citizen, QA qualified alien, RF refugee, NQ not qualified."""
    language: Mapped[Language] = mapped_column(CodeString(Language, 2), default=Language.ENGLISH)
    """Code table LANGUAGE: the language notices are written in."""
    disabled: Mapped[bool] = mapped_column(default=False)
    blind: Mapped[bool] = mapped_column(default=False)
    entry_date: Mapped[dt.date | None] = mapped_column(Date)
    """Date of entry to the US, for refugees (the Refugee programs' eligibility clock)."""
