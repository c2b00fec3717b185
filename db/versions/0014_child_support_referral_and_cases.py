"""child support: the EMS absent-parent segment and the CCSES support case

ABSPRNT under the EMS case (a parent of a child of the unit who lives elsewhere, with the
client's cooperation and good-cause claim, and what the nightly last sent CCSES); the CCSES
support case root SUPCASE with its status history SUPSTAT and its parties SUPPARTY.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
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


def _person() -> list[sa.Column[object]]:
    """What is known of a person: name, SSN, birth date, address, employer."""
    return [
        sa.Column("last_name", sa.String(length=30), nullable=False),
        sa.Column("first_name", sa.String(length=20), nullable=False),
        sa.Column("ssn", sa.String(length=9), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("street", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.Column("employer", sa.String(length=40), nullable=False),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "absent_parent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("child_member_id", sa.Integer(), nullable=False),
        *_person(),
        sa.Column("cooperation", sa.String(length=2), nullable=False),
        sa.Column("good_cause", sa.String(length=1), nullable=True),
        sa.Column("good_cause_date", sa.Date(), nullable=True),
        sa.Column("referred_digest", sa.String(length=64), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        *_tracking(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_root.id"], name=op.f("fk_absent_parent_case_id_case_root"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["child_member_id"], ["member.id"], name=op.f("fk_absent_parent_child_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absent_parent")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_absent_parent_case_id_seq")),
    )
    op.create_table(
        "support_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_number", sa.String(length=10), nullable=False),
        sa.Column("ems_case_number", sa.String(length=10), nullable=True),
        sa.Column("referral_key", sa.String(length=64), nullable=True),
        sa.Column("case_type", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("opened_date", sa.Date(), nullable=False),
        sa.Column("closure_reason", sa.String(length=4), nullable=True),
        *_tracking(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_case")),
        sa.UniqueConstraint("support_number", name=op.f("uq_support_case_support_number")),
        sa.UniqueConstraint(
            "ems_case_number", "referral_key", name=op.f("uq_support_case_ems_case_number_referral_key")
        ),
    )
    op.create_index(op.f("ix_support_case_status"), "support_case", ["status", "case_type"])
    op.create_table(
        "support_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("case_type", sa.String(length=2), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        *_tracking(),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_status_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_status")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_status_support_case_id_seq")),
    )
    op.create_table(
        "support_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("role", sa.String(length=2), nullable=False),
        sa.Column("ems_client_number", sa.String(length=9), nullable=True),
        *_person(),
        sa.Column("address_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        *_tracking(),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_party_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_party")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_party_support_case_id_seq")),
    )
    op.create_index(op.f("ix_support_party_ssn"), "support_party", ["ssn"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(op.f("ix_support_party_ssn"), table_name="support_party")
    op.drop_table("support_party")
    op.drop_table("support_status")
    op.drop_index(op.f("ix_support_case_status"), table_name="support_case")
    op.drop_table("support_case")
    op.drop_table("absent_parent")
