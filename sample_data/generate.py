"""Regenerate the sample files: `python sample_data/generate.py`.

Writes the seed's performance table (performance_table.xlsx) and a realistic 2024 for the Pujin
labour-relations project: twelve monthly upload workbooks (2024/2024-MM.xlsx) and the 2023
baseline statistics (2024/baseline-2023.xlsx). Everything is deterministic. The year is built so
that most targets are met and a few deviate honestly:
  - 15 of 16 equipment sets issued (one new mediator still waiting);
  - the 商圈 mediation site finished three weeks after its planned date;
  - one valid complaint received on 27 December is still open at year end;
  - employers' satisfaction at 50 of 60 (83.3 %), under the 85 % target;
  - 长效管理机制 awaits the evaluator's judgment.
"""

from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

HERE = Path(__file__).resolve().parent
YEAR = 2024
LINES = (
    ("劳动关系矛盾化解工作经费", "社会调解人员“以案定补”工作经费", 20000),
    ("劳动关系矛盾化解工作经费", "工作装备经费", 40000),
    ("劳动关系矛盾化解工作经费", "打造社会化调解阵地", 60000),
    ("劳动关系矛盾化解工作经费", "开展劳动法普法宣讲", 18000),
    ("劳动关系矛盾化解工作经费", "浦锦街道劳资矛盾智慧预警平台项目维护费用", 12000),
)
SUBSIDY, EQUIPMENT, SITES, EVENTS, PLATFORM = (line[1] for line in LINES)

# 一级指标, 二级指标, 三级指标, 年度指标值, 指标来源, 计算口径, 关联预算明细
TABLE = (
    (
        "成本指标",
        "经济成本指标",
        "“以案定补”个案补贴成本",
        "≤260 元/人/案",
        "根据预算资金",
        "以案定补个案补贴成本",
        SUBSIDY,
    ),
    ("", "", "工作装备单套成本", "≤2500 元/人/套", "根据预算资金", "工作装备单套成本", EQUIPMENT),
    ("", "", "打造社会化调解阵地单家成本", "≤20000 元/家", "根据预算资金", "调解阵地单家成本", SITES),
    ("", "", "劳动法普法宣讲单次成本", "≤3000 元/场", "根据预算资金", "普法宣讲单场成本", EVENTS),
    (
        "",
        "",
        "浦锦街道劳资矛盾智慧预警平台项目月度维护成本",
        "≤1000 元/月",
        "根据预算资金",
        "平台月度维护成本",
        PLATFORM,
    ),
    ("产出指标", "数量指标", "调解阵地建设完成数", "=3.00(家)", "根据工作计划", "调解阵地建成数", ""),
    ("", "", "调解队伍装备保障数", "=16.00(套)", "根据工作计划", "装备发放套数", ""),
    ("", "", "普法宣传活动完成情况", "=6.00(场)", "根据工作计划", "普法活动场数", ""),
    ("", "", "劳资矛盾智慧预警平台区级对接完成率", "=100.00(%)", "根据工作计划", "区级对接进度", ""),
    ("", "", "“以案定补”补贴案件数量", "≥76 个案件", "根据工作计划", "以案定补案件数", ""),
    ("", "质量指标", "调解阵地建设达标率", "=100.00(%)", "根据工作要求", "调解阵地达标率", ""),
    ("", "", "工作装备验收合格率", "=100.00(%)", "根据工作要求", "装备验收合格率", ""),
    ("", "", "普法宣传活动主题契合度", "=100.00(%)", "根据工作要求", "普法活动主题契合率", ""),
    ("", "时效指标", "调解阵地建设完成及时性", "及时", "根据工作要求", "调解阵地按期建成率", ""),
    ("", "", "普法宣传活动开展及时性", "及时", "根据工作要求", "普法活动按期开展率", ""),
    ("效益指标", "社会效益指标", "有效投诉处置率", "=100.00(%)", "根据工作目标", "有效投诉办结率", ""),
    ("", "", "劳动关系和谐稳定提升情况", "同比提高", "根据工作目标", "劳动纠纷总量同比变化", ""),
    ("", "可持续影响指标", "长效管理机制健全有效性", "健全", "根据工作目标", "长效机制评定", ""),
    ("满意度指标", "服务对象满意度指标", "劳动者满意度", "≥85.00(%)", "根据工作目标", "劳动者满意度", ""),
    ("", "", "用工单位满意度", "≥85.00(%)", "根据工作目标", "用工单位满意度", ""),
)
INFO = (
    ("项目名称", "2024年浦锦街道劳动关系项目"),
    ("项目年度", YEAR),
    ("主管部门", "闵行区浦锦街道办事处"),
    ("实施单位", "浦锦街道社区事务受理服务中心"),
    (
        "总体目标",
        "通过打造社会化调解阵地，夯实基层调解力量，同步完成劳资矛盾智慧预警平台区级对接，打造专业化调解队伍，"
        "开展劳动法普法系列活动，实现以15分钟为半径，分片区、分行业、分人群进行普法宣传，提升企业合规用工意识，"
        "劳动者维权能力，促进劳动关系和谐稳定。",
    ),
    (
        "年度目标",
        "2024年计划在“一南一北”“一居一村”2个党群服务站点以及1个商圈打造社会化调解阵地，夯实基层调解力量，"
        "为16名调解队伍人员配备相应服装、工作牌等设施设备，按规定发放补贴经费，开展至少6场宣传普法活动，"
        "完成劳资矛盾智慧预警平台项目并完成区级对接；通过项目实施以15分钟为半径，分片区、分行业、分人群进行普法宣传，"
        "提升企业合规用工意识，劳动者维权能力，促进劳动关系和谐稳定。",
    ),
)

