"""expense description

An expense keeps what the worker typed about it (the landlord, the utility company), as an
income keeps its source and an asset its description.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("expense", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.String(length=30), nullable=False, server_default=""))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("expense", schema=None) as batch_op:
        batch_op.drop_column("description")
