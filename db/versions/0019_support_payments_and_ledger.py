"""child support: payments, the ledger, disbursements and the unidentified-payments suspense

SUPPAYMT (each collection posted), SUPLEDGR (the append-only double-entry ledger), SUPDISB
(each disbursement to the family) under the support case, with the day its ledger is charged
through; SUPSUSP, a root of its own, for collections that matched no case (issue 24).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 02:05:33
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "unidentified_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("given_case", sa.String(length=10), nullable=False),
        sa.Column("ncp_ssn", sa.String(length=9), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=2), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("file_line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("suspended_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("resolved_date", sa.Date(), nullable=True),
        sa.Column("resolved_by", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=60), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unidentified_payment")),
    )
    with op.batch_alter_table("unidentified_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unidentified_payment_status"), ["status"], unique=False)

    op.create_table(
        "support_disbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=3), nullable=False),
        sa.Column("disbursed_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("payee_client_number", sa.String(length=9), nullable=False),
        sa.Column("payee_name", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=15), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["batch_run.id"], name=op.f("fk_support_disbursement_run_id_batch_run")),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_disbursement_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_disbursement")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_disbursement_support_case_id_seq")),
    )
    with op.batch_alter_table("support_disbursement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_disbursement_run_id"), ["run_id"], unique=False)

    op.create_table(
        "support_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("receipt_number", sa.String(length=14), nullable=False),
        sa.Column("ncp_ssn", sa.String(length=9), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("posted_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=2), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("file_line", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("reversed_date", sa.Date(), nullable=True),
        sa.Column("reversal_reason", sa.String(length=40), nullable=False),
        sa.Column("suspense_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_payment_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["suspense_id"],
            ["unidentified_payment.id"],
            name=op.f("fk_support_payment_suspense_id_unidentified_payment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_payment")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_support_payment_receipt_number")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_payment_support_case_id_seq")),
    )
    with op.batch_alter_table("support_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_payment_posted_date"), ["posted_date"], unique=False)

    op.create_table(
        "support_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("support_case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("entry_type", sa.String(length=2), nullable=False),
        sa.Column("debit", sa.String(length=3), nullable=False),
        sa.Column("credit", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("posted_date", sa.Date(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(length=1), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("order_no", sa.SmallInteger(), nullable=True),
        sa.Column("disbursement_id", sa.Integer(), nullable=True),
        sa.Column("reverses_seq", sa.SmallInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["disbursement_id"],
            ["support_disbursement.id"],
            name=op.f("fk_support_ledger_disbursement_id_support_disbursement"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["support_payment.id"], name=op.f("fk_support_ledger_payment_id_support_payment")
        ),
        sa.ForeignKeyConstraint(
            ["support_case_id"],
            ["support_case.id"],
            name=op.f("fk_support_ledger_support_case_id_support_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_ledger")),
        sa.UniqueConstraint("support_case_id", "seq", name=op.f("uq_support_ledger_support_case_id_seq")),
    )
    with op.batch_alter_table("support_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_ledger_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_ledger_posted_date"), ["posted_date"], unique=False)

    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("charged_through", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ledger_start", sa.Date(), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.drop_column("ledger_start")
        batch_op.drop_column("charged_through")

    with op.batch_alter_table("support_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_ledger_posted_date"))
        batch_op.drop_index(batch_op.f("ix_support_ledger_payment_id"))

    op.drop_table("support_ledger")
    with op.batch_alter_table("support_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_payment_posted_date"))

    op.drop_table("support_payment")
    with op.batch_alter_table("support_disbursement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_disbursement_run_id"))

    op.drop_table("support_disbursement")
    with op.batch_alter_table("unidentified_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unidentified_payment_status"))

    op.drop_table("unidentified_payment")
