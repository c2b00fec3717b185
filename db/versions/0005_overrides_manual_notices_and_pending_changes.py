"""overrides, manual notices and pending changes

Eligibility gets a supervisor's override (reason code, text, who); a notice gets the worker's
own words (manual notices, overrides); `pending_change` holds changes above a worker's
authority until a supervisor approves or rejects them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 06:22:09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "pending_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("trancode", sa.String(length=4), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=60), nullable=False),
        sa.Column("increase", sa.BigInteger(), nullable=False),
        sa.Column("requested_by", sa.String(length=8), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("decided_by", sa.String(length=8), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_text", sa.String(length=60), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_root.id"], name=op.f("fk_pending_change_case_id_case_root"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_change")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_pending_change_case_id_seq")),
    )
    with op.batch_alter_table("pending_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_change_status"), ["status"], unique=False)

    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_reason", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("override_text", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("override_by", sa.String(length=8), nullable=True))

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("free_text", sa.Text(), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_column("free_text")

    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.drop_column("override_by")
        batch_op.drop_column("override_text")
        batch_op.drop_column("override_reason")

    with op.batch_alter_table("pending_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_change_status"))

    op.drop_table("pending_change")
