"""绩效运行监控表: the evaluator's 完成目标可能性, 偏差原因分析 and 相关建议或举措 per indicator and 统计截至 date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('monitorentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('likelihood', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('likelihood_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('causes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cause_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('suggestion', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('edited_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('edited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'as_of')
    )
    with op.batch_alter_table('monitorentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitorentry_indicator_id'), ['indicator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('monitorentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitorentry_indicator_id'))

    op.drop_table('monitorentry')
