"""Published-style 绩效目标表 run end to end through the command lines: each table is added with `add-project` as
printed (no 计算口径, a 分值 column, targets without an operator, qualitative rows, an adjusted budget, a budget
weight of 20 in one), its actuals uploaded in the sheet 指标填报 and its spending in 支出明细, its qualitative rows
judged with `kpi judge`; the scores are then the 财预〔2020〕10号 formulas, worked out here independently of kpi.scoring
(exact fractions, rounded half-up once per score)."""

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from data_model.__main__ import main as data_model_main
from data_model.db import session
from data_model.models import BudgetLine, Indicator, Project
from kpi.__main__ import main as kpi_main
from kpi.setup import SAMPLE_DIR
from tests.helpers import workbook_bytes

PASSWORD = "evaluator-pass-2023"


@dataclass(frozen=True)
class Row:
    """One 绩效目标 row as printed, what staff report for it (month → value as written) or how it is judged."""

    level1: str
    level2: str
    level3: str
    target: object  # as written in the cell: text, or a formula (see FORMULA)
    weight: str | None
    reported: tuple[tuple[str, object], ...] = ()  # (月份, 实际完成值) in 指标填报
    judged: tuple[str, str] | None = None  # (档次, 得分) through `kpi judge`


@dataclass(frozen=True)
class Table:
    name: str
    budget_weight: str | None  # 预算执行率分值; None: the row is left out (10)
    lines: tuple[tuple[str, str | None, str | None], ...]  # (项目内容, 年初预算数, 调整后预算数), 元
    spent: tuple[tuple[str, str], ...]  # (项目内容, 金额) in 支出明细
    rows: tuple[Row, ...]
    by_seq: bool = False  # 指标填报 names the indicators by 序号 (the header 序号) instead of 三级指标


FORMULA = object()  # a cell typed =100% in Excel: a formula whose saved value is 1, shown 100% (format 0%)
ACHIEVED, PARTLY = "达成年度指标", "部分达成年度指标并具有一定效果"

TABLES = [
    Table(
        "2023年某区就业援助项目",
        None,
        (("职业技能培训", "300000", "280000"), ("就业援助服务", "100000", "100000")),
        (("职业技能培训", "266000"), ("就业援助服务", "95000")),
        (
            Row("成本指标", "经济成本指标", "人均培训成本", "800元/人", "10", (("2023-06", 760), ("2023-12", 850))),
            Row("产出指标", "数量指标", "培训人次", "500人次", "20", (("2023-12", 450),)),
            Row("产出指标", "质量指标", "培训合格率", "100%", "10", (("2023-12", "96%"),)),
            Row("产出指标", "时效指标", "培训完成及时性", "及时", "10", judged=(ACHIEVED, "9.5")),
            Row("效益指标", "社会效益指标", "就业困难人员就业率", "≥85 百分比", "15", (("2023-12", 88),)),
            Row("效益指标", "可持续影响指标", "制度执行情况", "严格执行相关制度规定", "15", judged=(PARTLY, "10.5")),
            Row("满意度指标", "服务对象满意度指标", "学员满意度", "90%", "10", (("2023-11", 92),)),
        ),
    ),
    Table(
        "2023年某省劳动保障监察项目",
        "20",
        (("监察执法", "200000", "180000"),),
        (("监察执法", "171000"),),
        (
            Row("成本指标", "经济成本指标", "执法装备购置成本", "20万元", "15", (("2023-12", 21.5),)),
            Row("产出指标", "数量指标", "专项检查户次", "43.2", "20", (("2023-10", 30), ("2023-12", 40))),
            Row("产出指标", "质量指标", "案件按期结案率", "＞＝９５％", "15", (("2023-12", 97),)),
            Row("效益指标", "社会效益指标", "劳动者权益保障水平", "显著提升", "20", judged=(PARTLY, "14")),
            Row("满意度指标", "服务对象满意度指标", "投诉人满意度", "≥90%", "10", (("2023-12", 85),)),
        ),
        by_seq=True,
    ),
    Table(
        "2023年某街道调解中心运行项目",
        None,
        (("调解中心运行", "150000", None),),
        (("调解中心运行", "138000"),),
        (
            Row("成本指标", "经济成本指标", "调解员补贴标准", "≤1200元/人/月", "20", (("2023-12", 1200),)),
            Row("产出指标", "数量指标", "调解案件数", "≥300件", "15", (("2023-12", 320),)),
            Row("产出指标", "质量指标", "调解成功率", FORMULA, "15", (("2023-12", 92.5),)),
            Row("效益指标", "社会效益指标", "矛盾纠纷化解效果", "效果明显", "30", judged=(ACHIEVED, "27")),
            Row("满意度指标", "服务对象满意度指标", "当事人满意度", "≥95%", "10", (("2023-12", 96),)),
        ),
    ),
    Table(
        "2023年某镇劳动关系协调项目",
        None,
        (("协调员经费", "60000", "50000"), ("宣传经费", "40000", "40000")),
        (("协调员经费", "50000"), ("宣传经费", "30000")),
        (
            Row("成本指标", "经济成本指标", "单场宣传成本", "5000元/场", None, (("2023-12", 5500),)),
            Row("产出指标", "数量指标", "宣传场次", "8场", None, (("2023-12", 6),)),
            Row("效益指标", "社会效益指标", "和谐劳动关系创建", "及时", None, judged=(PARTLY, "20")),
            Row("满意度指标", "服务对象满意度指标", "企业满意度", "85%", None, (("2023-12", 90),)),
        ),
    ),
]

