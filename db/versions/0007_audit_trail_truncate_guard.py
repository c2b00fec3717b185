"""audit trail truncate guard

The audit trail's rows could not be updated or deleted, but on PostgreSQL `TRUNCATE
audit_trail` (which fires no row triggers) emptied it. A statement trigger refuses it too.
SQLite has no TRUNCATE: its `DELETE FROM audit_trail` is refused by the row trigger.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 07:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
            FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_insert_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_trail_no_truncate ON audit_trail")
