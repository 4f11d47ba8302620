"""The tables the pages show, as labelled rows: one dict per row, its keys the Chinese column headings in order."""

from datetime import date, datetime

from data_model.audit import SHANGHAI, Entry, aware, local_time
from data_model.auth import ROLES, named
from data_model.batches import batch_counts
from data_model.importer import SheetCounts, counts_text
from data_model.locks import month_label
from data_model.models import Indicator, ManualValue, Mechanism, PeriodLock, UploadBatch, User
from data_model.problems import Problem
from data_model.progress import Progress
from kpi import settings
from kpi.assessment import ActionRow, reason_missing
from kpi.drafts import needs_reason
from kpi.drilldown import EarlyWarning, Group, light_text, progress
from kpi.evaluate import IndicatorResult
from kpi.formatting import money, percent, target
from kpi.manual import shown
from kpi.metrics import METRICS, REGISTRY, actual_text
from kpi.monitor_entries import MonitorRow
from kpi.monitoring import LIKELIHOOD_LABELS, light_label
from kpi.scoring import STATUS_LABELS, Status
from kpi.spending import LineSeries

# The headings of tables shown even when they have no rows.
MECHANISM_COLUMNS = ["制度名称", "印发日期", "文号"]
PROBLEM_COLUMNS = ["工作表", "行", "列", "问题", "代码"]
AUDIT_COLUMNS = ["时间", "用户", "操作", "详情", "项目"]
MANUAL_COLUMNS = ["月份", "数值", "填报人"]


def warnings(items: list[EarlyWarning]) -> list[dict]:
    """总览's early-warning list."""
    return [
        {
            "状态": light_label(w.light),
            "指标": w.name,
            "实际": w.actual,
            "应达到": w.expected,
            "年末预测": w.forecast,
            "偏离": percent(w.gap),
        }
        for w in items
    ]


def open_actions(actions: list[ActionRow], today: date) -> list[dict]:
    """总览's corrective actions not yet closed, overdue ones marked."""
    return [
        {
            "指标": f"{a.seq}. {a.indicator}",
            "整改措施": a.action,
            "责任人": a.owner,
            "完成时限": f"{a.due_on:%Y-%m-%d}",
            "状态": "🔴 已逾期" if a.due_on < today else "进行中",
        }
        for a in actions
    ]


def group_indicators(group: Group) -> list[dict]:
    """总览's indicators of one 一级指标."""
    return [
        {
            "序号": r.seq,
            "二级指标": r.level2,
            "三级指标": r.level3,
            "年度指标值": target(r.target),
            "实际完成值": actual_text(r.metric_key, r.actual, r.unit),
            "完成度": progress(r),
            "状态": light_text(r),
            "得分": r.score,
            "分值": r.weight,
        }
        for r in group.indicators
    ]


def scoring_way(r: IndicatorResult) -> str:
    """How the indicator's score came about: left out as 不适用, judged (or awaiting judgment), overridden, or
    computed."""
    if r.status == Status.NOT_APPLICABLE:
        return STATUS_LABELS[r.status]
    if r.judged:
        return "评定" if r.tier else "待评定"
    return "调整" if r.overridden else "计算"


def reason_state(r: IndicatorResult) -> str:
    """Whether the indicator needs a deviation reason, and whether it has one."""
    if not needs_reason(r):
        return "无需"
    return "待填写" if reason_missing(r) else "已填写"


def assessment(indicators: list[IndicatorResult]) -> list[dict]:
    """绩效自评's overview of every indicator."""
    return [
        {
            "序号": r.seq,
            "三级指标": r.level3,
            "年度指标值": target(r.target),
            "实际完成值": actual_text(r.metric_key, r.actual, r.unit),
            "分值": r.weight,
            "得分": r.score,
            "状态": light_text(r),
            "评分方式": scoring_way(r),
            "偏差原因": reason_state(r),
        }
        for r in indicators
    ]


def mechanisms(evidence: list[Mechanism]) -> list[dict]:
    """The 长效机制台账 a judged indicator is judged on; its columns are MECHANISM_COLUMNS."""
    return [{"制度名称": m.name, "印发日期": m.issued_on, "文号": m.doc_no or ""} for m in evidence]


def budget_lines(lines: list[LineSeries]) -> list[dict]:
    """预算执行's lines, each against its budget and its pro-rata spend."""
    return [
        {
            "预算明细": line.name,
            "预算（元）": line.planned,
            "已支出（元）": line.spent,
            "执行率": percent(line.execution_rate),
            "序时应支出（元）": line.expected,
            "状态": light_label(line.light, line.status) + (f" {money(line.overrun)} 元" if line.overrun else ""),
        }
        for line in lines
    ]


def batch_status(batch: UploadBatch, names: dict[str, str]) -> str:
    return f"已撤销（{named(names, batch.undone_by)}，{local_time(batch.undone_at)}）" if batch.undone_at else "有效"


def batches(items: list[UploadBatch], names: dict[str, str]) -> list[dict]:
    """上传记录's batches, latest first as given; people by 姓名."""
    return [
        {
            "批次": b.id,
            "上传时间": local_time(b.uploaded_at),
            "上传人": named(names, b.uploaded_by),
            "文件": b.file_name,
            "导入内容": counts_text(batch_counts(b)) or "没有数据行",
            "状态": batch_status(b, names),
        }
        for b in items
    ]


