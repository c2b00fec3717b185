"""The programs of an EMS case by its number, read only: what CCSES's case summary shows of the
EMS case that referred a support case (CCSES never reads EMS's tables itself)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import Case, Program, ProgramStatus


@dataclass(frozen=True)
class ProgramLine:
    """One program of the case: its code, status and since when, and its certification end."""

    program: str
    status: ProgramStatus
    status_date: dt.date
    cert_end: dt.date | None


def programs_of_case(session: Session, case_number: str) -> list[ProgramLine] | None:
    """The programs of the EMS case with this number, by program code (None: no such case)."""
    case_id = session.scalar(select(Case.id).where(Case.case_number == case_number))
    if case_id is None:
        return None
    rows = session.scalars(select(Program).where(Program.case_id == case_id).order_by(Program.program_code))
    return [ProgramLine(p.program_code, p.status, p.status_date, p.cert_end) for p in rows]