# What each table's rows are stored as: (年度指标值 stored, operator, inferred, metric key) by table name and seq.
STORED = {
    "2023年某区就业援助项目": [
        ("≤800元/人", "≤", True, "manual_latest"),
        ("≥500人次", "≥", True, "manual_latest"),
        ("=100%", "=", True, "manual_latest"),
        ("及时", None, False, "manual_judged"),
        ("≥85 百分比", "≥", False, "manual_latest"),
        ("严格执行相关制度规定", None, False, "manual_judged"),
        ("≥90%", "≥", True, "manual_latest"),
    ],
    "2023年某省劳动保障监察项目": [
        ("≤20万元", "≤", True, "manual_latest"),
        ("≥43.2", "≥", True, "manual_latest"),
        ("＞＝９５％", "≥", False, "manual_latest"),
        ("显著提升", None, False, "manual_judged"),
        ("≥90%", "≥", False, "manual_latest"),
    ],
    "2023年某街道调解中心运行项目": [
        ("≤1200元/人/月", "≤", False, "manual_latest"),
        ("≥300件", "≥", False, "manual_latest"),
        ("=100%", "=", True, "manual_latest"),
        ("效果明显", None, False, "manual_judged"),
        ("≥95%", "≥", False, "manual_latest"),
    ],
    "2023年某镇劳动关系协调项目": [
        ("≤5000元/场", "≤", True, "manual_latest"),
        ("≥8场", "≥", True, "manual_latest"),
        ("及时", None, False, "manual_judged"),
        ("≥85%", "≥", True, "manual_latest"),
    ],
}
# 分值 left blank (the fourth table): the default split, 成本+产出 50, 效益 30, 满意度 10.
DEFAULT_WEIGHTS = ["25", "25", "30", "10"]


def cents(value: Fraction) -> Fraction:
    """Half-up to two decimals, once, as a person rounds a score."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return Fraction(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def number(written) -> Fraction:
    """A number as written in a cell: 96% is 96 (a percentage as written), 21.5 is 21.5."""
    return Fraction(str(written).rstrip("%"))


def target_value(row: Row) -> tuple[str, Fraction]:
    """The target's direction and value, worked out from the printed text (not from the product)."""
    if row.target is FORMULA:
        return "=", Fraction(100)
    text = re.sub(r"[＞＝９５％]", lambda m: {"＞": ">", "＝": "=", "９": "9", "５": "5", "％": "%"}[m[0]], row.target)
    operator = re.match(r"[≤≥=<>]+", text)
    value = Fraction(re.search(r"\d+(\.\d+)?", text)[0])
    if operator:
        return {">=": "≥"}.get(operator[0], operator[0]), value
    return ("≤" if row.level1 == "成本指标" else "=" if text == "100%" else "≥"), value


def expected_score(row: Row, weight: Fraction) -> Fraction:
    """财预〔2020〕10号: ≥ and = score weight × min(actual ÷ target, 1); ≤ the full weight when met, else weight ×
    target ÷ actual; a judged row the evaluator's score."""
    if row.judged:
        return Fraction(row.judged[1])
    operator, target = target_value(row)
    actual = number(row.reported[-1][1])  # the latest month stands (人工填报（取最近一月）)
    if operator == "≤":
        return weight if actual <= target else cents(weight * target / actual)
    return cents(weight * min(actual / target, Fraction(1)))


