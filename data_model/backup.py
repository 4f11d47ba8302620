"""备份与恢复: one project as a single workbook, and that workbook back into a database.

The backup holds the project's performance table (the 项目信息, 预算明细 and 绩效目标 sheets that
项目管理 imports), every record in the monthly upload contract's sheets and headers (so the normal
importer reads them too), and extra sheets for what is not uploaded: 项目设置, 评定记录, 整改措施,
人工填报 and 期间锁定. Restoring writes it all in one transaction and reproduces the evaluation
exactly; upload history (batches, replaced rows) and the audit trail are not part of it. A backup
edited by hand is checked like an upload: a judgment's score must lie inside its tier's band
(kpi.scoring's rule), a row may not repeat what the database holds once (an indicator's judgment,
a month's manual value or lock), and any problem refuses the whole file with its sheet, row and column.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import Session, select

from data_model import audit
from data_model.admin import COST_RULES
from data_model.cells import text_row
from data_model.db import all_or_nothing
from data_model.importer import apply_plan, plan_import
from data_model.models import (
    BudgetLine,
    CorrectiveAction,
    Indicator,
    Judgment,
    ManualValue,
    PeriodLock,
    Project,
    UploadBatch,
)
from data_model.projects import BUDGET_HEADERS, INFO_FIELDS, TABLE_HEADERS, ProjectRejected, add_project, build_project
from data_model.sheets import GUIDE_SHEET, SHEETS
from data_model.validation import CellError, Problem, problem, read_workbook
from data_model.validation import _shown as shown  # a cell as the upload checks quote it
from kpi.metrics import REGISTRY
from kpi.scoring import TIERS_BY_NAME, JudgmentError, check_in_band

BAD = "R001"  # a cell of an extra sheet that cannot be read back


@dataclass(frozen=True)
class Extra:
    """An extra sheet of the backup: what is not uploaded but entered in the app."""

    name: str
    headers: tuple[str, ...]


SETTINGS = Extra("项目设置", ("字段", "内容"))
JUDGMENTS = Extra("评定记录", ("序号", "三级指标", "档次", "得分", "理由", "偏差原因分析及改进措施", "评定人", "评定时间"))
ACTIONS = Extra("整改措施", ("序号", "三级指标", "整改措施", "责任人", "完成时限", "办结日期", "创建人", "创建时间"))
MANUAL = Extra("人工填报", ("序号", "三级指标", "月份", "数值（百分比以小数表示）", "填报人", "填报时间"))
LOCKS = Extra("期间锁定", ("月份", "锁定人", "锁定时间"))
RULE_BY_LABEL = {label: key for key, (label, _) in COST_RULES.items()}


def moment(value: datetime | None) -> str | None:
    """A stored time as exact ISO text in Beijing time (Excel cells cannot hold a time zone)."""
    return None if value is None else audit.aware(value).astimezone(audit.SHANGHAI).isoformat()


def export_all(session: Session, project: Project) -> bytes:
    """The whole project as .xlsx bytes, written row by row so that a district's year fits in memory."""
    workbook = Workbook(write_only=True)
    indicators = list(session.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq)))
    by_id = {i.id: i for i in indicators}
    lines = session.exec(select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq))

    def sheet(name: str, headers, rows) -> None:
        ws = workbook.create_sheet(name)
        for row in (headers, *rows):
            ws.append(text_row(ws, map(_exact, row)))

    sheet(GUIDE_SHEET, ["说明"], [[f"「{project.name}」完整备份，导出于 {moment(datetime.now(audit.SHANGHAI))}。"],
                                  ["恢复：python -m data_model restore 本文件 [--db 数据库地址]；各数据工作表也可按月度数据报送表直接导入。"]])
    sheet("项目信息", ["字段", "内容"], [[label, getattr(project, attr)] for label, attr in INFO_FIELDS.items()])
    sheet("预算明细", BUDGET_HEADERS, [[line.seq, line.category, line.name, line.amount] for line in lines])
    sheet("绩效目标", TABLE_HEADERS, [
        [i.level1, i.level2, i.level3, i.target_text, i.source, REGISTRY[i.metric_key].name, i.budget_line, i.weight] for i in indicators
    ])
    for schema in SHEETS:
        table = schema.model.__table__
        stored = session.execute(table.select().where(table.c.project_id == project.id).order_by(table.c.id).execution_options(yield_per=1000))
        sheet(schema.name, [c.header for c in schema.columns], ([c.cell(row[c.field]) for c in schema.columns] for row in stored.mappings()))
    rule = COST_RULES[project.cost_rule][0]
    sheet(SETTINGS.name, SETTINGS.headers, [["成本指标计分规则", rule], ["实际完成情况", project.actual_summary],
                                            ["定稿人", project.finalized_by], ["定稿时间", moment(project.finalized_at)]])
    ids = list(by_id)
    judgments = session.exec(select(Judgment).where(Judgment.indicator_id.in_(ids)).order_by(Judgment.id))
    sheet(JUDGMENTS.name, JUDGMENTS.headers, [
        [by_id[j.indicator_id].seq, by_id[j.indicator_id].level3, j.tier, j.score, j.reason, j.deviation_reason, j.judged_by, moment(j.judged_at)]
        for j in judgments
    ])
    actions = session.exec(select(CorrectiveAction).where(CorrectiveAction.indicator_id.in_(ids)).order_by(CorrectiveAction.id))
    sheet(ACTIONS.name, ACTIONS.headers, [
        [by_id[a.indicator_id].seq, by_id[a.indicator_id].level3, a.action, a.owner, a.due_on, a.closed_on, a.created_by, moment(a.created_at)]
        for a in actions
    ])
    values = session.exec(select(ManualValue).where(ManualValue.indicator_id.in_(ids)).order_by(ManualValue.id))
    sheet(MANUAL.name, MANUAL.headers, [
        [by_id[v.indicator_id].seq, by_id[v.indicator_id].level3, f"{v.month:%Y-%m}", v.value, v.entered_by, moment(v.entered_at)] for v in values
    ])
    locks = session.exec(select(PeriodLock).where(PeriodLock.project_id == project.id).order_by(PeriodLock.month))
    sheet(LOCKS.name, LOCKS.headers, [[f"{lock.month:%Y-%m}", lock.locked_by, moment(lock.locked_at)] for lock in locks])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _exact(value):
    """A value as it must be written to read back exactly."""
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)  # openpyxl writes 16 digits: a weight of 50 ÷ 15 would come back a hair smaller
    return value


