"""child support: automated enforcement actions

SUPENFC under the support case: each enforcement action of a delinquency (income withholding,
federal tax offset, credit bureau report, license suspension), its notice to the non-custodial
parent, the action, the file it went in and its outcome, or a worker's stay (issue 24, item 5).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 02:46:05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "support_enforcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("action_type", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("delinquency_date", sa.Date(), nullable=False),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("action_due", sa.Date(), nullable=False),
        sa.Column("action_date", sa.Date(), nullable=True),
        sa.Column("arrears", sa.BigInteger(), nullable=False),
        sa.Column("assigned_arrears", sa.BigInteger(), nullable=False),
        sa.Column("employer", sa.String(length=40), nullable=False),
        sa.Column("notice_text", sa.String(length=400), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("outcome", sa.String(length=60), nullable=False),
        sa.Column("stay_reason", sa.String(length=40), nullable=False),
        sa.Column("stayed_by", sa.String(length=8), nullable=False),
        sa.Column("stayed_date", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_enforcement_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_enforcement")),
        sa.UniqueConstraint("support_case_id", "action_type", "delinquency_date", name="uq_support_enforcement_once"),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_enforcement_support_case_id_seq")),
    )
    with op.batch_alter_table("support_enforcement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_enforcement_status"), ["status", "action_due"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("support_enforcement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_enforcement_status"))
    op.drop_table("support_enforcement")
