"""A project built from its performance-table workbook: data_model.projects reads the sheets; here each 计算口径
is bound to its metric, the metric's needs are checked, and the weights set."""

from sqlmodel import Session

from data_model.models import BudgetLine, Indicator, Project
from data_model.problems import WorkbookRejected
from data_model.projects import PerformanceTable, add_project
from data_model.sheets import TARGETS
from data_model.targets import WANTED, dimension
from kpi.metrics import BY_NAME, UNNAMED
from kpi.scoring import BUDGET_WEIGHT, WeightError, check_weights, default_weights, renewed_weights


def build_project(data: bytes) -> tuple[Project, list[BudgetLine], list[Indicator]]:
    """Read and check a performance-table workbook; raises WorkbookRejected listing every problem."""
    table = PerformanceTable(data)
    fields, lines = table.fields(), table.budget_lines()
    table.check_funds(fields, lines)
    line_names = {line.name for line in lines}
    indicators, weights = [], []
    for number, cells in table.indicator_rows():
        target = table.target(number, cells)
        metric = BY_NAME.get(cells["计算口径"])
        if not cells["计算口径"] and target:  # left out: entered by hand, or judged when the target is a word
            metric = UNNAMED[target.is_qualitative]
        if metric is None:
            if cells["计算口径"]:  # a blank one with an unreadable target: the target's problem says it all
                table.error(
                    TARGETS.name, number, "计算口径", "P003.metric", raw=cells["计算口径"], choices="、".join(BY_NAME)
                )
        elif metric.kind.needs_budget_line and cells["关联预算明细"] not in line_names:
            table.error(TARGETS.name, number, "关联预算明细", "P003.budget_line", raw=cells["关联预算明细"])
        elif target and (entry := metric.kind.target_problem(target, metric.unit)):
            wanted = WANTED[dimension(metric.unit or "")]
            table.error(
                TARGETS.name,
                number,
                "年度指标值",
                entry,
                metric=metric.name,
                unit=metric.unit,
                raw=target.text,
                wanted=wanted,
            )
        weights.append(table.weight(number, cells))
        indicators.append(
            Indicator(
                seq=len(indicators) + 1,
                level1=cells["一级指标"],
                level2=cells["二级指标"],
                level3=cells["三级指标"],
                target_text=target.text if target else cells["年度指标值"],
                operator=target and target.operator,
                target_value=target and target.value,
                unit=target.unit if target else "",
                word=target and target.word,
                operator_inferred=bool(target and target.inferred),
                weight=0.0,
                metric_key=metric.key if metric else "",
                source=cells["指标来源"],
                budget_line=cells["关联预算明细"] or None if metric and metric.kind.needs_budget_line else None,
            )
        )
    if not indicators and not table.problems:
        table.error(TARGETS.name, 0, "", "P003.empty")
    if indicators and not table.problems:
        _set_weights(table, indicators, weights, fields["budget_weight"])
    if table.problems:
        raise WorkbookRejected(table.problems)
    return Project(**fields), lines, indicators


def _set_weights(
    table: PerformanceTable, indicators: list[Indicator], weights: list[float | None], budget_weight: float
) -> None:
    """The 分值 written (a group written as the old unrounded default split getting the new one), or the default
    split when the column is blank; a problem when they cannot be used."""
    level1s = [i.level1 for i in indicators]
    try:
        if all(w is None for w in weights):
            if abs(budget_weight - BUDGET_WEIGHT) > 0.005:
                rest = 100 - budget_weight
                raise WeightError(
                    f"预算执行率分值为 {budget_weight:g} 分时不能按默认规则分配，请填写分值列（合计 {rest:g} 分）"
                )
            weights = default_weights(level1s)
        elif any(w is None for w in weights):
            raise WeightError("分值列要么全部填写，要么全部留空（按默认规则分配）")
        weights = renewed_weights(level1s, weights)
        check_weights(weights, budget_weight)
    except WeightError as err:
        table.error(TARGETS.name, 0, "分值", "P003.refused", reason=err)
    else:
        for indicator, weight in zip(indicators, weights):
            indicator.weight = weight


def create_project(session: Session, data: bytes) -> Project:
    """Store a new project from its performance-table workbook, refusing a name already used."""
    project = add_project(session, *build_project(data))
    session.commit()
    return project
