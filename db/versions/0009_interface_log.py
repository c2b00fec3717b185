"""interface log

Every interface file in or out gets its status (WRITTEN, READ, REFUSED, SKIPPED), its own
control or sequence number and the errors that refused it, as columns of INTERFACE_FILE, so one
table answers what was exchanged with whom (`ems interfaces list`, EM94). Earlier rows take
their status from the control totals (a wage match file's READ or REFUSED), else WRITTEN, and
an 834's control number from its control totals.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILES = sa.table(
    "interface_file",
    sa.column("id", sa.Integer()),
    sa.column("direction", sa.String()),
    sa.column("control_totals", sa.JSON()),
    sa.column("status", sa.String()),
    sa.column("control_number", sa.String()),
    sa.column("errors", sa.JSON()),
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("interface_file") as table:
        table.add_column(sa.Column("status", sa.String(length=8), nullable=False, server_default="WRITTEN"))
        table.add_column(sa.Column("control_number", sa.String(length=20), nullable=True))
        table.add_column(sa.Column("errors", sa.JSON(), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(_FILES.c.id, _FILES.c.direction, _FILES.c.control_totals)).all():
        totals = row.control_totals or {}
        status = totals.get("status") or ("READ" if row.direction == "IN" else "WRITTEN")
        number = totals.get("control_number")
        problem = totals.get("problem")
        connection.execute(
            _FILES.update()
            .where(_FILES.c.id == row.id)
            .values(
                status=status,
                control_number=None if number is None else str(number),
                errors=[problem] if problem else None,
            )
        )
    with op.batch_alter_table("interface_file") as table:
        table.alter_column("status", server_default=None)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("interface_file") as table:
        table.drop_column("errors")
        table.drop_column("control_number")
        table.drop_column("status")
