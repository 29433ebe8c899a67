"""profiles: random public id for institution-facing links

Institutions reached every profile by walking sequential ids; their links now carry a random
public id instead. Existing rows get one each before the column becomes required and unique.

Revision ID: 5e0c1a9d2b7f
Revises: 23139d739866
Create Date: 2026-12-06 04:30:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e0c1a9d2b7f'
down_revision = '23139d739866'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))

    profiles = sa.table('profiles', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    connection = op.get_bind()
    ids = connection.execute(
        sa.select(profiles.c.id).where(profiles.c.public_id.is_(None))
    ).scalars().all()
    for profile_id in ids:
        connection.execute(
            profiles.update()
            .where(profiles.c.id == profile_id)
            .values(public_id=secrets.token_urlsafe(16))
        )

    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_profiles_public_id'), ['public_id'])


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_profiles_public_id'), type_='unique')
        batch_op.drop_column('public_id')
