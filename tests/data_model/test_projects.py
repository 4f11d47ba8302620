"""Loading a performance table (绩效目标表) into a project, refusing bad tables in Chinese, and finding projects."""

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from data_model.db import make_engine
from data_model.models import BudgetLine, Indicator, Project
from data_model.problems import WorkbookRejected
from data_model.projects import find_project, list_projects
from data_model.xlsx import OLE2
from kpi.__main__ import main as kpi_main
from kpi.projects import build_project, create_project
from kpi.setup import SEED_TABLE
from tests.data_model.tables import edited, seed, with_cell, with_info
from tests.helpers import workbook_bytes

COST_LINE = "社会调解人员“以案定补”工作经费"


def with_weights(weights: list) -> bytes:
    sheets = seed()
    table = sheets["绩效目标"]
    sheets["绩效目标"] = [[*table[0], "分值"], *([*row, w] for row, w in zip(table[1:], weights))]
    return workbook_bytes(sheets)


def without(sheet: str, header: str | None = None) -> bytes:
    """The seed table without a sheet, or without one column of it."""
    sheets = seed()
    if header is None:
        del sheets[sheet]
    else:
        at = sheets[sheet][0].index(header)
        sheets[sheet] = [row[:at] + row[at + 1 :] for row in sheets[sheet]]
    return workbook_bytes(sheets)


SEED_WEIGHTS = [3.34] * 5 + [3.33] * 10 + [10.0] * 3 + [5.0] * 2  # 分值 left blank: the default split

# seq: (一级指标, 二级指标, operator, value, unit, word, metric key, budget line)
SEED_INDICATORS = {
    1: ("成本指标", "经济成本指标", "≤", 260.0, "元/人/案", None, "cost_per_subsidy_person", COST_LINE),
    5: (
        "成本指标",
        "经济成本指标",
        "≤",
        1000.0,
        "元/月",
        None,
        "cost_per_maintained_month",
        "浦锦街道劳资矛盾智慧预警平台项目维护费用",
    ),
    6: ("产出指标", "数量指标", "=", 3.0, "家", None, "sites_completed", None),
    9: ("产出指标", "数量指标", "=", 100.0, "%", None, "platform_integration", None),
    10: ("产出指标", "数量指标", "≥", 76.0, "个案件", None, "subsidy_cases", None),
    14: ("产出指标", "时效指标", None, None, "", "及时", "site_timeliness", None),
    17: ("效益指标", "社会效益指标", None, None, "", "同比提高", "dispute_yoy", None),
    18: ("效益指标", "可持续影响指标", None, None, "", "健全", "mechanism_judged", None),
    20: ("满意度指标", "服务对象满意度指标", "≥", 85.0, "%", None, "employer_satisfaction", None),
}


def test_seed_table_loads_twenty_indicators_in_order_with_parsed_targets(db, project):
    indicators = db.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)).all()
    assert [i.seq for i in indicators] == list(range(1, 21))
    assert indicators[0].level3 == "“以案定补”个案补贴成本" and indicators[19].level3 == "用工单位满意度"
    for seq, expected in SEED_INDICATORS.items():
        i = indicators[seq - 1]
        assert (
            i.level1,
            i.level2,
            i.operator,
            i.target_value,
            i.unit,
            i.word,
            i.metric_key,
            i.budget_line,
        ) == expected, seq
    assert [i.weight for i in indicators] == SEED_WEIGHTS
    assert sum(i.weight for i in indicators) == pytest.approx(90.0)


