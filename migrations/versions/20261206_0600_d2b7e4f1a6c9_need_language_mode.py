"""A need's languages are required all together or any one of them

Existing needs keep "all", the only behaviour before this.

Revision ID: d2b7e4f1a6c9
Revises: c4f1d2e8a9b3
Create Date: 2026-12-06 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b7e4f1a6c9'
down_revision = 'c4f1d2e8a9b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language_mode', sa.String(length=8), server_default='all', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_column('language_mode')
