"""institutions may publish needs directly

Staff now allow direct publishing per organisation instead of for every verified one.

Revision ID: 23139d739866
Revises: 8d32f5d5342c
Create Date: 2026-12-03 15:50:08.946504

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '23139d739866'
down_revision = '8d32f5d5342c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'can_publish_directly', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )

    # Keep today's behaviour: where APP_NEEDS_DIRECT_PUBLISH_FOR_VERIFIED was on, every verified
    # organisation published directly, so each one starts with the permission.
    if current_app.config.get('NEEDS_DIRECT_PUBLISH_FOR_VERIFIED'):
        institutions = sa.table(
            'institutions',
            sa.column('status', sa.String),
            sa.column('can_publish_directly', sa.Boolean),
        )
        op.execute(
            institutions.update()
            .where(institutions.c.status == 'verified')
            .values(can_publish_directly=True)
        )


def downgrade():
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('can_publish_directly')
