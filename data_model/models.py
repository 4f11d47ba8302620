"""The tables. Column names are English; the Chinese sheet headers live in data_model.sheets."""

from datetime import date, datetime, timezone

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Project(SQLModel, table=True):
    """One performance-evaluated project: a year of one sub-district's programme (the tenant)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # 项目名称
    year: int  # 项目年度
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    overall_goal: str = ""  # 总体目标
    annual_goal: str = ""  # 年度目标 (the self-assessment's 预期目标)
    carried_over: float = 0.0  # 上年结转资金 (元), part of the budget; the rest is 当年财政拨款 unless …
    other_funds: float = 0.0  # … 其他资金 (元)
    budget_weight: float = 10.0  # 预算执行率分值: the indicators' weights make 100 with it
    cost_rule: str = "ratio"  # reverse indicators: "ratio" (target ÷ actual) or "deviation" (2 − actual ÷ target)
    actual_summary: str | None = None  # 实际完成情况 as edited by the evaluator; None = use the generated draft
    finalized_by: str | None = None  # the self-assessment was marked final by …
    finalized_at: datetime | None = None  # … at; any later change clears both


class AssessmentText(SQLModel, table=True):
    """A text of the forms the evaluator wrote (评价结论, 组织实施, 项目负责人 …), replacing its draft."""

    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    key: str  # a key of kpi.assessment.TEXTS
    text: str
    edited_by: str
    edited_at: datetime = Field(default_factory=utcnow)


class BudgetLine(SQLModel, table=True):
    """One line of the project's budget (预算明细); expenses are booked against its name."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    seq: int  # 序号
    category: str = ""  # 项目明细
    name: str  # 项目内容, the exact text staff choose in 支出明细.预算明细
    amount: float  # 金额 (元): 全年预算数, the 调整后预算数 when the budget was adjusted; 执行率 is against it
    initial_amount: float | None = None  # 年初预算数 (元) when it differs from amount; None: the same


