"""Weights with two decimals: a group of indicators still holding the old default weights (its points split evenly
to the full float, 50 ÷ 15 = 3.3333…) gets the largest-remainder split (five of 3.34, then ten of 3.33, in table
order), and the judged or overriding scores of a re-weighted indicator keep their share of its weight, in points.
Weights an admin set, and groups whose even split is exact (30 ÷ 3 = 10), are left alone.

The groups and both splits are written out here, not imported: a migration must do the same thing whatever the
code becomes (and data_model never imports kpi).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 08:40:00.000000
"""

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 一级指标 → its group and the group's points.
GROUPS = {
    "成本指标": ("成本与产出", 50),
    "产出指标": ("成本与产出", 50),
    "效益指标": ("效益", 30),
    "满意度指标": ("满意度", 10),
}

_indicator = sa.table(
    "indicator", sa.column("id"), sa.column("project_id"), sa.column("seq"), sa.column("level1"), sa.column("weight")
)
_judgment = sa.table("judgment", sa.column("indicator_id"), sa.column("score"))


def _points(value: float) -> float:
    """Half-up to two decimals, after shedding the float's binary error."""
    exact = Decimal(repr(value)).quantize(Decimal("1e-9"), ROUND_HALF_EVEN)
    return float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _even(points: int, size: int) -> list[float]:
    return [points / size] * size


def _largest_remainder(points: int, size: int) -> list[float]:
    base, left_over = divmod(points * 100, size)
    return [(base + (rank < left_over)) / 100 for rank in range(size)]


def _resplit(old: Callable[[int, int], list[float]], new: Callable[[int, int], list[float]]) -> None:
    """Every group of a project whose weights are exactly `old`'s split gets `new`'s, its judgments rescaled."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_indicator.c.id, _indicator.c.project_id, _indicator.c.level1, _indicator.c.weight)
        .where(_indicator.c.level1.in_(list(GROUPS)))
        .order_by(_indicator.c.project_id, _indicator.c.seq)
    ).all()
    by_group = sorted(rows, key=lambda row: (row.project_id, GROUPS[row.level1][0]))  # stable: table order kept
    for (_, name), members in groupby(by_group, key=lambda row: (row.project_id, GROUPS[row.level1][0])):
        members = list(members)
        points = GROUPS[members[0].level1][1]
        if any(abs(row.weight - weight) > 1e-9 for row, weight in zip(members, old(points, len(members)))):
            continue  # set by an admin (or already split so)
        for row, weight in zip(members, new(points, len(members))):
            if weight == row.weight:
                continue
            connection.execute(sa.update(_indicator).where(_indicator.c.id == row.id).values(weight=weight))
            score = connection.execute(
                sa.select(_judgment.c.score).where(_judgment.c.indicator_id == row.id)
            ).scalar()  # one judgment at most; None when there is none, or it has no score (不适用)
            if score is not None:
                connection.execute(
                    sa.update(_judgment)
                    .where(_judgment.c.indicator_id == row.id)
                    .values(score=_points(score * weight / row.weight))
                )


def upgrade() -> None:
    _resplit(_even, _largest_remainder)


def downgrade() -> None:
    _resplit(_largest_remainder, _even)
