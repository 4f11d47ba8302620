"""The audit trail: one append-only row per thing a person did, and reading it back for the admin.

Rows are only ever added: a flush that would change or delete one is refused, so nothing in the
app (or a bug in it) can rewrite the trail.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import event, func
from sqlmodel import Session, select

from data_model.cells import text_row
from data_model.models import AuditLog, Project

SHANGHAI = timezone(timedelta(hours=8), "北京时间")
# What each action key reads as; a key not listed here is shown as it is.
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "lockout": "账号锁定",
    "logout": "退出登录",
    "user_create": "创建用户",
    "role_change": "修改角色",
    "password_reset": "重置密码",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "weights": "修改分值",
    "cost_rule": "修改成本指标计分规则",
    "project_import": "导入项目",
    "manual_value": "填报指标数值",
    "upload": "上传数据",
    "restore": "恢复备份",
    "undo": "撤销上传",
    "lock": "锁定期间",
    "unlock": "解锁期间",
    "judge": "评定",
    "override": "调整得分",
    "withdraw": "撤销评定",
    "deviation_reason": "偏差原因分析",
    "actual_summary": "实际完成情况",
    "action_add": "新增整改措施",
    "action_close": "整改措施办结",
    "finalize": "自评定稿",
    "monitor_entry": "运行监控填报",
    "evidence_add": "上传佐证材料",
    "evidence_remove": "删除佐证材料",
}
HEADERS = ("时间（北京时间）", "用户", "操作", "详情", "项目")


def record(session: Session, username: str, action: str, detail: str = "", project_id: int | None = None) -> None:
    """Add an entry to the caller's transaction; it is committed (or rolled back) with the change it logs."""
    session.add(AuditLog(username=username, action=action, detail=detail, project_id=project_id))


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context, _instances) -> None:
    if any(isinstance(row, AuditLog) for row in (*session.dirty, *session.deleted)):
        raise PermissionError("操作日志只能追加，不能修改或删除")


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands datetimes back without their zone; every stored one is UTC.
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment


def local_time(moment: datetime) -> str:
    """A stored UTC moment as Shanghai reads it."""
    return f"{aware(moment).astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Entry:
    at: datetime  # Beijing time
    username: str
    action: str  # as it reads, in Chinese
    detail: str
    project: str


def _midnight(day: date) -> datetime:
    # Stored moments are UTC, and SQLite keeps only their wall-clock: compare in UTC.
    return datetime.combine(day, time(), SHANGHAI).astimezone(timezone.utc)


def _filters(start: date | None, end: date | None, username: str | None, action: str | None) -> list:
    where = []
    if start:
        where.append(AuditLog.at >= _midnight(start))
    if end:
        where.append(AuditLog.at < _midnight(end + timedelta(days=1)))
    if username:
        where.append(AuditLog.username == username)
    if action:
        where.append(AuditLog.action == action)
    return where


def entries(
    session: Session,
    *,
    start: date | None = None,
    end: date | None = None,
    username: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> tuple[int, list[Entry]]:
    """How many entries match (dates are Beijing days, both ends included), and the newest `limit` of them."""
    where = _filters(start, end, username, action)
    total = session.exec(select(func.count()).select_from(AuditLog).where(*where)).one()
    rows = session.exec(
        select(AuditLog, Project.name)
        .outerjoin(Project, AuditLog.project_id == Project.id)
        .where(*where)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()
    return total, [
        Entry(
            aware(log.at).astimezone(SHANGHAI),
            log.username,
            ACTIONS.get(log.action, log.action),
            log.detail,
            name or "",
        )
        for log, name in rows
    ]


def choices(session: Session) -> tuple[list[str], list[str]]:
    """The usernames and action keys that occur in the trail, for the filters."""
    names = session.exec(select(AuditLog.username).distinct().order_by(AuditLog.username)).all()
    actions = session.exec(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    return list(names), list(actions)


def to_xlsx(rows: list[Entry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "操作日志"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(text_row(ws, [row.at.replace(tzinfo=None), row.username, row.action, row.detail, row.project]))
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd hh:mm:ss"
        ws.cell(ws.max_row, 4).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDE", (20, 14, 16, 70, 30)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
