"""The newsroom: claims can be assigned like quotes, and the review queue's indexes.

- `claim.assigned_to_id`: the fact-checker holding a claim.
- `ix_quote_queue`, `ix_claim_queue`: the queue lists newest articles first and each
  article in reading order; with these it reads one page without sorting every row.
- `ix_quote_flagged`: the queue's "most flagged first" (the number of flags a quote raises).
- `ix_quote_assigned_to_id`: "assigned to me" and "who holds what".
- `ix_verdict_published`: the public index, newest published first.

Revision ID: 0010
Revises: 0003
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("assigned_to_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_claim_assigned_to_id_user", "user", ["assigned_to_id"], ["id"])
    op.create_index("ix_claim_assigned_to_id", "claim", ["assigned_to_id"])
    op.create_index("ix_quote_assigned_to_id", "quote", ["assigned_to_id"])
    op.create_index("ix_quote_queue", "quote", [sa.text("article_id DESC"), "start"])
    op.create_index("ix_claim_queue", "claim", [sa.text("article_id DESC"), "start"])
    op.create_index("ix_quote_flagged", "quote", [sa.text("json_array_length(flags) DESC"), sa.text("article_id DESC"), "start"])
    op.create_index("ix_verdict_published", "verdict", ["status", "first_published_at"])


def downgrade() -> None:
    op.drop_index("ix_verdict_published", table_name="verdict")
    op.drop_index("ix_quote_flagged", table_name="quote")
    op.drop_index("ix_claim_queue", table_name="claim")
    op.drop_index("ix_quote_queue", table_name="quote")
    op.drop_index("ix_quote_assigned_to_id", table_name="quote")
    op.drop_index("ix_claim_assigned_to_id", table_name="claim")
    with op.batch_alter_table("claim") as batch:
        batch.drop_constraint("fk_claim_assigned_to_id_user", type_="foreignkey")
        batch.drop_column("assigned_to_id")