def locks(months: list[date], locked: dict[date, PeriodLock], names: dict[str, str]) -> list[dict]:
    """期间锁定's months, each locked or not, by whom (姓名) and when."""
    return [
        {
            "月份": month_label(m),
            "状态": "🔒 已锁定" if m in locked else "未锁定",
            "锁定人": named(names, locked[m].locked_by) if m in locked else "",
            "锁定时间": local_time(locked[m].locked_at) if m in locked else "",
        }
        for m in months
    ]


def problems(items: list[Problem]) -> list[dict]:
    """An upload's errors or warnings, each where it is and what is wrong; its columns are PROBLEM_COLUMNS."""
    return [{"工作表": p.sheet, "行": p.row, "列": p.column, "问题": p.message, "代码": p.code} for p in items]


def import_counts(counts: dict[str, SheetCounts]) -> list[dict]:
    """An upload's preview: what it would add, update and leave as it is, sheet by sheet."""
    return [{"工作表": name, "新增": c.new, "更新": c.replaced, "未变": c.unchanged} for name, c in counts.items()]


def progress_cell(progress: Progress, sheet: str, month: int) -> str:
    """报送进度 of one sheet in one month: its rows, or 缺报 when a monthly sheet has none
    for a month that has ended."""
    if month in progress.missing.get(sheet, ()):
        return "❌ 缺报"
    count = progress.counts[sheet].get(month)
    return f"✅ {count}" if count else ""


def audit_entries(entries: list[Entry]) -> list[dict]:
    """操作日志's entries; its columns are AUDIT_COLUMNS."""
    return [
        {"时间": f"{e.at:%Y-%m-%d %H:%M:%S}", "用户": e.username, "操作": e.action, "详情": e.detail, "项目": e.project}
        for e in entries
    ]


def manual_values(indicator: Indicator, values: list[ManualValue], names: dict[str, str]) -> list[dict]:
    """指标填报's months entered so far, each by whom (姓名); its columns are MANUAL_COLUMNS."""
    return [
        {"月份": month_label(v.month), "数值": shown(indicator, v.value), "填报人": named(names, v.entered_by)}
        for v in values
    ]


def account_status(user: User, locked: datetime | None) -> str:
    """正常, 已停用, or locked out after failed logins until `locked`."""
    if user.disabled:
        return "已停用"
    return f"锁定至 {locked.astimezone(SHANGHAI):%H:%M}" if locked else "正常"


def users(accounts: list[User], locked: list[datetime | None]) -> list[dict]:
    """用户管理's accounts, each with its login lockout (if any) from `locked`."""
    return [
        {
            "用户名": u.username,
            "姓名": u.display_name,
            "角色": ROLES[u.role],
            "状态": account_status(u, until),
            "创建时间": f"{aware(u.created_at).astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
        }
        for u, until in zip(accounts, locked)
    ]


def metrics() -> list[dict]:
    """The 计算口径 a performance table may name, each with the unit it counts in and how its actual is computed."""
    return [
        {"计算口径": m.name, "计量单位": "同年度指标值" if m.unit is None else m.unit, "实际值的计算方法": m.formula}
        for m in METRICS
    ]


INFERRED = "推断，请确认"  # a 比较方向 the table did not write (data_model.targets.infer_operator)


def table_preview(indicators: list[Indicator]) -> list[dict]:
    """A performance table as it will be imported: each target's direction (inferred ones marked for a person to
    confirm), the metric bound and the weight."""
    return [
        {
            "序号": i.seq,
            "一级指标": i.level1,
            "三级指标": i.level3,
            "年度指标值": i.target_text,
            "比较方向": i.operator or "定性",
            "比较方向来源": INFERRED if i.operator_inferred else "表中填写",
            "计算口径": REGISTRY[i.metric_key].name,
            "分值": i.weight,
        }
        for i in indicators
    ]


def projects(summaries: list[settings.ProjectSummary]) -> list[dict]:
    """项目管理's projects so far."""
    return [
        {
            "项目名称": p.project.name,
            "年度": p.project.year,
            "主管部门": p.project.department,
            "实施单位": p.project.implementer,
            "指标数": p.indicators,
            "其中人工填报": p.manual,
            "比较方向为推断": p.inferred,
            "预算合计（元）": p.budget,
            "成本指标计分规则": settings.COST_RULES[p.project.cost_rule][0],
        }
        for p in summaries
    ]


def monitor_rows(rows: list[MonitorRow]) -> list[dict]:
    """运行监控: each indicator's actual, forecast and 完成目标可能性 (the proposal and, when changed, the choice)."""
    return [
        {
            "序号": row.result.seq,
            "三级指标": row.result.level3,
            "年度指标值": target(row.result.target),
            "截至统计日实际完成值": actual_text(row.result.metric_key, row.result.actual, row.result.unit),
            "全年预计完成值": row.forecast,
            "按预计": LIKELIHOOD_LABELS[row.proposed],
            "完成目标可能性": LIKELIHOOD_LABELS[row.likelihood] + ("（已调整）" if row.changed else ""),
            "偏差原因分析": row.deviation,
            "相关建议或举措": row.suggestion,
        }
        for row in rows
    ]
