"""child support: applications for services with their fee

SUPAPPL under the support case: the application for IV-D services that opened a
never-assistance case (45 CFR 302.33(a)(1)), who took it, the fee charged (CCSES parameter
APPLICATION_FEE on the application date) and who paid it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "support_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("application_date", sa.Date(), nullable=False),
        sa.Column("taken_by", sa.String(length=8), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("fee_paid_by", sa.String(length=1), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_application_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_application")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_application_support_case_id_seq")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("support_application")
