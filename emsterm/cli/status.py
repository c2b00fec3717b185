"""`ems status`: a summary of the database: revision, caseload by program, users, reference rows."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database import migrate
from emsterm.database.engine import describe
from emsterm.model import REFERENCE_TABLES, AuditEntry, Case, Client, Member, Program, ProgramStatus, User, UserRole


@cli.command()
@click.pass_obj
def status(runtime: Runtime) -> None:
    """Summarise the database.

    Revision, business date, cases by status, clients, programs by status, users.
    """
    engine = runtime.engine()
    console = Console(width=100)
    with engine.connect() as c:

        def count(model: Any) -> int:
            return c.execute(select(func.count()).select_from(model)).scalar() or 0

        console.print(f"[bold]EMS database[/] {describe(engine)}  revision {migrate.current_revision(engine)}")
        console.print(f"business date {runtime.business_date:%m/%d/%Y}")
        cases = dict(c.execute(select(Case.status, func.count()).group_by(Case.status)).all())
        console.print(
            f"cases {sum(cases.values()):,} (" + ", ".join(f"{k} {v:,}" for k, v in sorted(cases.items())) + ")"
        )
        console.print(f"clients {count(Client):,}   members {count(Member):,}   audit entries {count(AuditEntry):,}")
        programs = c.execute(
            select(Program.program_code, Program.status, func.count()).group_by(Program.program_code, Program.status)
        ).all()
        table = Table("PROGRAM", "ACTIVE", "PENDING", "CLOSED", "DENIED", box=None)
        by_program: dict[str, dict[str, int]] = {}
        for code, state, n in programs:
            by_program.setdefault(code, {})[state] = n
        for code in sorted(by_program):
            row = by_program[code]
            table.add_row(code, *(f"{row.get(s, 0):,}" for s in ProgramStatus))
        console.print(table)
        roles = c.execute(select(UserRole.role_code, func.count()).group_by(UserRole.role_code)).all()
        console.print(f"users {count(User):,} (" + ", ".join(f"{r} {n:,}" for r, n in sorted(roles)) + ")")
        reference = sum(count(model) for model in REFERENCE_TABLES)
        console.print(f"reference rows {reference:,} in {len(REFERENCE_TABLES)} tables")
