"""host_slot: the requests at a time each host gets, shared by every worker process.

A row per host and slot, held by one worker until it expires (`services/host_slots.py`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "host_slot",
        sa.Column("host", sa.String(), primary_key=True),
        sa.Column("slot", sa.Integer(), primary_key=True),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_start", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("host_slot")
