"""Projects: loading a performance table (绩效目标表) workbook, and finding a project by id or name.

The workbook has three sheets: 项目信息 (字段/内容), 预算明细 (序号/项目明细/项目内容/金额) and
绩效目标 (一级指标/二级指标/三级指标/年度指标值/指标来源/计算口径/关联预算明细/分值). Blank 一级/二级
cells repeat the one above, as in the source document; a blank 分值 column means the default split.
"""

from dataclasses import dataclass

from sqlalchemy import inspect
from sqlmodel import Session, select

from data_model.models import BudgetLine, Indicator, Project
from data_model.validation import CellError, Problem, problem, read_workbook
from kpi.metrics import BY_NAME
from kpi.scoring import WeightError, check_weights, default_weights
from kpi.targets import TargetError, parse_target

INFO_FIELDS = {"项目名称": "name", "项目年度": "year", "主管部门": "department", "实施单位": "implementer", "总体目标": "overall_goal", "年度目标": "annual_goal"}
BUDGET_HEADERS = ("序号", "项目明细", "项目内容", "金额")
TABLE_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "指标来源", "计算口径", "关联预算明细", "分值")

NOT_INITIALISED = "数据库中还没有项目，请先运行 python -m data_model init"


class ProjectRejected(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


@dataclass
class _Reader:
    problems: list[Problem]

    def table(self, sheets: dict, name: str, headers: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[tuple[int, dict]]:
        rows = sheets.get(name)
        if not rows:
            self.problems.append(Problem("P001", f"缺少工作表「{name}」", name))
            return []
        found = [str(h).strip() for h in rows[0]]
        missing = [h for h in headers if h not in found and h not in optional]
        for header in missing:
            self.problems.append(Problem("P002", f"缺少列「{header}」", name, 1, header))
        if missing:
            return []
        out = []
        for number, row in enumerate(rows[1:], start=2):
            cells = {h: (str(row[found.index(h)]).strip() if h in found and found.index(h) < len(row) else "") for h in headers}
            if any(cells.values()):
                out.append((number, cells))
        return out

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem("P003", message, sheet, row, column))


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def build_project(data: bytes) -> tuple[Project, list[BudgetLine], list[Indicator]]:
    """Read and check a performance-table workbook; raises ProjectRejected listing every problem."""
    try:
        sheets = read_workbook(data)
    except CellError as err:  # not a workbook, or one that cannot be read safely (data_model.xlsx)
        raise ProjectRejected([problem(err.code, **err.values)]) from None
    reader = _Reader([])
    info = {cells["字段"]: cells["内容"] for _, cells in reader.table(sheets, "项目信息", ("字段", "内容"))}
    fields = {attr: info.get(label, "") for label, attr in INFO_FIELDS.items()}
    for label in ("项目名称", "项目年度"):
        if not info.get(label):
            reader.error("项目信息", 0, "内容", f"缺少「{label}」")
    year = _number(fields["year"] or "x")
    if fields["year"] and (year is None or not year.is_integer()):
        reader.error("项目信息", 0, "内容", f"项目年度应为四位年份，实际为「{fields['year']}」")
    fields["year"] = int(year) if year and year.is_integer() else 0

    lines = []
    for number, cells in reader.table(sheets, "预算明细", BUDGET_HEADERS):
        amount = _number(cells["金额"])
        if amount is None or amount <= 0:
            reader.error("预算明细", number, "金额", f"金额应为大于 0 的数字，实际为「{cells['金额']}」")
        if not cells["项目内容"]:
            reader.error("预算明细", number, "项目内容", "项目内容不能为空")
        lines.append(BudgetLine(seq=len(lines) + 1, category=cells["项目明细"], name=cells["项目内容"], amount=amount or 0.0))
    line_names = {line.name for line in lines}

    indicators, level1, level2, weights = [], "", "", []
    for number, cells in reader.table(sheets, "绩效目标", TABLE_HEADERS, optional=("指标来源", "关联预算明细", "分值")):
        level1, level2 = cells["一级指标"] or level1, cells["二级指标"] or level2
        try:
            target = parse_target(cells["年度指标值"])
        except TargetError as err:
            reader.error("绩效目标", number, "年度指标值", str(err))
            target = None
        metric = BY_NAME.get(cells["计算口径"])
        if metric is None:
            reader.error("绩效目标", number, "计算口径", f"计算口径「{cells['计算口径']}」不存在，应为：{'、'.join(BY_NAME)}")
        elif metric.kind.needs_budget_line and cells["关联预算明细"] not in line_names:
            reader.error("绩效目标", number, "关联预算明细", f"成本指标须关联预算明细中的一项，实际为「{cells['关联预算明细']}」")
        elif target and (wrong := metric.kind.target_problem(metric.name, target)):
            reader.error("绩效目标", number, "年度指标值", wrong)
        weight = _number(cells["分值"]) if cells["分值"] else None
        if cells["分值"] and weight is None:
            reader.error("绩效目标", number, "分值", f"分值应为数字，实际为「{cells['分值']}」")
        weights.append(weight)
        indicators.append(Indicator(
            seq=len(indicators) + 1, level1=level1, level2=level2, level3=cells["三级指标"],
            target_text=target.text if target else cells["年度指标值"], operator=target and target.operator,
            target_value=target and target.value, unit=target.unit if target else "", word=target and target.word,
            weight=0.0, metric_key=metric.key if metric else "", source=cells["指标来源"],
            budget_line=cells["关联预算明细"] or None if metric and metric.kind.needs_budget_line else None,
        ))
    if not indicators and not reader.problems:
        reader.error("绩效目标", 0, "", "绩效目标表没有指标")
    if indicators and not reader.problems:
        try:
            if all(w is None for w in weights):
                weights = default_weights([i.level1 for i in indicators])
            elif any(w is None for w in weights):
                raise WeightError("分值列要么全部填写，要么全部留空（按默认规则分配）")
            check_weights(weights)
        except WeightError as err:
            reader.error("绩效目标", 0, "分值", str(err))
        else:
            for indicator, weight in zip(indicators, weights):
                indicator.weight = weight
    if reader.problems:
        raise ProjectRejected(reader.problems)
    return Project(**fields), lines, indicators


def create_project(session: Session, data: bytes) -> Project:
    """Store a new project from its performance-table workbook, refusing a name already used."""
    project = add_project(session, *build_project(data))
    session.commit()
    return project


def add_project(session: Session, project: Project, lines: list[BudgetLine], indicators: list[Indicator]) -> Project:
    """Add a built project to the caller's transaction, refusing a name already used."""
    if session.exec(select(Project).where(Project.name == project.name)).first():
        raise ProjectRejected([Problem("P004", f"项目「{project.name}」已存在")])
    session.add(project)
    session.flush()
    for child in (*lines, *indicators):
        child.project_id = project.id
        session.add(child)
    session.flush()
    return project


def find_project(session: Session, ref: str | int | None = None) -> Project:
    """The project with this id or name; without one, the latest project (highest year)."""
    if not inspect(session.get_bind()).has_table(Project.__tablename__):
        raise LookupError(NOT_INITIALISED)
    query = select(Project)
    if ref is not None:
        ref = str(ref)
        query = query.where(Project.id == int(ref)) if ref.isdigit() else query.where(Project.name == ref)
    project = session.exec(query.order_by(Project.year.desc(), Project.id.desc())).first()
    if project is None:
        raise LookupError(f"找不到项目「{ref}」" if ref is not None else NOT_INITIALISED)
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).order_by(Project.year.desc(), Project.id.desc())).all())