def _finite(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


class RestoreRejected(Exception):
    """The backup cannot be restored; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


def restore(session: Session, data: bytes, *, file_name: str, by: str) -> Project:
    """Restore a backup made by export_all, in one transaction: into a new project, or into an existing
    one of the same name that has no data yet (e.g. the seed project right after `init`) when its
    performance table is the backup's. Raises RestoreRejected (or ImportRejected for the records)."""
    with all_or_nothing(session):
        try:
            sheets = read_workbook(data)
        except CellError as err:  # not a workbook, or one that cannot be read safely (data_model.xlsx)
            raise RestoreRejected([problem(err.code, **err.values)]) from None
        project = _project(session, data)
        apply_plan(session, project, plan_import(session, project, data), file_name=file_name, uploaded_by=by)
        reader = _Reader(sheets, {i.seq: i for i in session.exec(select(Indicator).where(Indicator.project_id == project.id))})
        _settings(reader, project)
        for row in reader.rows(JUDGMENTS):
            indicator = row.indicator()
            tier, score = row.judgment(indicator)
            row.once("序号", indicator.id, why="每项指标只能有一条评定记录")
            session.add(Judgment(indicator_id=indicator.id, tier=tier, score=score, reason=row.text("理由"),
                                 deviation_reason=row.text("偏差原因分析及改进措施"), judged_by=row.text("评定人"), judged_at=row.moment("评定时间")))
        for row in reader.rows(ACTIONS):
            session.add(CorrectiveAction(indicator_id=row.indicator().id, action=row.text("整改措施"), owner=row.text("责任人"),
                                         due_on=row.day("完成时限"), closed_on=row.day("办结日期", optional=True),
                                         created_by=row.text("创建人"), created_at=row.moment("创建时间")))
        for row in reader.rows(MANUAL):
            indicator, month = row.indicator(), row.month("月份")
            row.once("月份", indicator.id, month, why="每项指标每月只能有一个数值")
            session.add(ManualValue(indicator_id=indicator.id, month=month, value=row.number("数值（百分比以小数表示）"),
                                    entered_by=row.text("填报人"), entered_at=row.moment("填报时间")))
        for row in reader.rows(LOCKS):
            month = row.month("月份")
            row.once("月份", month, why="每个月份只能锁定一次")
            session.add(PeriodLock(project_id=project.id, month=month, locked_by=row.text("锁定人"), locked_at=row.moment("锁定时间")))
        if reader.problems:
            raise RestoreRejected(reader.problems)
        audit.record(session, by, "restore", f"从备份「{file_name}」恢复项目「{project.name}」", project.id)
    return project


def _project(session: Session, data: bytes) -> Project:
    built, lines, indicators = build_project(data)
    existing = session.exec(select(Project).where(Project.name == built.name)).first()
    if existing is None:
        return add_project(session, built, lines, indicators)
    stored = list(session.exec(select(Indicator).where(Indicator.project_id == existing.id).order_by(Indicator.seq)))
    stored_lines = session.exec(select(BudgetLine).where(BudgetLine.project_id == existing.id).order_by(BudgetLine.seq))
    same_table = [_shape(i) for i in stored] == [_shape(i) for i in indicators] and \
        [(x.name, x.amount) for x in stored_lines] == [(x.name, x.amount) for x in lines]
    if _holds_data(session, existing) or not same_table:
        raise ProjectRejected([Problem("R002", f"数据库中已有项目「{built.name}」且已有数据或绩效目标表不同，不能恢复到其中；请恢复到新的数据库")])
    for attr in INFO_FIELDS.values():
        setattr(existing, attr, getattr(built, attr))
    for indicator, backed_up in zip(stored, indicators):
        indicator.weight = backed_up.weight
        session.add(indicator)
    session.add(existing)
    return existing


def _shape(i: Indicator) -> tuple:
    return i.seq, i.level1, i.level2, i.level3, i.target_text, i.metric_key, i.budget_line


def _holds_data(session: Session, project: Project) -> bool:
    ids = select(Indicator.id).where(Indicator.project_id == project.id)
    counts = [
        select(func.count()).select_from(UploadBatch).where(UploadBatch.project_id == project.id),
        select(func.count()).select_from(PeriodLock).where(PeriodLock.project_id == project.id),
        *(select(func.count()).select_from(m).where(m.indicator_id.in_(ids)) for m in (Judgment, CorrectiveAction, ManualValue)),
    ]
    return any(session.exec(query).one() for query in counts)


def _settings(reader: "_Reader", project: Project) -> None:
    fields = {row.text("字段"): row for row in reader.rows(SETTINGS)}
    if "成本指标计分规则" in fields:
        project.cost_rule = fields["成本指标计分规则"].choice("内容", RULE_BY_LABEL)
    if "实际完成情况" in fields:
        project.actual_summary = fields["实际完成情况"].text("内容") or None
    if "定稿人" in fields:
        project.finalized_by = fields["定稿人"].text("内容") or None
    if "定稿时间" in fields:
        project.finalized_at = fields["定稿时间"].moment("内容", optional=True)


@dataclass
class _Row:
    """One row of an extra sheet; a cell that cannot be read adds a problem and gives None."""

    reader: "_Reader"
    sheet: str
    number_: int  # as Excel shows it
    cells: dict

    def blank(self, header: str) -> bool:
        raw = self.cells.get(header)
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def _read(self, header: str, parse: Callable, optional: bool, wanted: str):
        raw = self.cells.get(header)
        if self.blank(header):
            if not optional:
                self.reader.problem(self.sheet, self.number_, header, "不能为空")
            return None
        try:
            return parse(raw)
        except (ValueError, TypeError, KeyError, CellError):
            self.reader.problem(self.sheet, self.number_, header, f"应为{wanted}，实际为「{shown(raw)}」")
            return None

    def text(self, header: str) -> str:
        raw = self.cells.get(header)
        return "" if raw is None else str(raw).strip()

    def number(self, header: str, optional: bool = False) -> float | None:
        return self._read(header, _finite, optional, "数字")

    def day(self, header: str, optional: bool = False) -> date | None:
        return self._read(header, lambda v: v.date() if isinstance(v, datetime) else v if isinstance(v, date) else date.fromisoformat(v.strip()),
                          optional, "日期（YYYY-MM-DD）")

    def month(self, header: str) -> date | None:
        return self._read(header, lambda v: date(v.year, v.month, 1) if isinstance(v, date) else date.fromisoformat(f"{v.strip()}-01"), False, "月份（YYYY-MM）")

    def moment(self, header: str, optional: bool = False) -> datetime | None:
        return self._read(header, lambda v: datetime.fromisoformat(v.strip()), optional, "带时区的时间（如 2024-12-31T16:00:00+08:00）")

    def choice(self, header: str, choices: dict):
        return self._read(header, lambda v: choices[str(v).strip()], False, "、".join(choices))

    def judgment(self, indicator: Indicator) -> tuple[str | None, float | None]:
        """档次 and 得分: both empty (not judged), or a score inside the tier's band of the indicator's weight."""
        tier = self._read("档次", lambda v: TIERS_BY_NAME[str(v).strip()].name, self.blank("得分"), "、".join(TIERS_BY_NAME))
        score = self.number("得分", optional=self.blank("档次"))
        if tier is not None and score is not None and indicator.id is not None:
            try:
                check_in_band(tier, score, indicator.weight)
            except JudgmentError as err:
                self.reader.problem(self.sheet, self.number_, "得分", str(err))
        return tier, score

    def indicator(self) -> Indicator:
        found = self._read("序号", lambda v: self.reader.indicators[int(float(v))], False, "本项目绩效目标表中的指标序号")
        return found or Indicator(id=None)  # the problem is recorded; nothing is committed

    def once(self, header: str, *key, why: str) -> None:
        """A problem when an earlier row of the sheet has the same key, which the database holds only once."""
        if None in key:
            return  # a cell of the key could not be read: its problem is recorded
        first = self.reader.seen.setdefault((self.sheet, *key), self.number_)
        if first != self.number_:
            self.reader.problem(self.sheet, self.number_, header, f"与第 {first} 行重复：{why}")


@dataclass
class _Reader:
    sheets: dict[str, list[list]]
    indicators: dict[int, Indicator]
    problems: list[Problem] = None
    seen: dict[tuple, int] = None  # (sheet, *key) -> the first row holding it

    def __post_init__(self):
        self.problems, self.seen = [], {}

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(BAD, message, sheet, row, column))

    def rows(self, extra: Extra) -> list[_Row]:
        rows = self.sheets.get(extra.name) or [list(extra.headers)]
        found = [str(h).strip() if h is not None else "" for h in rows[0]]
        missing = [h for h in extra.headers if h not in found]
        for header in missing:
            self.problem(extra.name, 1, header, "缺少此列")
        if missing:
            return []
        return [_Row(self, extra.name, number, {h: row[found.index(h)] if found.index(h) < len(row) else None for h in extra.headers})
                for number, row in enumerate(rows[1:], start=2) if any(v not in (None, "") for v in row)]
