"""evs inquiry log

The real-time eligibility verification server (X12 270/271 over CAQH CORE HTTP) logs every
inquiry: when, who asked (CORE SenderID, PayloadID, the trace number), the member asked about
(client number or name, birth date and the SSN's last four digits), the date of service, the
client found, and the answer (active, inactive, an AAA rejection, a 999) with the benefit plan.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "evs_inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("sender_id", sa.String(length=50), nullable=False),
        sa.Column("payload_id", sa.String(length=50), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=True),
        sa.Column("last_name", sa.String(length=60), nullable=False),
        sa.Column("first_name", sa.String(length=35), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("ssn_last4", sa.String(length=4), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=1), nullable=False),
        sa.Column("reject_reason", sa.String(length=2), nullable=True),
        sa.Column("benefit_plan", sa.String(length=50), nullable=True),
        sa.Column("managed_care_plan", sa.String(length=50), nullable=True),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_evs_inquiry_client_id_client"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evs_inquiry")),
    )
    op.create_index(op.f("ix_evs_inquiry_received_at"), "evs_inquiry", ["received_at"], unique=False)
    op.create_index(op.f("ix_evs_inquiry_client_id"), "evs_inquiry", ["client_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_evs_inquiry_client_id"), table_name="evs_inquiry")
    op.drop_index(op.f("ix_evs_inquiry_received_at"), table_name="evs_inquiry")
    op.drop_table("evs_inquiry")
