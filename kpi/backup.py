"""备份与恢复: one project as a single workbook (declared in data_model.sheets), and that workbook back into a
database.

Restoring writes it all in one transaction and reproduces the evaluation exactly; upload history (batches,
replaced rows) and the audit trail are not part of it. A backup edited by hand is checked like an upload: a
judgment's score must lie inside its tier's band (kpi.scoring's rule), one marked 不适用 has no score and has its
reason, a row may not repeat what the database holds once (an indicator's judgment, a month's manual value or
lock, an indicator's 运行监控 entry for a date), and any problem refuses the whole file with its sheet, row and column.
A project with 佐证材料 is backed up as a zip of the workbook and the files (write_backup; kpi.backup_evidence), and
restore reads both that and a workbook alone.
"""

import io
from collections.abc import Iterable
from datetime import datetime
from itertools import chain
from typing import NamedTuple

from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import Session, select

from data_model import audit, evidence
from data_model.backup import ExtraReader, ExtraRow, exact, moment, pack, unpack
from data_model.cells import text_row
from data_model.db import all_or_nothing
from data_model.importer import apply_plan, plan_import
from data_model.models import (
    AssessmentText,
    BudgetLine,
    CorrectiveAction,
    Evidence,
    Indicator,
    Judgment,
    ManualValue,
    MonitorEntry,
    PeriodLock,
    Project,
    UploadBatch,
)
from data_model.problems import WorkbookRejected, problem
from data_model.projects import add_project
from data_model.sheets import (
    ACTIONS,
    ASSESSMENT_TEXTS,
    BUDGET,
    EVIDENCE,
    GUIDE_SHEET,
    INFO_FIELDS,
    JUDGMENTS,
    LOCKS,
    MANUAL_VALUES,
    MONITOR_ENTRIES,
    NOT_APPLICABLE,
    PROJECT_INFO,
    PROJECT_SETTINGS,
    SHEETS,
    TARGETS,
    Sheet,
)
from data_model.validation import CellError, read_workbook
from kpi import backup_evidence
from kpi.assessment import TEXTS
from kpi.metrics import REGISTRY
from kpi.monitor_entries import CAUSES
from kpi.monitoring import LIKELIHOOD_LABELS
from kpi.projects import build_project
from kpi.scoring import TIERS_BY_NAME, JudgmentError, check_in_band
from kpi.settings import COST_RULES

RULE_BY_LABEL = {label: key for key, (label, _) in COST_RULES.items()}
LIKELIHOOD_BY_LABEL = {label: key.value for key, label in LIKELIHOOD_LABELS.items()}
TEXT_BY_LABEL = {text.label: key for key, text in TEXTS.items()}