def test_seed_table_loads_project_and_five_budget_lines(db, project):
    assert (project.name, project.year, project.department, project.implementer) == (
        "2024年浦锦街道劳动关系项目",
        2024,
        "闵行区浦锦街道办事处",
        "浦锦街道社区事务受理服务中心",
    )
    lines = db.exec(select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq)).all()
    assert [(line.name, line.amount) for line in lines] == [
        (COST_LINE, 20000.0),
        ("工作装备经费", 40000.0),
        ("打造社会化调解阵地", 60000.0),
        ("开展劳动法普法宣讲", 18000.0),
        ("浦锦街道劳资矛盾智慧预警平台项目维护费用", 12000.0),
    ]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ([3.0] * 10 + [4.0] * 5 + [10.0] * 3 + [5.0] * 2, [3.0] * 10 + [4.0] * 5 + [10.0] * 3 + [5.0] * 2),
        # as a backup made before weights had two decimals holds them: the old default gets the new split
        ([50 / 15] * 15 + [10.0] * 3 + [5.0] * 2, SEED_WEIGHTS),
    ],
)
def test_weights_given_in_the_table_are_kept_unless_they_are_the_old_unrounded_default(written, stored):
    _, _, indicators = build_project(with_weights(written))
    assert [i.weight for i in indicators] == stored


@pytest.mark.parametrize(
    ("info", "funds"),
    [
        ({}, (0.0, 0.0)),  # by default all of it is 当年财政拨款
        ({"上年结转资金": 20000, "其他资金": ""}, (20000.0, 0.0)),
        ({"上年结转资金": "100,000", "其他资金": 50000}, (100000.0, 50000.0)),  # up to the whole budget
    ],
)
def test_the_funding_sources_stated_in_the_table_are_kept(info, funds):
    project, _, _ = build_project(with_info(**info))
    assert (project.carried_over, project.other_funds) == funds


def cell_case(name: str, sheet: str, row: int, header: str, value, fragment: str):
    """One bad cell of the seed table, reported at that cell."""
    return pytest.param(edited(sheet, row, header, value), [("P003", sheet, row, header)], fragment, id=name)


def weights_case(name: str, weights: list, row: int | None, fragment: str):
    """The seed table with a 分值 column; a problem with the whole set has no row."""
    return pytest.param(with_weights(weights), [("P003", "绩效目标", row, "分值")], fragment, id=name)


