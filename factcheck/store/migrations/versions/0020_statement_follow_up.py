"""statement_follow_up: what an imported statement still owes, its embedding and the
re-matching of the quotes it could affect.

The rows are written with the statements, in each batch's transaction, so an import
stopped half way leaves the follow-up it owes, and a worker (or the next import) does it
(`services/statements.py`). Before this revision an import did both at its end, and an
import killed before then left them undone.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# domain.FollowUpStep as of this revision (a migration keeps the values it was written with).
STEPS = "'embed', 'rematch'"


def upgrade() -> None:
    op.create_table(
        "statement_follow_up",
        sa.Column("statement_id", sa.Integer(), sa.ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_expires", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"step IN ({STEPS})", name="step"),
    )
    op.create_index("ix_statement_follow_up_step", "statement_follow_up", ["step"])


def downgrade() -> None:
    op.drop_table("statement_follow_up")
