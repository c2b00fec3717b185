"""EBT authorizations and ACH returns

An issuance gets its EBT authorization number (unique for ever), its ACH trace number (how a
bank's return entry finds it) and, for a replacement, the rejected or returned issuance it pays
again (at most one replacement each), and an index on its status (the issuance run looks for
those that came back). A bank account gets ACCTCHG, the notifications of change
a bank sent for it, waiting for a worker's review.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("issuance") as batch:
        batch.add_column(sa.Column("authorization_number", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("trace_number", sa.String(length=15), nullable=True))
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_issuance_replaces_id_issuance"), "issuance", ["replaces_id"], ["id"])
        batch.create_index(op.f("ix_issuance_authorization_number"), ["authorization_number"], unique=True)
        batch.create_index(op.f("ix_issuance_trace_number"), ["trace_number"], unique=False)
        batch.create_index(op.f("ix_issuance_replaces_id"), ["replaces_id"], unique=True)
        batch.create_index(op.f("ix_issuance_status"), ["status"], unique=False)
    op.create_table(
        "account_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("change_code", sa.String(length=3), nullable=False),
        sa.Column("corrected_data", sa.String(length=29), nullable=False),
        sa.Column("original_trace", sa.String(length=15), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("decided_by", sa.String(length=8), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_account_id"],
            ["bank_account.id"],
            name=op.f("fk_account_change_bank_account_id_bank_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_change")),
        sa.UniqueConstraint("bank_account_id", "seq", name=op.f("uq_account_change_bank_account_id_seq")),
    )
    op.create_index(op.f("ix_account_change_status"), "account_change", ["status"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_account_change_status"), table_name="account_change")
    op.drop_table("account_change")
    with op.batch_alter_table("issuance") as batch:
        batch.drop_index(op.f("ix_issuance_status"))
        batch.drop_index(op.f("ix_issuance_replaces_id"))
        batch.drop_index(op.f("ix_issuance_trace_number"))
        batch.drop_index(op.f("ix_issuance_authorization_number"))
        batch.drop_constraint(op.f("fk_issuance_replaces_id_issuance"), type_="foreignkey")
        batch.drop_column("replaces_id")
        batch.drop_column("trace_number")
        batch.drop_column("authorization_number")