# data, (code, sheet, row, column) of every problem, a fragment of the first problem's text
REJECTED = [
    pytest.param(
        b"not a workbook", [("E001", None, None, None)], "文件无法读取：不是有效的 Excel（.xlsx）工作簿", id="not-xlsx"
    ),
    pytest.param(
        OLE2 + b"W\0o\0r\0k\0b\0o\0o\0k\0", [("E006", None, None, None)], "这是旧版 Excel 文件（.xls）", id="legacy-xls"
    ),
    cell_case(
        "unknown-metric",
        "绩效目标",
        4,
        "计算口径",
        "阵地单价",
        "工作表「绩效目标」第 4 行「计算口径」列：计算口径「阵地单价」不存在，应为：以案定补个案补贴成本、",
    ),
    cell_case(
        "cost-metric-without-budget-line",
        "绩效目标",
        2,
        "关联预算明细",
        "",
        "成本指标须关联预算明细中的一项，实际为「」",
    ),
    cell_case(
        "cost-metric-with-near-miss-budget-line",
        "绩效目标",
        3,
        "关联预算明细",
        "工作装备",
        "成本指标须关联预算明细中的一项，实际为「工作装备」",
    ),
    cell_case(
        "target-number-after-its-unit",  # a bare number is read with an inferred operator; this is no target
        "绩效目标",
        2,
        "年度指标值",
        "元/人/案260",
        "年度指标值「元/人/案260」无法识别",
    ),
    cell_case("target-without-number", "绩效目标", 7, "年度指标值", "=(家)", "年度指标值「=(家)」的比较符号后缺少数值"),
    cell_case("target-unbalanced-bracket", "绩效目标", 7, "年度指标值", "=3.00(家", "的单位括号不配对"),
    cell_case(
        "count-metric-with-a-word-target", "绩效目标", 7, "年度指标值", "三家", "计算口径「调解阵地建成数」需要数值目标"
    ),
    weights_case(
        "weights-short-of-100", [4.0] * 20, None, "分值合计为 90.00 分（含预算执行率 10 分），比 100 分少 10.00 分"
    ),
    weights_case("weights-over-100", [5.0] * 20, None, "比 100 分多 10.00 分"),
    weights_case("weights-partly-blank", [*SEED_WEIGHTS[:19], None], None, "分值列要么全部填写，要么全部留空"),
    weights_case("weight-not-a-number", [*SEED_WEIGHTS[:19], "五分"], 21, "分值应为数字，实际为「五分」"),
    weights_case(
        "weights-of-three-decimals", [*SEED_WEIGHTS[:18], 5.005, 4.995], None, "分值最多保留两位小数：5.005、4.995"
    ),
    cell_case("budget-amount-text", "预算明细", 3, "金额", "四万", "金额应为大于 0 的数字，实际为「四万」"),
    pytest.param(
        with_info(项目年度="二〇二四"),
        [("P003", "项目信息", None, "内容")],
        "项目年度应为四位年份，实际为「二〇二四」",
        id="year-not-a-number",
    ),
    pytest.param(
        with_info(项目名称=""), [("P003", "项目信息", None, "内容")], "缺少「项目名称」", id="project-name-missing"
    ),
    pytest.param(
        with_info(上年结转资金="两万"),
        [("P003", "项目信息", None, "内容")],
        "「上年结转资金」应为不小于 0 的金额（元），实际为「两万」",
        id="carried-over-not-a-number",
    ),
    pytest.param(
        with_info(其他资金="-500"),
        [("P003", "项目信息", None, "内容")],
        "「其他资金」应为不小于 0 的金额（元），实际为「-500」",
        id="other-funds-negative",
    ),
    pytest.param(
        with_info(上年结转资金=100000, 其他资金="50,000.01"),
        [("P003", "项目信息", None, "内容")],
        "上年结转资金与其他资金合计 150,000.01 元，超过预算明细合计 150,000.00 元",
        id="funds-over-the-budget",
    ),
    pytest.param(
        without("预算明细"),
        [("P001", "预算明细", None, None), *[("P003", "绩效目标", r, "关联预算明细") for r in range(2, 7)]],
        "工作表「预算明细」：缺少工作表「预算明细」",
        id="budget-sheet-missing",
    ),
    pytest.param(
        without("绩效目标", "三级指标"),
        [("P002", "绩效目标", 1, "三级指标")],
        "工作表「绩效目标」第 1 行「三级指标」列：缺少列「三级指标」",
        id="indicator-column-missing",
    ),
]


@pytest.mark.parametrize(("data", "expected", "fragment"), REJECTED)
def test_bad_performance_table_is_refused_in_chinese(data, expected, fragment):
    with pytest.raises(WorkbookRejected) as rejected:
        build_project(data)
    problems = rejected.value.problems
    assert [(p.code, p.sheet, p.row or None, p.column) for p in problems] == expected
    assert fragment in problems[0].text()


def test_a_second_project_with_the_same_name_is_refused_and_nothing_is_added(db, project):
    with pytest.raises(WorkbookRejected) as rejected:
        create_project(db, SEED_TABLE.read_bytes())
    assert [p.text() for p in rejected.value.problems] == ["项目「2024年浦锦街道劳动关系项目」已存在"]
    assert len(db.exec(select(Project)).all()) == 1
    assert len(db.exec(select(Indicator)).all()) == 20


def test_projects_are_found_by_id_or_name_and_the_latest_year_by_default(db, project):
    later = create_project(db, with_info(项目名称="2025年浦锦街道劳动关系项目", 项目年度=2025))
    assert find_project(db).id == later.id
    assert find_project(db, project.id).id == project.id
    assert find_project(db, str(project.id)).id == project.id
    assert find_project(db, "2024年浦锦街道劳动关系项目").id == project.id
    assert [p.name for p in list_projects(db)] == ["2025年浦锦街道劳动关系项目", "2024年浦锦街道劳动关系项目"]


