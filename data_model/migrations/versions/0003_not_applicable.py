"""不适用: the evaluator may mark an indicator without data as not applicable (Judgment.not_applicable); every
judgment stored before stays applicable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('judgment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_applicable', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('judgment', schema=None) as batch_op:
        batch_op.drop_column('not_applicable')
