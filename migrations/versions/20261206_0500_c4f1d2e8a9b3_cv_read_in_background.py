"""CVs are read in the background

An uploaded CV is queued for the worker, then ready or refused (with the reason). CVs uploaded
before this were read during the upload, so they are ready.

Revision ID: c4f1d2e8a9b3
Revises: a7c3e91f0b24
Create Date: 2026-12-06 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1d2e8a9b3'
down_revision = 'a7c3e91f0b24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cv_documents', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('status', sa.String(length=16), server_default='ready', nullable=False)
        )
        batch_op.add_column(sa.Column('failure', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('read_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('cv_documents', schema=None) as batch_op:
        batch_op.drop_column('read_at')
        batch_op.drop_column('failure')
        batch_op.drop_column('status')
