"""batch run parameters and batch indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 04:58:16.140947
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("batch_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parameters", sa.JSON(), nullable=True))

    with op.batch_alter_table("batch_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message", sa.String(length=200), nullable=False, server_default=""))

    with op.batch_alter_table("issuance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issuance_batch_run_id"), ["batch_run_id"], unique=False)

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_status"), ["status", "batch_run_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_status"))

    with op.batch_alter_table("issuance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issuance_batch_run_id"))

    with op.batch_alter_table("batch_step", schema=None) as batch_op:
        batch_op.drop_column("message")

    with op.batch_alter_table("batch_run", schema=None) as batch_op:
        batch_op.drop_column("parameters")