HEADERS = {
    "支出明细": ("凭证号", "支付日期", "预算明细", "金额", "摘要"),
    "以案定补": ("案件编号", "结案日期", "补贴人数", "案件类型", "调解结果", "片区"),
    "装备发放": ("领用人", "发放日期", "套数", "验收结果"),
    "调解阵地": ("阵地名称", "阵地类型", "片区", "计划完成日期", "实际完成日期", "验收结果"),
    "普法活动": ("活动名称", "活动日期", "计划日期", "片区", "行业", "人群", "参与人数", "主题契合"),
    "平台运维": ("月份", "维护完成", "区级对接进度"),
    "投诉处置": ("投诉编号", "受理日期", "来源", "是否有效", "办结日期"),
    "满意度调查": ("问卷编号", "调查日期", "调查对象", "评价"),
    "劳动关系统计": ("月份", "劳动争议案件数", "欠薪案件数"),
    "长效机制": ("制度名称", "印发日期", "文号"),
}
AREAS = ("北片", "中片", "南片")
D = date


def _expenses() -> list[tuple]:
    rows = []
    for i, (day, amount) in enumerate(
        [(D(YEAR, 3, 28), 4400), (D(YEAR, 6, 27), 5060), (D(YEAR, 9, 26), 4840), (D(YEAR, 12, 20), 5500)]
    ):
        rows.append((day, SUBSIDY, amount, f"第{i + 1}季度调解人员以案定补补贴"))
    rows += [
        (D(YEAR, 3, 15), EQUIPMENT, 22500, "首批调解队伍服装、工作牌等装备 9 套"),
        (D(YEAR, 5, 20), EQUIPMENT, 15000, "第二批调解队伍装备 6 套"),
    ]
    rows += [
        (D(YEAR, 4, 30), SITES, 9600, "北片党群服务站调解工作室装修首付款"),
        (D(YEAR, 6, 28), SITES, 9800, "北片党群服务站调解工作室验收尾款"),
        (D(YEAR, 7, 31), SITES, 19300, "南片村居党群服务站调解工作室建设"),
        (D(YEAR, 10, 25), SITES, 19800, "商圈劳动关系调解站建设"),
    ]
    rows += [
        (event[1], EVENTS, cost, f"{event[0]}场地及宣传物料")
        for event, cost in zip(_EVENTS, (2400, 2600, 2500, 2450, 2550, 2500, 2600))
    ]
    rows += [(_month_end(m), PLATFORM, 950, f"{m}月预警平台运维服务费") for m in range(1, 13)]
    rows.sort(key=lambda r: r[0])
    return [(f"PJ{YEAR}-{i + 1:03d}", *row) for i, row in enumerate(rows)]


