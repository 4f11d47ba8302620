"""The workbook contracts, declared once: the upload workbook (月度数据报送表), one schema per sheet; the
performance table (绩效目标表); and the backup's own sheets.

The validator, the template and the documentation all read these declarations.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from data_model import models


class Kind(Enum):
    TEXT = "文本"
    DATE = "日期"
    MONTH = "月份"
    INT = "整数"
    MONEY = "金额"
    PERCENT = "百分比"
    CHOICE = "选项"
    FLAG = "是/否"
    NUMBER = "数值"  # any number not below 0, a percentage as written (95 or 95%)
    INDICATOR = "指标"  # a manually reported indicator of the project, by 三级指标 or 序号


BUDGET_LINES = "预算明细"  # choices that come from the project's budget lines
# The metrics (kpi.metrics keys) whose actuals staff enter month by month: the indicators 指标填报 reports on.
MANUAL_METRICS = ("manual_total", "manual_latest")
GUIDE_SHEET = "填报说明"  # the template's instructions sheet: uploads may carry it, it is not data


@dataclass(frozen=True)
class Column:
    header: str  # the exact Chinese header
    field: str  # the model attribute
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] | str = ()  # a tuple, or BUDGET_LINES
    minimum: int | None = None  # for INT
    baseline_allowed: bool = False  # a MONTH that may lie in the year before the project year
    period: bool = False  # a date placing the row in a month (period lock, 报送进度); see Sheet.period
    note: str = ""  # what the column means, for the template and the docs

    def cell(self, value):
        """A stored value as staff write it in the sheet: the inverse of the validator's parsing."""
        if value is None:
            return None
        if self.kind is Kind.FLAG:
            return "是" if value else "否"
        if self.kind is Kind.MONTH:
            return f"{value:%Y-%m}"
        return value


