"""managed care plans and medical cards

HUSKY managed care (issue 21.2 and 21.7): the reference table of managed care plans
(ref_managed_care_plan: code, name, the coverage groups and regions it serves, effective-dated);
MCPLAN under CLIENT (managed_care_enrollment: the plan spans of a person, how chosen and why,
history kept); MEDCARD under CLIENT (medical_card: the fingerprint of the last ID card written).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 15:21:18.431865
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "ref_managed_care_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("coverage_groups", sa.String(length=40), nullable=False),
        sa.Column("regions", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=14), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to > effective_from",
            name=op.f("ck_ref_managed_care_plan_effective_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_managed_care_plan")),
        sa.UniqueConstraint("code", "effective_from", name=op.f("uq_ref_managed_care_plan_code_effective_from")),
    )
    op.create_table(
        "medical_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("card_month", sa.Date(), nullable=False),
        sa.Column("batch_run_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_run_id"], ["batch_run.id"], name=op.f("fk_medical_card_batch_run_id_batch_run")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_medical_card_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_card")),
        sa.UniqueConstraint("client_id", "seq", name=op.f("uq_medical_card_client_id_seq")),
    )
    op.create_table(
        "managed_care_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("plan_code", sa.String(length=4), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("selection", sa.String(length=1), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_root.id"], name=op.f("fk_managed_care_enrollment_case_id_case_root"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_managed_care_enrollment_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_managed_care_enrollment")),
        sa.UniqueConstraint("client_id", "seq", name=op.f("uq_managed_care_enrollment_client_id_seq")),
    )
    with op.batch_alter_table("managed_care_enrollment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_managed_care_enrollment_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("managed_care_enrollment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_managed_care_enrollment_case_id"))

    op.drop_table("managed_care_enrollment")
    op.drop_table("medical_card")
    op.drop_table("ref_managed_care_plan")