def grade(total: Fraction) -> str:
    return next((name for floor, name in ((90, "优"), (80, "良"), (60, "中")) if total >= floor), "差")


def with_formula(data: bytes, sheet_index: int, ref: str) -> bytes:
    """The workbook with the cell at `ref` of its sheet `sheet_index` (1-based) turned into =100% saved with its
    value 1 in a percentage format, as Excel saves a typed =100%; openpyxl cannot write a formula's result."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[sheet_index - 1]
    sheet[ref] = 987654321
    sheet[ref].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    source, patched = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                part, found = re.subn(rb"<v>987654321</v>", b"<f>100%</f><v>1</v>", part)
                assert found == 1
            target.writestr(item, part)
    return patched.getvalue()


def performance_table(table: Table) -> bytes:
    info = [["字段", "内容"], ["项目名称", table.name], ["项目年度", "2023"], ["主管部门", "某区人社局"]]
    info += [["实施单位", "某街道"], ["年度目标", "完成年度各项任务"]]
    if table.budget_weight:
        info.append(["预算执行率分值", table.budget_weight])
    budget = [["序号", "项目明细", "项目内容", "年初预算数", "调整后预算数"]]
    budget += [[n, "项目支出", name, initial, adjusted] for n, (name, initial, adjusted) in enumerate(table.lines, 1)]
    targets = [["一级指标", "二级指标", "三级指标", "年度指标值", "分值"]]
    targets += [[r.level1, r.level2, r.level3, "" if r.target is FORMULA else r.target, r.weight] for r in table.rows]
    data = workbook_bytes({"项目信息": info, "预算明细": budget, "绩效目标": targets})
    formulas = [seq for seq, row in enumerate(table.rows, 1) if row.target is FORMULA]
    for seq in formulas:
        data = with_formula(data, 3, f"D{seq + 1}")
    return data


def reports(table: Table) -> bytes:
    """The upload: 支出明细 and 指标填报."""
    spent = [["凭证号", "支付日期", "预算明细", "金额", "摘要"]]
    spent += [[f"PZ-{n}", date(2023, 11, 20), line, amount, ""] for n, (line, amount) in enumerate(table.spent, 1)]
    reported = [["序号" if table.by_seq else "三级指标", "月份", "实际完成值", "说明"]]
    for seq, row in enumerate(table.rows, 1):
        for month, value in row.reported:
            reported.append([str(seq) if table.by_seq else row.level3, month, value, "台账"])
    return workbook_bytes({"支出明细": spent, "指标填报": reported})


@pytest.fixture
def url(engine, monkeypatch, capsys) -> str:
    """The test database with an evaluator's account, made through the command line."""
    address = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("KPI_NEW_PASSWORD", PASSWORD)
    assert (
        data_model_main(["create-user", "--role", "evaluator", "evaluator", "--name", "评价员", "--db", address]) == 0
    )
    capsys.readouterr()
    return address


def run(main, *args: str, capsys) -> str:
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_a_published_table_is_scored_by_the_formulas_through_the_command_lines(table, url, engine, tmp_path, capsys):
    path = tmp_path / "绩效目标表.xlsx"
    path.write_bytes(performance_table(table))
    assert f"已新增项目「{table.name}」（2023 年度）" in run(
        data_model_main, "add-project", str(path), "--db", url, capsys=capsys
    )
    with session(engine) as s:
        project = s.exec(select(Project).where(Project.name == table.name)).one()
        stored = s.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)).all()
        lines = s.exec(select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq)).all()
    assert [(i.target_text, i.operator, i.operator_inferred, i.metric_key) for i in stored] == STORED[table.name]
    assert [(line.amount, line.initial_amount) for line in lines] == [
        (float(adjusted or initial), float(initial) if adjusted and adjusted != initial else None)
        for _, initial, adjusted in table.lines
    ]

    upload = tmp_path / "报送.xlsx"
    upload.write_bytes(reports(table))
    run(data_model_main, "import", str(upload), "--db", url, "--project", table.name, capsys=capsys)
    judge = ["--db", url, "--project", table.name, "--as-of", "2023-12-31", "--user", "evaluator"]
    for seq, row in enumerate(table.rows, 1):
        if row.judged:
            tier, score = row.judged
            said = run(
                kpi_main, "judge", "--indicator", str(seq), "--tier", tier, "--score", score, *judge, capsys=capsys
            )
            assert said.strip() == f"第 {seq} 项指标评定为「{tier}」，{float(score):.2f} 分"
    result = json.loads(
        run(
            kpi_main, "evaluate", "--db", url, "--project", table.name, "--as-of", "2023-12-31", "--json", capsys=capsys
        )
    )

    weights = [Fraction(w) for w in ([r.weight for r in table.rows] if table.rows[0].weight else DEFAULT_WEIGHTS)]
    budget_weight = Fraction(table.budget_weight or 10)
    planned = sum(Fraction(adjusted or initial) for _, initial, adjusted in table.lines)  # 全年预算数 = 调整后
    spent = sum(Fraction(amount) for _, amount in table.spent)
    budget_score = cents(budget_weight * min(spent / planned, Fraction(1)))
    scores = [expected_score(row, weight) for row, weight in zip(table.rows, weights)]
    total = budget_score + sum(scores)
    assert (result["budget"]["weight"], result["budget"]["planned"]) == (float(budget_weight), float(planned))
    assert result["budget"]["score"] == float(budget_score)
    assert [(i["weight"], i["score"]) for i in result["indicators"]] == [
        (float(w), float(score)) for w, score in zip(weights, scores)
    ]
    assert (result["total_score"], result["grade"]) == (float(total), grade(total))


