"""outbox retry window

Transient SMTP failures are retried until a window (72 h by default) has passed since the first
attempt; the row remembers when that was.

Revision ID: a7c3e91f0b24
Revises: 5e0c1a9d2b7f
Create Date: 2026-12-06 04:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e91f0b24'
down_revision = '5e0c1a9d2b7f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_attempt_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_column('first_attempt_at')