def _month_end(month: int) -> date:
    return (D(YEAR, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _cases() -> list[tuple]:
    per_month = (5, 6, 7, 7, 6, 7, 8, 7, 6, 7, 7, 7)  # 80 cases
    types = ("劳动报酬", "解除劳动合同", "经济补偿", "工伤待遇", "社会保险", "加班工资")
    rows, n = [], 0
    for month, count in enumerate(per_month, start=1):
        for k in range(count):
            n += 1
            rows.append(
                (
                    f"PJTJ-{YEAR}-{n:03d}",
                    D(YEAR, month, 3 + k * 3),
                    2 if n % 10 == 0 else 1,
                    types[n % len(types)],
                    "调解不成功" if n % 9 == 0 else "调解成功",
                    AREAS[n % 3],
                )
            )
    return rows


MEDIATORS = (
    "张建华",
    "李秀英",
    "王伟",
    "刘芳",
    "陈磊",
    "杨静",
    "赵敏",
    "黄海涛",
    "周丽",
    "吴强",
    "徐婷",
    "孙志刚",
    "马晓燕",
    "朱俊",
    "胡玉兰",
)
_SITES = (
    ("浦锦街道北片党群服务站调解工作室", "党群服务站", "北片", D(YEAR, 6, 30), D(YEAR, 6, 25)),
    ("浦锦街道南片村居党群服务站调解工作室", "党群服务站", "南片", D(YEAR, 8, 31), D(YEAR, 7, 26)),
    ("浦锦商圈劳动关系调解站", "商圈", "中片", D(YEAR, 9, 30), D(YEAR, 10, 22)),
)
_EVENTS = (
    ("“劳动法进园区”专题宣讲", D(YEAR, 3, 15), D(YEAR, 3, 15), "北片", "制造业", "外来务工人员", 120),
    ("用工单位劳动合同规范讲座", D(YEAR, 4, 26), D(YEAR, 4, 30), "南片", "商贸服务业", "用工单位人事负责人", 60),
    ("新就业形态劳动者权益保障宣讲", D(YEAR, 5, 30), D(YEAR, 5, 31), "中片", "餐饮业", "新就业形态劳动者", 85),
    ("农民工工资支付保障法规宣传", D(YEAR, 7, 18), D(YEAR, 7, 20), "北片", "建筑业", "农民工", 150),
    ("快递外卖骑手劳动权益普法", D(YEAR, 9, 12), D(YEAR, 9, 15), "南片", "物流快递业", "快递员和外卖员", 95),
    ("商圈商户合规用工宣讲", D(YEAR, 11, 8), D(YEAR, 11, 10), "中片", "商贸服务业", "商圈商户", 70),
    ("企业劳动关系风险防范培训", D(YEAR, 12, 6), D(YEAR, 12, 10), "北片", "制造业", "企业管理人员", 55),
)
_INTEGRATION = (10, 20, 30, 40, 55, 70, 80, 90, 100, 100, 100, 100)
_SOURCES = ("12345热线", "国家欠薪平台", "来访", "来电", "其他")


def _complaints() -> list[tuple]:
    """46 complaints, 40 valid; the last, received on 27 December, is still open."""
    per_month = (3, 4, 4, 3, 4, 5, 4, 4, 3, 4, 4, 4)
    rows, n = [], 0
    for month, count in enumerate(per_month, start=1):
        for k in range(count):
            n += 1
            received = D(YEAR, month, 3 + k * 7 if k < 3 else 27)
            valid = not (n % 8 == 0 or n == 45)
            closed = received + timedelta(days=3 + (n * 7) % 15)
            if n == 46:
                closed = None
            elif closed.year > YEAR:
                closed = D(YEAR, 12, 31)
            rows.append((f"TS{YEAR}{n:04d}", received, _SOURCES[n % 5], "是" if valid else "否", closed))
    return rows


def _surveys() -> list[tuple]:
    """Workers: 176 of 200 satisfied (88 %); employers: 50 of 60 (83.3 %)."""
    rows = []
    waves = (
        (D(YEAR, 6, 20), "劳动者", 100, (40, 48, 8, 3, 1)),
        (D(YEAR, 12, 18), "劳动者", 100, (42, 46, 9, 2, 1)),
        (D(YEAR, 6, 21), "用工单位", 30, (10, 15, 3, 2, 0)),
        (D(YEAR, 12, 19), "用工单位", 30, (11, 14, 4, 1, 0)),
    )
    ratings = ("非常满意", "满意", "一般", "不满意", "非常不满意")
    n = 0
    for day, who, _, mix in waves:
        for rating, count in zip(ratings, mix):
            for _ in range(count):
                n += 1
                rows.append((f"MY{YEAR}-{n:04d}", day, who, rating))
    return rows


BASELINE = (
    (14, 5),
    (12, 4),
    (16, 6),
    (15, 5),
    (17, 6),
    (16, 5),
    (18, 7),
    (17, 6),
    (15, 5),
    (16, 6),
    (18, 7),
    (20, 9),
)  # 265
THIS_YEAR = (
    (13, 4),
    (11, 4),
    (15, 5),
    (14, 4),
    (15, 5),
    (14, 4),
    (16, 6),
    (15, 5),
    (13, 4),
    (14, 5),
    (16, 6),
    (17, 7),
)  # 232
_MECHANISMS = (
    ("浦锦街道劳动关系矛盾预防协调中心工作制度", D(YEAR, 2, 20), "浦锦受理〔2024〕1号"),
    ("浦锦街道“以案定补”经费管理办法", D(YEAR, 3, 10), "浦锦受理〔2024〕3号"),
    ("浦锦街道劳动关系协调员考核办法", D(YEAR, 4, 15), "浦锦受理〔2024〕5号"),
)


def month_rows(month: int) -> dict[str, list[tuple]]:
    """What staff report in the workbook for `month`: that month's records and updates of open ones."""

    def of_month(day: date | None) -> bool:
        return day is not None and day.month == month

    sheets: dict[str, list[tuple]] = {name: [] for name in HEADERS}
    sheets["支出明细"] = [r for r in _expenses() if of_month(r[1])]
    sheets["以案定补"] = [r for r in _cases() if of_month(r[1])]
    issued = [(name, D(YEAR, 3, 12), 1, "合格") for name in MEDIATORS[:9]] + [
        (name, D(YEAR, 5, 16), 1, "合格") for name in MEDIATORS[9:]
    ]
    sheets["装备发放"] = [r for r in issued if of_month(r[1])]
    for name, kind, area, planned, done in _SITES:
        if month == 1:  # planned sites are registered in January, completed later
            sheets["调解阵地"].append((name, kind, area, planned, None, None))
        elif of_month(done):
            sheets["调解阵地"].append((name, kind, area, planned, done, "达标"))
    sheets["普法活动"] = [(*e, "是") for e in _EVENTS if of_month(e[1])]
    sheets["平台运维"] = [(f"{YEAR}-{month:02d}", "是", _INTEGRATION[month - 1])]
    for number, received, source, valid, closed in _complaints():
        if of_month(received):
            sheets["投诉处置"].append((number, received, source, valid, closed if of_month(closed) else None))
        elif of_month(closed):
            sheets["投诉处置"].append((number, received, source, valid, closed))
    sheets["满意度调查"] = [r for r in _surveys() if of_month(r[1])]
    sheets["劳动关系统计"] = [(f"{YEAR}-{month:02d}", *THIS_YEAR[month - 1])]
    sheets["长效机制"] = [r for r in _MECHANISMS if of_month(r[1])]
    return sheets


def _write(path: Path, sheets: dict[str, list[tuple]], headers: dict[str, tuple[str, ...]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(headers[name])
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            sheet.append(list(row))
        for column, cells in enumerate(sheet.columns, start=1):
            for cell in cells[1:]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a target such as "=3.00(家)" is text, not a formula
            width = max(len(str(c.value or "")) for c in cells) * 2 + 2
            sheet.column_dimensions[cells[0].column_letter].width = min(max(width, 10), 50)
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


# A table as published (财政项目支出绩效自评 practice): no 计算口径 column, a 分值 column, targets printed without an
# operator, qualitative rows, 预算执行率分值 20, an adjusted budget and its funding sources. README documents it.
PUBLISHED_INFO = (
    ("项目名称", "2025年示例街道劳动保障服务项目"),
    ("项目年度", 2025),
    ("主管部门", "示例区人力资源和社会保障局"),
    ("实施单位", "示例街道社区事务受理服务中心"),
    ("年度目标", "开展劳动保障政策宣传和用工指导，提升劳动者权益保障水平"),
    ("预算执行率分值", 20),
    ("当年财政拨款", 170000),
    ("上年结转资金", 10000),
)
PUBLISHED_LINES = (  # 项目明细, 项目内容, 年初预算数, 调整后预算数 (元)
    ("劳动保障服务经费", "政策宣传", 60000, 50000),
    ("劳动保障服务经费", "用工指导", 140000, 130000),
)
PUBLISHED_TABLE = (  # 一级指标, 二级指标, 三级指标, 年度指标值 as printed, 分值
    ("成本指标", "经济成本指标", "单场宣传成本", "4000元/场", 10),
    ("产出指标", "数量指标", "政策宣传场次", "12场", 15),
    ("产出指标", "质量指标", "用工指导覆盖率", "100%", 15),
    ("产出指标", "时效指标", "宣传活动开展及时性", "及时", 10),
    ("效益指标", "社会效益指标", "劳动者权益保障水平", "显著提升", 20),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90 百分比", 10),
)
PUBLISHED_SPENDING = (  # 凭证号, 支付日期, 预算明细, 金额, 摘要: the sheet 支出明细 of the same upload
    ("ZF-2025-001", date(2025, 3, 15), "政策宣传", 22800, "宣传活动 6 场"),
    ("ZF-2025-002", date(2025, 5, 20), "用工指导", 60000, "上半年用工指导服务"),
)
PUBLISHED_REPORTS = (  # 三级指标, 月份, 实际完成值, 说明: the sheet 指标填报 of an upload
    ("单场宣传成本", "2025-06", 3800, "宣传经费 ÷ 场次"),
    ("政策宣传场次", "2025-06", 6, "截至当月累计"),
    ("用工指导覆盖率", "2025-06", "85%", "已指导企业 ÷ 辖区企业"),
    ("服务对象满意度", "2025-06", 93, "半年问卷"),
)


def write_published(folder: Path = HERE) -> list[Path]:
    """The published-style table and an upload reporting its manual indicators (README, 绩效目标表的格式)."""
    table, reports = folder / "published_table.xlsx", folder / "published_reports.xlsx"
    _write(
        table,
        {
            "项目信息": list(PUBLISHED_INFO),
            "预算明细": [(i + 1, *line) for i, line in enumerate(PUBLISHED_LINES)],
            "绩效目标": list(PUBLISHED_TABLE),
        },
        {
            "项目信息": ("字段", "内容"),
            "预算明细": ("序号", "项目明细", "项目内容", "年初预算数", "调整后预算数"),
            "绩效目标": ("一级指标", "二级指标", "三级指标", "年度指标值", "分值"),
        },
    )
    _write(
        reports,
        {"支出明细": list(PUBLISHED_SPENDING), "指标填报": list(PUBLISHED_REPORTS)},
        {"支出明细": HEADERS["支出明细"], "指标填报": ("三级指标", "月份", "实际完成值", "说明")},
    )
    return [table, reports]


def write_all(folder: Path = HERE) -> list[Path]:
    written = [folder / "performance_table.xlsx"]
    _write(
        written[0],
        {"项目信息": list(INFO), "预算明细": [(i + 1, *line) for i, line in enumerate(LINES)], "绩效目标": list(TABLE)},
        {
            "项目信息": ("字段", "内容"),
            "预算明细": ("序号", "项目明细", "项目内容", "金额"),
            "绩效目标": ("一级指标", "二级指标", "三级指标", "年度指标值", "指标来源", "计算口径", "关联预算明细"),
        },
    )
    baseline = folder / "2024" / f"baseline-{YEAR - 1}.xlsx"
    _write(baseline, {"劳动关系统计": [(f"{YEAR - 1}-{m:02d}", *BASELINE[m - 1]) for m in range(1, 13)]}, HEADERS)
    written.append(baseline)
    for month in range(1, 13):
        path = folder / "2024" / f"{YEAR}-{month:02d}.xlsx"
        _write(path, month_rows(month), HEADERS)
        written.append(path)
    return written + write_published(folder)


if __name__ == "__main__":
    for written_path in write_all():
        print(f"已生成 {written_path.relative_to(HERE.parent)}")
