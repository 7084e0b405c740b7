"""user.session_epoch: logging out ends the account's sessions on the server.

The web app's session is a signed cookie: without something on the server to check it
against, a copy of the cookie taken before logout would still work after it. Each login
stores the account's epoch in the session, each request compares it with this column,
and logout (or deactivating the account) adds one to it (`services/users.py`).

Every account starts at 0, as do sessions opened before this revision (they carry no
epoch): they stay logged in until their account's next logout.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("user", "session_epoch")