@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of one row; `check` returns the column at fault and the values of the problem's
    template (data_model.problems)."""

    code: str
    check: Callable[[dict], tuple[str, dict] | None]


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Record]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # headers forming the natural key
    rules: tuple[RowRule, ...] = field(default=())
    monthly: bool = False  # one row is due every month: a month ended without one is shown as missing
    aliases: tuple[tuple[str, str], ...] = ()  # (another header, the declared header it stands for)
    # Turns a valid row into what is stored, given the validation context (data_model.validation.Context); returns
    # the column at fault, the problem's code and its values when the row cannot be stored.
    finish: Callable[[dict, object], tuple[str, str, dict] | None] | None = None
    # The rows are manual indicators' monthly values: the template has the sheet only for a project with such
    # indicators, and a backup keeps them in its own sheet 人工填报 (MANUAL_VALUES) with who entered each.
    manual: bool = False
    # The model's columns saying who wrote a row and when (ManualValue.entered_by, entered_at): an import signs each
    # row it writes with its uploader and time, and an undo puts the signature back with the row.
    signed: tuple[str, str] | None = None

    @cached_property  # read for every row of an upload
    def period(self) -> tuple[Column, ...]:
        """The date columns placing a row in months. The first is the row's own month (报送进度); a row
        touches the month of each filled one (a complaint is received in one month, closed in another)."""
        return tuple(c for c in self.columns if c.period)

    @cached_property
    def by_header(self) -> dict[str, Column]:
        return {c.header: c for c in self.columns}

    @cached_property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(self.by_header[h].field for h in self.key)


def _site_done_together(row: dict) -> tuple[str, dict] | None:
    done, accepted = row.get("completed_on"), row.get("acceptance")
    if done and not accepted:
        return "验收结果", {"given": "已填写实际完成日期", "wanted": "验收结果（达标/不达标）"}
    if accepted and not done:
        return "实际完成日期", {"given": "填写了验收结果", "wanted": "实际完成日期"}
    return None


def _closed_after_received(row: dict) -> tuple[str, dict] | None:
    received, closed = row.get("received_on"), row.get("closed_on")
    if received and closed and closed < received:
        return "办结日期", {"closed": f"{closed:%Y-%m-%d}", "received": f"{received:%Y-%m-%d}"}
    return None


def _in_scale(row: dict, ctx) -> tuple[str, str, dict] | None:
    """A percentage as written (95) is stored as the fraction the engine reads (0.95)."""
    if row["indicator_id"] in ctx.percent_indicators:
        if row["value"] > 100:
            return "实际完成值", "E112", {"raw": f"{row['value']:g}"}
        row["value"] /= 100
    return None


YES_NO = ("是", "否")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "支出明细",
        models.Expense,
        (
            Column("凭证号", "voucher_no", Kind.TEXT, note="财务凭证号，唯一标识一笔支出"),
            Column("支付日期", "paid_on", Kind.DATE, period=True, note="资金实际支付的日期"),
            Column(
                "预算明细",
                "budget_line",
                Kind.CHOICE,
                choices=BUDGET_LINES,
                note="支出所属的预算明细，须与预算明细表完全一致",
            ),
            Column("金额", "amount", Kind.MONEY, note="支出金额（元），大于 0，最多两位小数"),
            Column("摘要", "summary", Kind.TEXT, required=False, note="支出用途说明，可空"),
        ),
        key=("凭证号",),
    ),
    Sheet(
        "以案定补",
        models.CaseSubsidy,
        (
            Column("案件编号", "case_no", Kind.TEXT, note="调解案件编号，唯一"),
            Column("结案日期", "closed_on", Kind.DATE, period=True, note="案件调解结案的日期"),
            Column(
                "补贴人数", "persons", Kind.INT, minimum=1, note="该案领取“以案定补”补贴的调解人员人数，整数，至少 1"
            ),
            Column("案件类型", "case_type", Kind.TEXT, note="如：劳动报酬、解除劳动合同、工伤待遇等"),
            Column("调解结果", "result", Kind.CHOICE, choices=("调解成功", "调解不成功")),
            Column("片区", "area", Kind.TEXT, required=False, note="案件所在片区，可空"),
        ),
        key=("案件编号",),
    ),
    Sheet(
        "装备发放",
        models.EquipmentIssue,
        (
            Column("领用人", "recipient", Kind.TEXT, note="领用装备的调解队伍人员姓名"),
            Column("发放日期", "issued_on", Kind.DATE, period=True),
            Column("套数", "sets", Kind.INT, minimum=1, note="发放的装备套数，整数，至少 1"),
            Column("验收结果", "acceptance", Kind.CHOICE, choices=("合格", "不合格")),
        ),
        key=("领用人", "发放日期"),
    ),
    Sheet(
        "调解阵地",
        models.MediationSite,
        (
            Column("阵地名称", "name", Kind.TEXT, note="社会化调解阵地名称，唯一"),
            Column("阵地类型", "site_type", Kind.CHOICE, choices=("党群服务站", "商圈", "其他")),
            Column("片区", "area", Kind.TEXT),
            Column("计划完成日期", "planned_on", Kind.DATE),
            Column(
                "实际完成日期", "completed_on", Kind.DATE, required=False, period=True, note="建成后填写；未建成时留空"
            ),
            Column(
                "验收结果",
                "acceptance",
                Kind.CHOICE,
                required=False,
                choices=("达标", "不达标"),
                note="建成验收后填写；未建成时留空",
            ),
        ),
        key=("阵地名称",),
        rules=(RowRule("E301", _site_done_together),),
    ),
    Sheet(
        "普法活动",
        models.LegalEvent,
        (
            Column("活动名称", "name", Kind.TEXT),
            Column("活动日期", "held_on", Kind.DATE, period=True, note="活动实际开展的日期"),
            Column("计划日期", "planned_on", Kind.DATE, note="工作计划中安排的日期"),
            Column("片区", "area", Kind.TEXT),
            Column("行业", "industry", Kind.TEXT),
            Column("人群", "audience", Kind.TEXT),
            Column("参与人数", "participants", Kind.INT, minimum=0, note="整数，不小于 0"),
            Column("主题契合", "on_theme", Kind.FLAG, choices=YES_NO, note="活动主题是否契合劳动法普法要求"),
        ),
        key=("活动名称", "活动日期"),
    ),
    Sheet(
        "平台运维",
        models.PlatformMaintenance,
        (
            Column("月份", "month", Kind.MONTH, period=True, note="YYYY-MM，如 2024-03"),
            Column("维护完成", "maintained", Kind.FLAG, choices=YES_NO, note="当月维护工作是否完成"),
            Column(
                "区级对接进度", "integration_pct", Kind.PERCENT, note="截至当月的区级对接进度，0–100（如 85 或 85%）"
            ),
        ),
        key=("月份",),
        monthly=True,
    ),
    Sheet(
        "投诉处置",
        models.Complaint,
        (
            Column("投诉编号", "complaint_no", Kind.TEXT),
            Column("受理日期", "received_on", Kind.DATE, period=True),
            Column("来源", "source", Kind.CHOICE, choices=("12345热线", "国家欠薪平台", "来访", "来电", "其他")),
            Column("是否有效", "valid", Kind.FLAG, choices=YES_NO),
            Column(
                "办结日期",
                "closed_on",
                Kind.DATE,
                required=False,
                period=True,
                note="办结后填写；未办结时留空，不得早于受理日期",
            ),
        ),
        key=("投诉编号",),
        rules=(RowRule("E302", _closed_after_received),),
    ),
    Sheet(
        "满意度调查",
        models.SurveyResponse,
        (
            Column("问卷编号", "questionnaire_no", Kind.TEXT),
            Column("调查日期", "surveyed_on", Kind.DATE, period=True),
            Column("调查对象", "respondent", Kind.CHOICE, choices=("劳动者", "用工单位")),
            Column("评价", "rating", Kind.CHOICE, choices=("非常满意", "满意", "一般", "不满意", "非常不满意")),
        ),
        key=("问卷编号",),
    ),
    Sheet(
        "劳动关系统计",
        models.LaborStat,
        (
            Column(
                "月份",
                "month",
                Kind.MONTH,
                baseline_allowed=True,
                period=True,
                note="YYYY-MM；可填本年度及上一年度（同比基数）的月份",
            ),
            Column("劳动争议案件数", "disputes", Kind.INT, minimum=0),
            Column("欠薪案件数", "wage_arrears", Kind.INT, minimum=0),
        ),
        key=("月份",),
        monthly=True,
    ),
    Sheet(
        "长效机制",
        models.Mechanism,
        (
            Column("制度名称", "name", Kind.TEXT),
            Column("印发日期", "issued_on", Kind.DATE, period=True),
            Column("文号", "doc_no", Kind.TEXT, required=False),
        ),
        key=("制度名称",),
    ),
    Sheet(
        "指标填报",
        models.ManualValue,
        (
            Column(
                "三级指标",
                "indicator_id",
                Kind.INDICATOR,
                note="人工填报指标的三级指标名称；也可把表头改为「序号」，填写指标序号",
            ),
            Column("月份", "month", Kind.MONTH, period=True, note="YYYY-MM，如 2024-03"),
            Column(
                "实际完成值",
                "value",
                Kind.NUMBER,
                note="当月的实际完成值，按指标的单位填写；百分比填 0–100（如 95 或 95%）",
            ),
            Column("说明", "note", Kind.TEXT, required=False, note="数据来源或口径说明，可空"),
        ),
        key=("三级指标", "月份"),
        aliases=(("序号", "三级指标"),),
        finish=_in_scale,
        manual=True,
        signed=("entered_by", "entered_at"),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}


@dataclass(frozen=True)
class Table:
    """A sheet read by its headers with its cells as written (data_model.validation.table_rows), checked by its
    reader: the performance table's sheets and the backup's own."""

    name: str
    headers: tuple[str, ...]
    optional: tuple[str, ...] = ()  # headers a workbook may leave out


# The performance table (绩效目标表), read by data_model.projects. Blank 一级/二级 cells repeat the one above;
# a blank 分值 column means the default split.
PROJECT_INFO = Table("项目信息", ("字段", "内容"))
INFO_FIELDS = {
    "项目名称": "name",
    "项目年度": "year",
    "主管部门": "department",
    "实施单位": "implementer",
    "总体目标": "overall_goal",
    "年度目标": "annual_goal",
    "上年结转资金": "carried_over",
    "其他资金": "other_funds",
    "预算执行率分值": "budget_weight",
}  # 项目信息's 字段, and the Project attribute each fills
FUNDS = ("carried_over", "other_funds")  # the fields that are amounts in 元, blank for 0: the budget's other sources
CURRENT_FUNDS = "当年财政拨款"  # 项目信息 may state it too (元): with the other sources it must make the budget
# 预算明细: 金额 is the line's 全年预算数; a table may give 年初预算数 and 调整后预算数 instead (or beside it): the
# 调整后预算数 is then the 全年预算数. At least one of the three columns.
AMOUNTS = ("调整后预算数", "金额", "年初预算数")  # the 全年预算数 is the first of these a row fills
BUDGET = Table("预算明细", ("序号", "项目明细", "项目内容", "金额", "年初预算数", "调整后预算数"), optional=AMOUNTS)
# 计算口径 left out (the whole column, or a row's cell): 人工填报（取最近一月） for a numeric target, 人工评定 for a
# qualitative one. A 年度指标值 without an operator gets an inferred one (data_model.targets.parse_written).
TARGETS = Table(
    "绩效目标",
    ("一级指标", "二级指标", "三级指标", "年度指标值", "指标来源", "计算口径", "关联预算明细", "分值"),
    optional=("指标来源", "计算口径", "关联预算明细", "分值"),
)

# A backup's sheets for what is not uploaded but entered in the app, read by data_model.backup; the backup also
# holds the performance table and every upload sheet.
PROJECT_SETTINGS = Table("项目设置", ("字段", "内容"))
ASSESSMENT_TEXTS = Table("自评文字", ("字段", "内容", "修改人", "修改时间"))  # the forms' texts the evaluator wrote
JUDGMENTS = Table(
    "评定记录",
    ("序号", "三级指标", "档次", "得分", "理由", "偏差原因分析及改进措施", "评定人", "评定时间", "不适用"),
    optional=("不适用",),  # 是 for an indicator marked 不适用; backups made before 不适用 existed have no such column
)
NOT_APPLICABLE = {"是": True, "否": False}  # 评定记录's 不适用 column
ACTIONS = Table("整改措施", ("序号", "三级指标", "整改措施", "责任人", "完成时限", "办结日期", "创建人", "创建时间"))
MANUAL_VALUES = Table("人工填报", ("序号", "三级指标", "月份", "数值（百分比以小数表示）", "填报人", "填报时间"))
LOCKS = Table("期间锁定", ("月份", "锁定人", "锁定时间"))
# 佐证材料: each file's row; its content is the backup archive's member 佐证材料/<SHA-256> (data_model.backup).
EVIDENCE = Table(
    "佐证材料",
    ("序号", "三级指标", "文件名", "大小（字节）", "SHA-256", "说明", "关联工作表", "关联记录", "上传人", "上传时间"),
)
MONITOR_ENTRIES = Table(
    "运行监控",
    (
        "序号",
        "三级指标",
        "统计截至",
        "完成目标可能性",
        "调整理由",
        "偏差原因类别",
        "偏差原因分析",
        "相关建议或举措",
        "填报人",
        "填报时间",
    ),
)  # 完成目标可能性 blank: as the forecast proposes; 偏差原因类别 joined by 、