def test_the_self_assessment_form_shows_the_initial_and_the_adjusted_budget(url, engine, tmp_path, capsys):
    table = TABLES[0]
    path = tmp_path / "绩效目标表.xlsx"
    path.write_bytes(performance_table(table))
    run(data_model_main, "add-project", str(path), "--db", url, capsys=capsys)
    out = tmp_path / "自评表.xlsx"
    run(kpi_main, "export", "--out", str(out), "--db", url, "--as-of", "2023-12-31", capsys=capsys)
    sheet = load_workbook(out).active
    rows = {row[1].value: row[1].row for row in sheet.iter_rows() if len(row) > 1}  # by 资金 label (column B)
    figures = {label: (sheet[f"C{rows[label]}"].value, sheet[f"D{rows[label]}"].value) for label in rows}
    assert figures["年度资金总额"] == (40.0, 38.0)  # 年初预算数 30 + 10 万元, 全年预算数 (调整后) 28 + 10
    assert figures["其中：当年财政拨款"] == (40.0, 38.0)  # the only source: the adjustment is its own


def test_a_table_whose_weights_add_up_to_110_is_refused_with_the_amount_it_is_off_by(url, engine, tmp_path, capsys):
    table = TABLES[0]
    rows = (
        *table.rows[:-1],
        Row(*[getattr(table.rows[-1], f) for f in ("level1", "level2", "level3", "target")], "20"),
    )
    path = tmp_path / "绩效目标表.xlsx"
    path.write_bytes(performance_table(Table(table.name, None, table.lines, table.spent, rows)))
    assert data_model_main(["add-project", str(path), "--db", url]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  [P003] 工作表「绩效目标」「分值」列：分值合计为 110.00 分（含预算执行率 10 分），比 100 分多 10.00 分"
    ]
    with session(engine) as s:
        assert s.exec(select(Project)).all() == []


def test_the_shipped_example_imports_as_printed_and_is_reported_through_its_upload(url, capsys):
    table, reports = (str(SAMPLE_DIR / name) for name in ("published_table.xlsx", "published_reports.xlsx"))
    run(data_model_main, "add-project", table, "--db", url, capsys=capsys)
    said = run(data_model_main, "import", reports, "--db", url, capsys=capsys)
    assert "支出明细 新增 2 条、更新 0 条、未变 0 条；指标填报 新增 4 条、更新 0 条、未变 0 条" in said
    result = json.loads(run(kpi_main, "evaluate", "--db", url, "--as-of", "2025-06-30", "--json", capsys=capsys))
    assert (result["budget"]["weight"], result["budget"]["planned"], result["budget"]["score"]) == (20.0, 180000.0, 9.2)
    assert [(i["target"], i["status"], i["score"]) for i in result["indicators"]] == [
        ("≤4000元/场", "met", 10.0),  # 3,800 元 against 4000元/场, a 成本指标: ≤ inferred
        ("≥12场", "not_met", 7.5),  # 6 of 12: 15 × 0.5
        ("=100%", "not_met", 12.75),  # 85 %: 15 × 0.85
        ("及时", "pending", 0.0),  # 人工评定
        ("显著提升", "pending", 0.0),
        ("≥90 百分比", "met", 10.0),
    ]