@pytest.mark.parametrize(("ref", "message"), [("不存在的项目", "找不到项目「不存在的项目」"), (99, "找不到项目「99」")])
def test_unknown_project_is_named_in_the_error(db, project, ref, message):
    with pytest.raises(LookupError, match=message):
        find_project(db, ref)


def test_empty_database_says_to_run_init(db):
    with pytest.raises(LookupError, match="请先运行 python -m data_model init"):
        find_project(db)


def test_evaluating_a_database_never_initialised_says_to_run_init_and_creates_nothing(tmp_path, capsys):
    path = tmp_path / "empty.db"
    assert kpi_main(["evaluate", "--db", f"sqlite:///{path}"]) == 2
    assert capsys.readouterr().err.strip() == "数据库中还没有项目，请先运行 python -m data_model init"
    engine = make_engine(f"sqlite:///{path}")
    assert inspect(engine).get_table_names() == []
    engine.dispose()


# 绩效目标 row 20 (劳动者满意度): the cell's XML, and the target read or the problems refusing it
FORMULA_CELLS = [
    pytest.param('<c r="{ref}" t="str"><f>"≥"&amp;85&amp;"%"</f><v>≥85%</v></c>', "≥85%", id="formula-with-its-text"),
    pytest.param('<c r="{ref}" t="str"><f>D21</f><v>＞＝90％</v></c>', "＞＝90％", id="formula-with-full-width-text"),
    pytest.param(
        '<c r="{ref}"><f>"≥"&amp;85&amp;"%"</f></c>',
        [
            "工作表「绩效目标」第 20 行「年度指标值」列：单元格 D20 是公式，但文件中没有保存它的计算结果；"
            "请在 Excel 中打开并保存（或改为直接填写数值）后重新上传"
        ],
        id="formula-without-its-result",
    ),
    pytest.param(
        '<c r="{ref}" t="e"><v>#N/A</v></c>',
        ["工作表「绩效目标」第 20 行「年度指标值」列：单元格 D20 是错误值「#N/A」，请改为实际的值后重新上传"],
        id="error-value",
    ),
]


@pytest.mark.parametrize(("xml", "expected"), FORMULA_CELLS)
def test_a_formula_target_is_read_by_its_saved_value_or_refused_as_a_formula(xml, expected):
    data = with_cell("绩效目标", 20, "年度指标值", xml)
    if isinstance(expected, str):
        assert build_project(data)[2][18].target_text == expected
        return
    with pytest.raises(WorkbookRejected) as rejected:
        build_project(data)
    assert [p.text() for p in rejected.value.problems] == expected


# the projects added beside the seed's 2024 one (name, year), and the one used without --project (None: refused)
DEFAULTS = [
    pytest.param([], "2024年浦锦街道劳动关系项目", id="the-seed-alone"),
    pytest.param([("2023年浦锦街道劳动关系项目", 2023)], "2024年浦锦街道劳动关系项目", id="an-earlier-year"),
    pytest.param([("2025年浦锦街道劳动关系项目", 2025)], "2025年浦锦街道劳动关系项目", id="a-later-year"),
    pytest.param([("2024年梅陇镇劳动关系项目", 2024)], None, id="two-in-the-latest-year"),
    pytest.param(
        [("2024年梅陇镇劳动关系项目", 2024), ("2025年浦锦街道劳动关系项目", 2025)],
        "2025年浦锦街道劳动关系项目",
        id="two-in-an-earlier-year",
    ),
]


@pytest.mark.parametrize(("added", "expected"), DEFAULTS)
def test_without_a_project_named_the_only_project_of_the_latest_year_is_used(db, project, added, expected):
    for name, year in added:
        create_project(db, with_info(项目名称=name, 项目年度=year))
    if expected is not None:
        assert find_project(db).name == expected
        return
    with pytest.raises(LookupError) as refused:
        find_project(db)
    assert str(refused.value) == (
        "2024 年度有 2 个项目，请用 --project 指定编号或名称："
        f"{project.id}「2024年浦锦街道劳动关系项目」；{project.id + 1}「2024年梅陇镇劳动关系项目」"
    )
