"""The shapes a published 绩效目标表 comes in, read by kpi.projects.build_project: the budget's weight, a budget line's
年初预算数 and 调整后预算数, 当年财政拨款, 计算口径 left out; and what is refused, in Chinese."""

import pytest

from data_model.problems import WorkbookRejected
from kpi.projects import build_project
from tests.data_model.tables import seed, with_info
from tests.helpers import workbook_bytes

TOTAL = 150_000  # the seed's five budget lines


def with_budget(headers: list[str], amounts: list[list]) -> bytes:
    """The seed table with its 预算明细 amounts in these columns, one row of amounts per line."""
    sheets = seed()
    lines = sheets["预算明细"][1:]
    sheets["预算明细"] = [
        ["序号", "项目明细", "项目内容", *headers],
        *([*line[:3], *a] for line, a in zip(lines, amounts)),
    ]
    return workbook_bytes(sheets)


def without_metrics(weights: list | None = None, budget_weight: int | None = None) -> bytes:
    """The seed table without its 计算口径 column (and 关联预算明细), with these 分值 and 预算执行率分值 if given."""
    sheets = seed()
    table = sheets["绩效目标"]
    keep = [table[0].index(h) for h in ("一级指标", "二级指标", "三级指标", "年度指标值")]
    rows = [[row[i] for i in keep] for row in table]
    if weights is not None:
        rows = [[*rows[0], "分值"], *([*row, w] for row, w in zip(rows[1:], weights))]
    sheets["绩效目标"] = rows
    if budget_weight is not None:
        sheets["项目信息"].append(["预算执行率分值", budget_weight])
    return workbook_bytes(sheets)


def test_adjusted_budget_lines_keep_their_initial_amount_and_the_adjusted_one_is_the_year_budget():
    amounts = [[20000, 18000], [40000, 42000], [60000, 60000], [18000, 18000], [12000, 12000]]
    lines = build_project(with_budget(["年初预算数", "调整后预算数"], amounts))[1]
    assert [(line.amount, line.initial_amount) for line in lines] == [
        (18000.0, 20000.0),
        (42000.0, 40000.0),
        (60000.0, None),
        (18000.0, None),
        (12000.0, None),
    ]


def test_a_budget_weight_of_20_takes_the_indicators_weights_adding_up_to_80():
    project, _, indicators = build_project(without_metrics([2.0] * 15 + [10.0] * 5, budget_weight=20))
    assert (project.budget_weight, sum(i.weight for i in indicators)) == (20.0, 80.0)


def test_without_a_metric_column_numeric_targets_are_reported_by_hand_and_qualitative_ones_judged():
    indicators = build_project(without_metrics())[2]
    assert {i.metric_key for i in indicators if i.word} == {"manual_judged"}
    assert {i.metric_key for i in indicators if not i.word} == {"manual_latest"}
    assert [i.seq for i in indicators if i.word] == [14, 15, 17, 18]


REFUSED = [
    pytest.param(
        with_info(预算执行率分值="二十"),
        "工作表「项目信息」「内容」列：预算执行率分值应为 0 到 100 之间的数字，实际为「二十」",
        id="budget-weight-not-a-number",
    ),
    pytest.param(
        with_info(预算执行率分值=20),
        "工作表「绩效目标」「分值」列：预算执行率分值为 20 分时不能按默认规则分配，请填写分值列（合计 80 分）",
        id="budget-weight-20-with-blank-weights",
    ),
    pytest.param(
        with_info(当年财政拨款=140000, 上年结转资金=5000),
        "工作表「项目信息」「内容」列：当年财政拨款 140,000.00 元、上年结转资金与其他资金 5,000.00 元"
        "合计 145,000.00 元，与预算明细合计 150,000.00 元不符",
        id="funding-sources-short-of-the-budget",
    ),
    pytest.param(
        with_budget(["年初预算数", "调整后预算数"], [[None, None], *[[1000, None]] * 4]),
        "工作表「预算明细」第 2 行「金额」列：应至少填写「调整后预算数」「金额」「年初预算数」之一",
        id="budget-line-without-any-amount",
    ),
    pytest.param(
        with_budget(["年初预算数", "调整后预算数"], [[20000, "一万八"], *[[1000, None]] * 4]),
        "工作表「预算明细」第 2 行「调整后预算数」列：金额应为大于 0 的数字，实际为「一万八」",
        id="adjusted-amount-not-a-number",
    ),
]


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_a_table_that_cannot_be_used_is_refused_in_chinese(data, message):
    with pytest.raises(WorkbookRejected) as rejected:
        build_project(data)
    assert [p.text() for p in rejected.value.problems] == [message]


def test_funding_sources_adding_up_to_the_budget_are_accepted():
    project = build_project(with_info(当年财政拨款=140000, 上年结转资金=6000, 其他资金=4000))[0]
    assert (project.carried_over, project.other_funds) == (6000.0, 4000.0)
