"""check numbers and voids

A check gets its number from the controlled range (administrative parameters
CHECK_NUMBER_FIRST..LAST) when the check register is written, unique for ever; a voided check
keeps the day and the reason (code table VOIDRSN) and the run whose positive pay file told the
bank.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("issuance") as batch:
        batch.add_column(sa.Column("check_number", sa.String(length=9), nullable=True))
        batch.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("void_reason", sa.String(length=4), nullable=True))
        batch.add_column(sa.Column("void_reported_run_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_issuance_void_reported_run_id_batch_run"), "batch_run", ["void_reported_run_id"], ["id"]
        )
        batch.create_index(op.f("ix_issuance_check_number"), ["check_number"], unique=True)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("issuance") as batch:
        batch.drop_index(op.f("ix_issuance_check_number"))
        batch.drop_constraint(op.f("fk_issuance_void_reported_run_id_batch_run"), type_="foreignkey")
        batch.drop_column("void_reported_run_id")
        batch.drop_column("void_reason")
        batch.drop_column("voided_on")
        batch.drop_column("check_number")
