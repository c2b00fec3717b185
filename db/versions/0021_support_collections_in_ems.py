"""child support collections back into EMS: SUPCOLL under the EMS case

A month of child support collected for the EMS case as CCSES's support collections file
reported it: collected, passed through to the family, current support retained (issue 24).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 02:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "support_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("payee_client_number", sa.String(length=9), nullable=False),
        sa.Column("collected", sa.BigInteger(), nullable=False),
        sa.Column("passed_through", sa.BigInteger(), nullable=False),
        sa.Column("retained_current", sa.BigInteger(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_root.id"], name=op.f("fk_support_collection_case_id_case_root"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_collection")),
        sa.UniqueConstraint("case_id", "month", name=op.f("uq_support_collection_case_id_month")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_support_collection_case_id_seq")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("support_collection")
