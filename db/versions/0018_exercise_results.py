"""trainer tools: exercise results

EXERCISE_RESULT: one row each time a trainee works through a flow as an exercise (`ems train
exercise`): the trainee, the flow, the steps met, the wrong turns, whether they finished and how
long it took, for the trainer's results screen.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 23:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "exercise_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=8), nullable=False),
        sa.Column("flow", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("steps", sa.SmallInteger(), nullable=False),
        sa.Column("passed", sa.SmallInteger(), nullable=False),
        sa.Column("mistakes", sa.SmallInteger(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_result")),
    )
    with op.batch_alter_table("exercise_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_result_user_id"), ["user_id", "started_at"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("exercise_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_result_user_id"))
    op.drop_table("exercise_result")
