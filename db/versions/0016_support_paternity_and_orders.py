"""child support establishment: paternity and support orders

SUPPATER under the support case (the paternity of each child party: acknowledgement in the
Paternity Acknowledgement registry, genetic test, adjudication) and SUPORDER (each version of
each support order: court or administrative, type, amount, frequency, effective and end dates;
a modification ends one version and starts the next).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tracking() -> list[sa.Column[object]]:
    """The tracking columns every segment carries."""
    return [
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "support_paternity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("child_party_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("method", sa.String(length=2), nullable=True),
        sa.Column("established_date", sa.Date(), nullable=True),
        sa.Column("registry_number", sa.String(length=12), nullable=False),
        sa.Column("acknowledged_date", sa.Date(), nullable=True),
        sa.Column("test_ordered_date", sa.Date(), nullable=True),
        sa.Column("test_result_date", sa.Date(), nullable=True),
        sa.Column("test_result", sa.String(length=1), nullable=True),
        sa.Column("docket", sa.String(length=20), nullable=False),
        sa.Column("adjudicated_date", sa.Date(), nullable=True),
        *_tracking(),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_paternity_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["child_party_id"], ["support_party.id"], name=op.f("fk_support_paternity_child_party_id_support_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_paternity")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_paternity_support_case_id_seq")),
        sa.UniqueConstraint("child_party_id", name=op.f("uq_support_paternity_child_party_id")),
    )
    op.create_table(
        "support_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("order_no", sa.SmallInteger(), nullable=False),
        sa.Column("modification", sa.SmallInteger(), nullable=False),
        sa.Column("authority", sa.String(length=2), nullable=False),
        sa.Column("docket", sa.String(length=20), nullable=False),
        sa.Column("order_type", sa.String(length=2), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("frequency", sa.String(length=1), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("superseded_by", sa.SmallInteger(), nullable=True),
        *_tracking(),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_order_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_order")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_order_support_case_id_seq")),
        sa.UniqueConstraint(
            "support_case_id",
            "order_no",
            "modification",
            name=op.f("uq_support_order_support_case_id_order_no_modification"),
        ),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("support_order")
    op.drop_table("support_paternity")
