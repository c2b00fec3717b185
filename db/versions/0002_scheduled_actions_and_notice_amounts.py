"""scheduled actions and notice amounts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 03:54:35.208435
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("program_code", sa.String(length=4), nullable=False),
        sa.Column("action_type", sa.String(length=4), nullable=False),
        sa.Column("benefit_month", sa.Date(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("old_amount", sa.BigInteger(), nullable=False),
        sa.Column("new_amount", sa.BigInteger(), nullable=False),
        sa.Column("reason_codes", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("applied_date", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_root.id"], name=op.f("fk_action_case_id_case_root"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_action_case_id_seq")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_status"), ["status", "effective_date"], unique=False)

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("benefit_month", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("old_amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("new_amount", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_column("new_amount")
        batch_op.drop_column("old_amount")
        batch_op.drop_column("benefit_month")

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_status"))

    op.drop_table("action")