class Indicator(SQLModel, table=True):
    """A 三级指标 of the performance table with its parsed target and the metric computing it."""

    __table_args__ = (UniqueConstraint("project_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    seq: int  # table order, from 1
    level1: str  # 一级指标
    level2: str  # 二级指标
    level3: str  # 三级指标
    target_text: str  # 年度指标值 as written
    operator: str | None = None  # ≤ ≥ = < >, None for a qualitative target
    target_value: float | None = None  # the number as written (100 for "=100.00(%)")
    unit: str = ""
    word: str | None = None  # qualitative target word: 及时, 健全, 同比提高, …
    operator_inferred: bool = False  # the table wrote no operator; the stored one was inferred, for a person to confirm
    weight: float  # 分值
    metric_key: str  # key into kpi.metrics.REGISTRY
    budget_line: str | None = None  # the budget line a cost metric divides
    source: str = ""  # 指标来源


class UploadBatch(SQLModel, table=True):
    """One imported workbook: who, when, which file, and what it did to each sheet."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    uploaded_by: str
    uploaded_at: datetime = Field(default_factory=utcnow)
    file_name: str
    content_hash: str = Field(index=True)  # sha256 of the file's bytes
    row_counts: str  # JSON: {sheet: {"new": n, "replaced": n, "unchanged": n}}
    undone_by: str | None = None  # undone by …; an undone batch's changes are reverted and its file may come again
    undone_at: datetime | None = None  # … at


class ReplacedRecord(SQLModel, table=True):
    """A stored row as it was before a batch replaced it, so that the batch can be undone."""

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="uploadbatch.id", index=True)
    sheet: str
    record_id: int
    previous: str  # JSON of the row's columns before the batch


class Judgment(SQLModel, table=True):
    """The evaluator's word on one indicator: a tier and score, or an override, and the reasons."""

    __table_args__ = (UniqueConstraint("indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    tier: str | None = None  # one of kpi.scoring.TIERS' names
    score: float | None = None  # the judged or overriding score, inside the tier's band
    reason: str = ""  # why the score was judged or overridden, or the indicator marked 不适用
    not_applicable: bool = False  # marked 不适用 at year end: left out of the total while it has no data
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    judged_by: str = ""
    judged_at: datetime = Field(default_factory=utcnow)


class CorrectiveAction(SQLModel, table=True):
    """整改措施: an action with an owner and a due date, attached to an indicator's deviation."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    action: str
    owner: str  # 责任人
    due_on: date  # 完成时限
    closed_on: date | None = None
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class MonitorEntry(SQLModel, table=True):
    """The evaluator's word on one indicator in the 绩效运行监控表 as of one date: 完成目标可能性 when it departs from
    the one the forecast proposes (with the reason), 偏差原因分析 and 相关建议或举措."""

    __table_args__ = (UniqueConstraint("indicator_id", "as_of"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    as_of: date  # 统计截至: the form this entry belongs to
    likelihood: str | None = None  # kpi.monitoring.Likelihood chosen by the evaluator; None follows the forecast
    likelihood_reason: str = ""  # why the evaluator departed from the proposal
    causes: str = ""  # 偏差原因分析's categories (kpi.monitor_entries.CAUSES), joined by 、
    cause_text: str = ""  # 偏差原因分析 in words
    suggestion: str = ""  # 相关建议或举措
    edited_by: str = ""
    edited_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    """佐证材料: a file behind an indicator (and optionally one of its records), its content held in the database so
    that every app process, backup and restore sees the same bytes. Lists select the other columns only."""

    __table_args__ = (UniqueConstraint("indicator_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    record_sheet: str | None = None  # the upload sheet of the record it documents (普法活动 …), if any
    record_key: str | None = None  # … and that record's key as the sheet writes it (the event's 活动名称 …)
    file_name: str  # as uploaded, without any folder; never used as a path
    size: int  # bytes
    sha256: str  # of the content
    mime: str  # sniffed from the content (data_model.sniff), never taken from the name
    note: str = ""  # 说明
    uploaded_by: str
    uploaded_at: datetime = Field(default_factory=utcnow)
    # bytea / BLOB, the last column: SQLite reads the columns before a large value without walking its overflow pages
    content: bytes = Field(sa_type=LargeBinary)


class PeriodLock(SQLModel, table=True):
    """A month an admin has locked: uploads touching it are refused."""

    __table_args__ = (UniqueConstraint("project_id", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    month: date  # the month's first day
    locked_by: str
    locked_at: datetime = Field(default_factory=utcnow)


class ManualValue(SQLModel, table=True):
    """One month's actual of a manually reported indicator (计算口径 人工填报), entered by staff in the app or
    uploaded in the sheet 指标填报 (then with its batch, so that undoing the batch takes it back)."""

    __table_args__ = (UniqueConstraint("indicator_id", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    month: date  # the month's first day
    value: float  # in the engine's scale: a percentage as a fraction (0.95 for 95 %)
    entered_by: str  # staff in the app, or the uploader of the batch (指标填报)
    entered_at: datetime = Field(default_factory=utcnow)
    project_id: int | None = Field(default=None, foreign_key="project.id")  # the upload's key scope
    batch_id: int | None = Field(default=None, foreign_key="uploadbatch.id", index=True)  # None: entered in the app
    note: str | None = None  # 说明


class User(SQLModel, table=True):
    """An account: one of the four roles and an argon2 password hash (failed logins are counted in LoginThrottle)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    display_name: str = ""
    role: str  # leader | staff | evaluator | admin
    password_hash: str
    disabled: bool = False
    session_version: int = 0  # bumped by logout and admin changes: session tokens of an older version are refused
    created_at: datetime = Field(default_factory=utcnow)


class LoginThrottle(SQLModel, table=True):
    """Consecutive failed logins from one client address, for one typed user name or for the address as a whole,
    and the lock they earned. Unknown names are counted like accounts, without creating any."""

    name_digest: str = Field(
        primary_key=True
    )  # keyed hash of the typed user name (it may be a password); "" = the whole address
    address: str = Field(primary_key=True)  # the client's address; "" when unknown (a client on this machine)
    failures: int = 0  # since the last success or lock
    locked_until: datetime | None = None


class AuditLog(SQLModel, table=True):
    """An append-only trail: logins, uploads, undos, judgments, overrides, finalizing, admin changes."""

    __table_args__ = (Index("ix_auditlog_project", "project_id", "id"),)  # a project's latest entry is its data version
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    username: str
    action: str  # a stable English key, e.g. "login", "upload", "undo"
    detail: str = ""  # Chinese, for the admin reading the log
    project_id: int | None = Field(default=None, foreign_key="project.id")


class Record(SQLModel):
    """Columns every upload-sheet row carries: its project and the batch that last wrote it."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    batch_id: int = Field(foreign_key="uploadbatch.id", index=True)


class Expense(Record, table=True):
    """支出明细: one payment booked against a budget line."""

    __table_args__ = (
        UniqueConstraint("project_id", "voucher_no"),
        # The *_asof indexes hold every column the metrics read, so their aggregates never visit the table.
        Index("ix_expense_asof", "project_id", "budget_line", "paid_on", "amount"),
    )
    voucher_no: str  # 凭证号
    paid_on: date  # 支付日期
    budget_line: str  # 预算明细
    amount: float  # 金额 (元)
    summary: str | None = None  # 摘要


class CaseSubsidy(Record, table=True):
    """以案定补: one mediated case for which mediators were subsidised."""

    __table_args__ = (
        UniqueConstraint("project_id", "case_no"),
        Index("ix_casesubsidy_asof", "project_id", "closed_on", "persons"),
    )
    case_no: str  # 案件编号
    closed_on: date  # 结案日期
    persons: int  # 补贴人数
    case_type: str  # 案件类型
    result: str  # 调解结果
    area: str | None = None  # 片区


class EquipmentIssue(Record, table=True):
    """装备发放: work equipment sets handed to one mediator on one day."""

    __table_args__ = (
        UniqueConstraint("project_id", "recipient", "issued_on"),
        Index("ix_equipmentissue_asof", "project_id", "issued_on", "sets", "acceptance"),
    )
    recipient: str  # 领用人
    issued_on: date  # 发放日期
    sets: int  # 套数
    acceptance: str  # 验收结果: 合格 / 不合格


class MediationSite(Record, table=True):
    """调解阵地: a mediation site, planned and (once done) completed and accepted."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)
    name: str  # 阵地名称
    site_type: str  # 阵地类型
    area: str  # 片区
    planned_on: date  # 计划完成日期
    completed_on: date | None = None  # 实际完成日期
    acceptance: str | None = None  # 验收结果: 达标 / 不达标


class LegalEvent(Record, table=True):
    """普法活动: one labour-law awareness event."""

    __table_args__ = (
        UniqueConstraint("project_id", "name", "held_on"),
        Index("ix_legalevent_asof", "project_id", "held_on", "planned_on", "on_theme"),
    )
    name: str  # 活动名称
    held_on: date  # 活动日期
    planned_on: date  # 计划日期
    area: str  # 片区
    industry: str  # 行业
    audience: str  # 人群
    participants: int  # 参与人数
    on_theme: bool  # 主题契合


class PlatformMaintenance(Record, table=True):
    """平台运维: one month of the early-warning platform's maintenance."""

    __table_args__ = (UniqueConstraint("project_id", "month"),)
    month: date  # 月份, stored as the month's first day
    maintained: bool  # 维护完成
    integration_pct: float  # 区级对接进度, percentage points 0–100


class Complaint(Record, table=True):
    """投诉处置: one labour complaint and when it was closed."""

    __table_args__ = (
        UniqueConstraint("project_id", "complaint_no"),
        Index("ix_complaint_asof", "project_id", "valid", "received_on", "closed_on"),
    )
    complaint_no: str  # 投诉编号
    received_on: date  # 受理日期
    source: str  # 来源
    valid: bool  # 是否有效
    closed_on: date | None = None  # 办结日期


class SurveyResponse(Record, table=True):
    """满意度调查: one questionnaire answer."""

    __table_args__ = (
        UniqueConstraint("project_id", "questionnaire_no"),
        Index("ix_surveyresponse_asof", "project_id", "respondent", "surveyed_on", "rating"),
    )
    questionnaire_no: str  # 问卷编号
    surveyed_on: date  # 调查日期
    respondent: str  # 调查对象: 劳动者 / 用工单位
    rating: str  # 评价


class LaborStat(Record, table=True):
    """劳动关系统计: one month's dispute counts, of the project year or the baseline year."""

    __table_args__ = (UniqueConstraint("project_id", "month"),)
    month: date  # 月份, stored as the month's first day
    disputes: int  # 劳动争议案件数
    wage_arrears: int  # 欠薪案件数


class Mechanism(Record, table=True):
    """长效机制: a rule or system issued, the evidence for the 长效管理机制 indicator."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)
    name: str  # 制度名称
    issued_on: date  # 印发日期
    doc_no: str | None = None  # 文号
