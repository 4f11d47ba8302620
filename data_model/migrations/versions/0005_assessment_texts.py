"""The forms' texts the evaluator writes (评价结论, 存在问题, 改进措施, 组织实施, 制度建设, 项目负责人 …) and the
budget's other funding sources (上年结转资金, 其他资金): every project stored before is funded wholly by 当年财政拨款.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 08:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('assessmenttext',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('edited_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('edited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'key')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_over', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('other_funds', sa.Float(), nullable=False, server_default='0'))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch would copy the table, which rows elsewhere point to.
    op.drop_column('project', 'other_funds')
    op.drop_column('project', 'carried_over')
    op.drop_table('assessmenttext')
