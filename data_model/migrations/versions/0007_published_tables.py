"""Real published performance tables: the budget's weight (预算执行率分值), a budget line's 年初预算数 beside its
全年预算数, a target whose operator was inferred, and monthly manual values uploaded in the sheet 指标填报 (with
their project, batch and 说明). Every row stored before keeps its meaning: weight 10, 年初 = 全年, operators as
written, values entered in the app.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN: a batch would copy these tables, which rows elsewhere point to.
    op.add_column("project", sa.Column("budget_weight", sa.Float(), nullable=False, server_default="10"))
    op.add_column("budgetline", sa.Column("initial_amount", sa.Float(), nullable=True))
    op.add_column("indicator", sa.Column("operator_inferred", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("manualvalue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_manualvalue_batch_id"), ["batch_id"], unique=False)
        batch_op.create_foreign_key("fk_manualvalue_project_id", "project", ["project_id"], ["id"])
        batch_op.create_foreign_key("fk_manualvalue_batch_id", "uploadbatch", ["batch_id"], ["id"])
    op.execute(
        "UPDATE manualvalue SET project_id = (SELECT indicator.project_id FROM indicator "
        "WHERE indicator.id = manualvalue.indicator_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("manualvalue", schema=None) as batch_op:
        batch_op.drop_constraint("fk_manualvalue_batch_id", type_="foreignkey")
        batch_op.drop_constraint("fk_manualvalue_project_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_manualvalue_batch_id"))
        batch_op.drop_column("note")
        batch_op.drop_column("batch_id")
        batch_op.drop_column("project_id")
    op.drop_column("indicator", "operator_inferred")
    op.drop_column("budgetline", "initial_amount")
    op.drop_column("project", "budget_weight")
