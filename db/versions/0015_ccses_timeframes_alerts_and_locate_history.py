"""CCSES: the federal timeframes' dates on the support case, its alerts, and Locate History

SUPCASE gains the dates its clocks run on (initiated, locate needed, located, established,
delinquency, enforcement, last review) and whether enforcement needs service of process;
SUPALERT (the CCSES worker's alerts, one per case, type and occurrence) and SUPLOCAT (Locate
History: each hit on a non-custodial parent) hang under it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATES = (
    "initiated_date",
    "locate_date",
    "located_date",
    "established_date",
    "delinquency_date",
    "enforcement_date",
    "last_review_date",
)
"""The support case's new date columns."""


def _tracking() -> list[sa.Column[object]]:
    """The tracking columns every segment carries."""
    return [
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _parent(table: str) -> sa.ForeignKeyConstraint:
    """The segment's key to its support case."""
    return sa.ForeignKeyConstraint(
        ["support_case_id"],
        ["support_case.id"],
        name=op.f(f"fk_{table}_support_case_id_support_case"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Apply this revision."""
    for name in DATES:
        op.add_column("support_case", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("support_case", sa.Column("service_needed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "support_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("alert_type", sa.String(length=4), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("raised_date", sa.Date(), nullable=False),
        sa.Column("text", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("worker_id", sa.String(length=8), nullable=True),
        sa.Column("disposition", sa.String(length=2), nullable=True),
        sa.Column("closed_date", sa.Date(), nullable=True),
        *_tracking(),
        _parent("support_alert"),
        sa.ForeignKeyConstraint(["worker_id"], ["sec_user.user_id"], name=op.f("fk_support_alert_worker_id_sec_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_alert")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_alert_support_case_id_seq")),
        sa.UniqueConstraint(
            "support_case_id",
            "alert_type",
            "occurrence",
            name=op.f("uq_support_alert_support_case_id_alert_type_occurrence"),
        ),
    )
    op.create_index(op.f("ix_support_alert_status"), "support_alert", ["status", "due_date"])
    op.create_table(
        "support_locate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("party_seq", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=2), nullable=False),
        sa.Column("locate_date", sa.Date(), nullable=False),
        sa.Column("confidence", sa.String(length=1), nullable=False),
        sa.Column("street", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.Column("employer", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        *_tracking(),
        _parent("support_locate"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_locate")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_locate_support_case_id_seq")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("support_locate")
    op.drop_index(op.f("ix_support_alert_status"), table_name="support_alert")
    op.drop_table("support_alert")
    with op.batch_alter_table("support_case") as batch:
        batch.drop_column("service_needed")
        for name in reversed(DATES):
            batch.drop_column(name)
