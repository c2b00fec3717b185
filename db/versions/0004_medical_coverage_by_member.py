"""medical coverage by member

Eligibility gets `member_groups` (each covered member's coverage group, for the participation
report); `coverage_group` on eligibility and program is widened to hold every group found in a
household (a child in HUSKY A and a parent in HUSKY D: `HUSA HUSD`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_groups", sa.Text(), nullable=True))
        batch_op.alter_column(
            "coverage_group", existing_type=sa.String(length=4), type_=sa.String(length=24), existing_nullable=True
        )

    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.alter_column(
            "coverage_group", existing_type=sa.String(length=4), type_=sa.String(length=24), existing_nullable=True
        )


def downgrade() -> None:
    """Undo this revision (groups longer than four characters are cut)."""
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.alter_column(
            "coverage_group",
            existing_type=sa.String(length=24),
            type_=sa.String(length=4),
            existing_nullable=True,
            postgresql_using="left(coverage_group, 4)",
        )

    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.alter_column(
            "coverage_group",
            existing_type=sa.String(length=24),
            type_=sa.String(length=4),
            existing_nullable=True,
            postgresql_using="left(coverage_group, 4)",
        )
        batch_op.drop_column("member_groups")