def export_all(session: Session, project: Project) -> bytes:
    """The whole project as .xlsx bytes, written row by row so that a district's year fits in memory."""
    workbook = Workbook(write_only=True)
    indicators = session.exec(select(Indicator).where(Indicator.project_id == project.id).order_by(Indicator.seq))
    backup = _Backup(session, project, {i.id: i for i in indicators})
    for name, headers, rows in (
        (GUIDE_SHEET, ["说明"], _guide(project)),
        (PROJECT_INFO.name, PROJECT_INFO.headers, [[label, getattr(project, a)] for label, a in INFO_FIELDS.items()]),
        (BUDGET.name, BUDGET.headers, _budget_lines(backup)),
        (TARGETS.name, TARGETS.headers, _targets(backup)),
        *(
            (schema.name, [c.header for c in schema.columns], _records(backup, schema))
            for schema in SHEETS
            if not schema.manual  # in 人工填报, with who entered each
        ),
        (PROJECT_SETTINGS.name, PROJECT_SETTINGS.headers, _project_settings(project)),
        (ASSESSMENT_TEXTS.name, ASSESSMENT_TEXTS.headers, _texts(backup)),
        (JUDGMENTS.name, JUDGMENTS.headers, _judgments(backup)),
        (ACTIONS.name, ACTIONS.headers, _actions(backup)),
        (MANUAL_VALUES.name, MANUAL_VALUES.headers, _manual_values(backup)),
        (LOCKS.name, LOCKS.headers, _locks(backup)),
        (MONITOR_ENTRIES.name, MONITOR_ENTRIES.headers, _monitor_entries(backup)),
        (EVIDENCE.name, EVIDENCE.headers, backup_evidence.sheet_rows(session, project)),
    ):
        ws = workbook.create_sheet(name)
        for row in chain([headers], rows):
            ws.append(text_row(ws, map(exact, row)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_backup(session: Session, project: Project, out) -> str:
    """The project's backup into the binary file `out`; returns its extension: .xlsx, the workbook alone, for a
    project without 佐证材料, else .zip, the workbook and the files (data_model.backup.pack)."""
    workbook = export_all(session, project)
    if not evidence.counts(session, project.id):
        out.write(workbook)
        return ".xlsx"
    pack(workbook, _contents(session, project), out)
    return ".zip"


def _contents(session: Session, project: Project) -> Iterable[tuple[str, bytes]]:
    sha256 = {item.id: item.sha256 for item in evidence.listing(session, project.id)}
    return ((sha256[evidence_id], data) for evidence_id, data in evidence.contents(session, project.id))


class _Backup(NamedTuple):
    session: Session
    project: Project
    indicators: dict[int, Indicator]  # by id

    def of_indicators(self, model) -> Iterable:
        """The rows of `model` (judgments, actions, manual values) belonging to the project's indicators."""
        return self.session.exec(select(model).where(model.indicator_id.in_(list(self.indicators))).order_by(model.id))

    def named(self, indicator_id: int) -> list:
        """序号 and 三级指标 of an indicator, as the extra sheets name it."""
        indicator = self.indicators[indicator_id]
        return [indicator.seq, indicator.level3]


def _guide(project: Project) -> list[list]:
    return [
        [f"「{project.name}」完整备份，导出于 {moment(datetime.now(audit.SHANGHAI))}。"],
        ["恢复：python -m data_model restore 本文件 [--db 数据库地址]；各数据工作表也可按月度数据报送表直接导入。"],
    ]


def _budget_lines(backup: _Backup) -> Iterable[list]:
    lines = select(BudgetLine).where(BudgetLine.project_id == backup.project.id).order_by(BudgetLine.seq)
    return (
        [line.seq, line.category, line.name, line.amount, line.initial_amount or line.amount, line.amount]
        for line in backup.session.exec(lines)
    )


def _targets(backup: _Backup) -> Iterable[list]:
    return (
        [i.level1, i.level2, i.level3, _as_written(i), i.source, REGISTRY[i.metric_key].name, i.budget_line, i.weight]
        for i in backup.indicators.values()
    )


def _as_written(indicator: Indicator) -> str:
    """年度指标值 as the table wrote it: an inferred operator (the text's first character) is left out, so that the
    restored target is inferred again, still awaiting confirmation."""
    return indicator.target_text[1:] if indicator.operator_inferred else indicator.target_text


def _records(backup: _Backup, schema: Sheet) -> Iterable[list]:
    """An upload sheet's records in its own headers and cell formats, so that `import` reads them too."""
    table = schema.model.__table__
    stored = backup.session.execute(
        table.select()
        .where(table.c.project_id == backup.project.id)
        .order_by(table.c.id)
        .execution_options(yield_per=1000)
    )
    return ([c.cell(row[c.field]) for c in schema.columns] for row in stored.mappings())


def _project_settings(project: Project) -> list[list]:
    return [
        ["成本指标计分规则", COST_RULES[project.cost_rule][0]],
        ["实际完成情况", project.actual_summary],
        ["定稿人", project.finalized_by],
        ["定稿时间", moment(project.finalized_at)],
    ]


def _texts(backup: _Backup) -> Iterable[list]:
    texts = select(AssessmentText).where(AssessmentText.project_id == backup.project.id)
    stored = sorted(backup.session.exec(texts), key=lambda t: list(TEXTS).index(t.key))
    return ([TEXTS[t.key].label, t.text, t.edited_by, moment(t.edited_at)] for t in stored)


def _judgments(backup: _Backup) -> Iterable[list]:
    return (
        [
            *backup.named(j.indicator_id),
            j.tier,
            j.score,
            j.reason,
            j.deviation_reason,
            j.judged_by,
            moment(j.judged_at),
            "是" if j.not_applicable else "否",
        ]
        for j in backup.of_indicators(Judgment)
    )


def _actions(backup: _Backup) -> Iterable[list]:
    return (
        [*backup.named(a.indicator_id), a.action, a.owner, a.due_on, a.closed_on, a.created_by, moment(a.created_at)]
        for a in backup.of_indicators(CorrectiveAction)
    )


def _manual_values(backup: _Backup) -> Iterable[list]:
    return (
        [*backup.named(v.indicator_id), f"{v.month:%Y-%m}", v.value, v.entered_by, moment(v.entered_at)]
        for v in backup.of_indicators(ManualValue)
    )


def _locks(backup: _Backup) -> Iterable[list]:
    locks = select(PeriodLock).where(PeriodLock.project_id == backup.project.id).order_by(PeriodLock.month)
    return ([f"{lock.month:%Y-%m}", lock.locked_by, moment(lock.locked_at)] for lock in backup.session.exec(locks))


def _monitor_entries(backup: _Backup) -> Iterable[list]:
    return (
        [
            *backup.named(e.indicator_id),
            e.as_of,
            LIKELIHOOD_LABELS[e.likelihood] if e.likelihood else None,
            e.likelihood_reason,
            e.causes,
            e.cause_text,
            e.suggestion,
            e.edited_by,
            moment(e.edited_at),
        ]
        for e in backup.of_indicators(MonitorEntry)
    )


def restore(session: Session, data: bytes, *, file_name: str, by: str) -> Project:
    """Restore a backup made by export_all, in one transaction: into a new project, or into an existing
    one of the same name that has no data yet (e.g. the seed project right after `init`) when its
    performance table is the backup's. Raises WorkbookRejected listing every problem."""
    with all_or_nothing(session):
        data, files = unpack(data)
        try:
            sheets = read_workbook(data)
        except CellError as err:  # not a workbook, or one that cannot be read safely (data_model.xlsx)
            raise WorkbookRejected([problem(err.code, **err.values)]) from None
        project = _project(session, data)
        apply_plan(session, project, plan_import(session, project, data), file_name=file_name, uploaded_by=by)
        reader = ExtraReader(
            sheets, {i.seq: i for i in session.exec(select(Indicator).where(Indicator.project_id == project.id))}
        )
        _settings(reader, project)
        session.add_all(
            [
                *_texts_back(reader, project),
                *_judgments_back(reader),
                *_actions_back(reader),
                *_manual_back(reader, project),
            ]
        )
        session.add_all(_monitor_back(reader))
        session.add_all(_locks_back(reader, project))
        session.add_all(backup_evidence.files_back(session, reader, project, files))
        if reader.problems:
            raise WorkbookRejected(reader.problems)
        audit.record(session, by, "restore", f"从备份「{file_name}」恢复项目「{project.name}」", project.id)
    return project


def _texts_back(reader: ExtraReader, project: Project) -> list[AssessmentText]:
    texts = []
    for row in reader.rows(ASSESSMENT_TEXTS):
        key = row.choice("字段", TEXT_BY_LABEL)
        row.once("字段", key, why="每项自评文字只能有一条")
        text = row.read("内容", lambda v: str(v).strip(), False, "文字")
        texts.append(
            AssessmentText(
                project_id=project.id,
                key=key,
                text=text,
                edited_by=row.text("修改人"),
                edited_at=row.moment("修改时间"),
            )
        )
    return texts


def _judgments_back(reader: ExtraReader) -> list[Judgment]:
    judgments = []
    for row in reader.rows(JUDGMENTS):
        indicator = row.indicator()
        tier, score = _judgment(row, indicator)
        not_applicable = _not_applicable(row, tier, score)
        row.once("序号", indicator.id, why="每项指标只能有一条评定记录")
        judgments.append(
            Judgment(
                indicator_id=indicator.id,
                tier=tier,
                score=score,
                not_applicable=not_applicable,
                reason=row.text("理由"),
                deviation_reason=row.text("偏差原因分析及改进措施"),
                judged_by=row.text("评定人"),
                judged_at=row.moment("评定时间"),
            )
        )
    return judgments


def _actions_back(reader: ExtraReader) -> list[CorrectiveAction]:
    return [
        CorrectiveAction(
            indicator_id=row.indicator().id,
            action=row.text("整改措施"),
            owner=row.text("责任人"),
            due_on=row.day("完成时限"),
            closed_on=row.day("办结日期", optional=True),
            created_by=row.text("创建人"),
            created_at=row.moment("创建时间"),
        )
        for row in reader.rows(ACTIONS)
    ]


def _manual_back(reader: ExtraReader, project: Project) -> list[ManualValue]:
    values = []
    for row in reader.rows(MANUAL_VALUES):
        indicator, month = row.indicator(), row.month("月份")
        row.once("月份", indicator.id, month, why="每项指标每月只能有一个数值")
        values.append(
            ManualValue(
                project_id=project.id,
                indicator_id=indicator.id,
                month=month,
                value=row.number("数值（百分比以小数表示）"),
                entered_by=row.text("填报人"),
                entered_at=row.moment("填报时间"),
            )
        )
    return values


def _locks_back(reader: ExtraReader, project: Project) -> list[PeriodLock]:
    locks = []
    for row in reader.rows(LOCKS):
        month = row.month("月份")
        row.once("月份", month, why="每个月份只能锁定一次")
        locks.append(
            PeriodLock(
                project_id=project.id, month=month, locked_by=row.text("锁定人"), locked_at=row.moment("锁定时间")
            )
        )
    return locks


def _monitor_back(reader: ExtraReader) -> list[MonitorEntry]:
    entries = []
    for row in reader.rows(MONITOR_ENTRIES):
        indicator, as_of = row.indicator(), row.day("统计截至")
        row.once("统计截至", indicator.id, as_of, why="每项指标每个统计截至日只能有一条运行监控填报")
        likelihood = row.read("完成目标可能性", LIKELIHOOD_BY_LABEL.__getitem__, True, "、".join(LIKELIHOOD_BY_LABEL))
        causes = row.read("偏差原因类别", _causes, True, f"用「、」分隔的{'、'.join(CAUSES)}")
        entries.append(
            MonitorEntry(
                indicator_id=indicator.id,
                as_of=as_of,
                likelihood=likelihood,
                likelihood_reason=row.text("调整理由"),
                causes=causes or "",
                cause_text=row.text("偏差原因分析"),
                suggestion=row.text("相关建议或举措"),
                edited_by=row.text("填报人"),
                edited_at=row.moment("填报时间"),
            )
        )
    return entries


def _causes(value) -> str:
    """偏差原因类别 as stored: known categories joined by 、 (an unknown one is refused)."""
    causes = [c.strip() for c in str(value).split("、") if c.strip()]
    if any(c not in CAUSES for c in causes):
        raise ValueError(value)
    return "、".join(causes)


def _project(session: Session, data: bytes) -> Project:
    built, lines, indicators = build_project(data)
    existing = session.exec(select(Project).where(Project.name == built.name)).first()
    if existing is None:
        return add_project(session, built, lines, indicators)
    stored = list(session.exec(select(Indicator).where(Indicator.project_id == existing.id).order_by(Indicator.seq)))
    stored_lines = session.exec(select(BudgetLine).where(BudgetLine.project_id == existing.id).order_by(BudgetLine.seq))
    same_table = [_shape(i) for i in stored] == [_shape(i) for i in indicators] and [
        (x.name, x.amount) for x in stored_lines
    ] == [(x.name, x.amount) for x in lines]
    if _holds_data(session, existing) or not same_table:
        raise WorkbookRejected([problem("R002", name=built.name)])
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
        select(func.count()).select_from(AssessmentText).where(AssessmentText.project_id == project.id),
        *(
            select(func.count()).select_from(m).where(m.indicator_id.in_(ids))
            for m in (Judgment, CorrectiveAction, ManualValue, MonitorEntry, Evidence)
        ),
    ]
    return any(session.exec(query).one() for query in counts)


def _settings(reader: ExtraReader, project: Project) -> None:
    fields = {row.text("字段"): row for row in reader.rows(PROJECT_SETTINGS)}
    if "成本指标计分规则" in fields:
        project.cost_rule = fields["成本指标计分规则"].choice("内容", RULE_BY_LABEL)
    if "实际完成情况" in fields:
        project.actual_summary = fields["实际完成情况"].text("内容") or None
    if "定稿人" in fields:
        project.finalized_by = fields["定稿人"].text("内容") or None
    if "定稿时间" in fields:
        project.finalized_at = fields["定稿时间"].moment("内容", optional=True)


def _not_applicable(row: ExtraRow, tier: str | None, score: float | None) -> bool:
    """不适用: 是 or 否 (blank is 否); an indicator marked so has no tier or score, and has its reason."""
    marked = row.read("不适用", lambda v: NOT_APPLICABLE[str(v).strip()], True, "、".join(NOT_APPLICABLE)) or False
    if marked and (tier is not None or score is not None):
        row.reader.problem(
            row.sheet, row.number_, "不适用", "R001.refused", reason="标记为不适用的指标不能同时有档次和得分"
        )
    if marked and not row.text("理由"):
        row.reader.problem(row.sheet, row.number_, "理由", "R001.refused", reason="标记为不适用须填写理由")
    return marked


def _judgment(row: ExtraRow, indicator: Indicator) -> tuple[str | None, float | None]:
    """档次 and 得分: both empty (not judged), a score inside the tier's band of the indicator's weight, or, on an
    indicator scored from its data, a score alone (an override: evaluating keeps it only below the computed score)."""
    judged = indicator.id is not None and REGISTRY[indicator.metric_key].kind.judged
    optional = row.blank("得分") or not judged
    tier = row.read("档次", lambda v: TIERS_BY_NAME[str(v).strip()].name, optional, "、".join(TIERS_BY_NAME))
    score = row.number("得分", optional=row.blank("档次"))
    if tier is not None and score is not None and indicator.id is not None:
        try:
            check_in_band(tier, score, indicator.weight)
        except JudgmentError as err:
            row.reader.problem(row.sheet, row.number_, "得分", "R001.refused", reason=err)
    return tier, score
