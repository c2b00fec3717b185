"""the custodial party's bank account on the support case, for CCSES direct deposit

A never-assistance family (no EMS client, so no EBT card) with a bank account is paid by
direct deposit (issue 24, item 3): `support_party.bank_routing` and `bank_account`.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("support_party", sa.Column("bank_routing", sa.String(length=9), nullable=True))
    op.add_column("support_party", sa.Column("bank_account", sa.String(length=17), nullable=True))


def downgrade() -> None:
    """Undo this revision. Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later have it): a
    batch copy of support_party would drop a table other segments' foreign keys point at."""
    op.drop_column("support_party", "bank_account")
    op.drop_column("support_party", "bank_routing")
