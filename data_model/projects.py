"""Projects: reading a performance table (绩效目标表) workbook, adding a project, and finding one by id or name.

The workbook's three sheets, 项目信息, 预算明细 and 绩效目标, are declared in data_model.sheets and read by
data_model.validation.table_rows.
"""

import io
from collections.abc import Iterator
from functools import cached_property

from openpyxl import load_workbook
from sqlalchemy import inspect
from sqlmodel import Session, select

from data_model.models import BudgetLine, Indicator, Project
from data_model.problems import Problem, WorkbookRejected, problem
from data_model.sheets import AMOUNTS, BUDGET, CURRENT_FUNDS, FUNDS, INFO_FIELDS, PROJECT_INFO, TARGETS, Table
from data_model.targets import Target, TargetError, parse_written
from data_model.validation import CellError, read_workbook, table_rows

NOT_INITIALISED = "数据库中还没有项目，请先运行 python -m data_model init"


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


class PerformanceTable:
    """A performance-table workbook as read, with every problem found so far; binding each 计算口径 to a metric
    and checking the weights is kpi.projects' part."""

    def __init__(self, data: bytes):
        self.data = data
        self.current_funds = ""  # 当年财政拨款 as 项目信息 writes it ("" when left out), checked by check_funds
        self.problems: list[Problem] = []
        self.faulty: set[tuple[str, int, str]] = set()  # (sheet, row, column) of the cells refused as they are
        try:
            self.sheets = read_workbook(data)
        except CellError as err:  # not a workbook, or one that cannot be read safely (data_model.xlsx)
            raise WorkbookRejected([problem(err.code, **err.values)]) from None

    def table(self, table: Table) -> list[tuple[int, dict]]:
        """The sheet's rows that hold something, each cell as trimmed text ("" for a column left out)."""
        rows = self.sheets.get(table.name)
        if not rows:
            self.problems.append(problem("P001", table.name, sheet=table.name))
            return []
        missing, found = table_rows(table, rows)
        self.problems.extend(problem("P002", table.name, 1, header, column=header) for header in missing)
        return [(number, {h: self._text(table, number, h, raw) for h, raw in cells.items()}) for number, cells in found]

    def _text(self, table: Table, number: int, header: str, raw) -> str:
        if isinstance(raw, CellError):  # an error value, or a formula saved without its result: nothing to read
            self.problems.append(problem(raw.code, table.name, number, header, **raw.values))
            self.faulty.add((table.name, number, header))
            return ""
        if header == "年度指标值" and isinstance(raw, int | float) and not isinstance(raw, bool):
            return self._as_seen(table, number, header, raw)
        return "" if raw is None else str(raw).strip()

    def _as_seen(self, table: Table, number: int, header: str, value: float) -> str:
        """A number cell as Excel shows it: a percentage format (a typed 100%, or a formula =100% whose saved value
        is 1) reads 100%, any other 43.2 or 20, never 1.0."""
        column = self.sheets[table.name][0].index(header) + 1
        [[cell]] = self._formats[table.name].iter_rows(min_row=number, max_row=number, min_col=column, max_col=column)
        return f"{value * 100:.10g}%" if "%" in (cell.number_format or "") else f"{value:.10g}"

    @cached_property
    def _formats(self):
        """The workbook as openpyxl reads it, for the cells' number formats, which calamine does not read."""
        return load_workbook(io.BytesIO(self.data), read_only=True)

    def error(self, sheet: str, row: int, column: str, entry: str, **values) -> None:
        """A problem with the table's content (the catalogue's P003 entries); a cell refused as it is has one."""
        if (sheet, row, column) not in self.faulty:
            self.problems.append(problem(entry, sheet, row, column, **values))

    def fields(self) -> dict:
        """项目信息 as Project's fields."""
        info = {cells["字段"]: cells["内容"] for _, cells in self.table(PROJECT_INFO)}
        fields = {attr: info.get(label, "") for label, attr in INFO_FIELDS.items()}
        self.current_funds = info.get(CURRENT_FUNDS, "")
        for label in ("项目名称", "项目年度"):
            if not info.get(label):
                self.error(PROJECT_INFO.name, 0, "内容", "P003.info", label=label)
        weight = _number(fields["budget_weight"] or "10")
        if weight is None or not 0 <= weight <= 100:
            self.error(PROJECT_INFO.name, 0, "内容", "P003.budget_weight", raw=fields["budget_weight"])
        fields["budget_weight"] = weight if weight is not None else 10.0
        year = _number(fields["year"] or "x")
        if fields["year"] and (year is None or not year.is_integer()):
            self.error(PROJECT_INFO.name, 0, "内容", "P003.year", raw=fields["year"])
        fields["year"] = int(year) if year and year.is_integer() else 0
        labels = {attr: label for label, attr in INFO_FIELDS.items()}
        for attr in FUNDS:
            amount = _number(fields[attr] or "0")
            if amount is None or amount < 0:
                self.error(PROJECT_INFO.name, 0, "内容", "P003.funds", label=labels[attr], raw=fields[attr])
            fields[attr] = amount if amount and amount > 0 else 0.0
        return fields

    def check_funds(self, fields: dict, lines: list[BudgetLine]) -> None:
        """上年结转资金 and 其他资金 are parts of the budget: together no more than its lines add up to."""
        funds, budget = sum(fields[attr] for attr in FUNDS), sum(line.amount for line in lines)
        if funds > budget + 0.005:
            self.error(PROJECT_INFO.name, 0, "内容", "P003.funds_total", funds=f"{funds:,.2f}", budget=f"{budget:,.2f}")
        if not self.current_funds:
            return
        current = _number(self.current_funds)
        if current is None or current < 0:
            self.error(PROJECT_INFO.name, 0, "内容", "P003.funds", label=CURRENT_FUNDS, raw=self.current_funds)
        elif abs(current + funds - budget) > 0.005:
            self.error(
                PROJECT_INFO.name,
                0,
                "内容",
                "P003.current_funds",
                current=f"{current:,.2f}",
                others=f"{funds:,.2f}",
                funds=f"{current + funds:,.2f}",
                budget=f"{budget:,.2f}",
            )

    def budget_lines(self) -> list[BudgetLine]:
        lines = []
        for number, cells in self.table(BUDGET):
            written = {h: cells[h] for h in AMOUNTS if cells[h]}
            amounts = {h: _number(raw) for h, raw in written.items()}
            for header, amount in amounts.items():
                if amount is None or amount <= 0:
                    self.error(BUDGET.name, number, header, "P003.amount", raw=written[header])
            if not written:
                self.error(BUDGET.name, number, "金额", "P003.amounts")
            if not cells["项目内容"]:
                self.error(BUDGET.name, number, "项目内容", "P003.line")
            amount = next(iter(amounts.values()), None) or 0.0  # 调整后预算数, else 金额, else 年初预算数
            initial = amounts.get("年初预算数")
            lines.append(
                BudgetLine(
                    seq=len(lines) + 1,
                    category=cells["项目明细"],
                    name=cells["项目内容"],
                    amount=amount,
                    initial_amount=initial if initial and abs(initial - amount) > 0.005 else None,
                )
            )
        return lines

    def indicator_rows(self) -> Iterator[tuple[int, dict]]:
        """绩效目标's rows, a blank 一级/二级 cell holding the one above."""
        level1, level2 = "", ""
        for number, cells in self.table(TARGETS):
            level1, level2 = cells["一级指标"] or level1, cells["二级指标"] or level2
            yield number, cells | {"一级指标": level1, "二级指标": level2}

    def target(self, number: int, cells: dict) -> Target | None:
        try:
            return parse_written(cells["年度指标值"], cells["一级指标"])
        except TargetError as err:
            self.error(TARGETS.name, number, "年度指标值", "P003.refused", reason=err)
            return None

    def weight(self, number: int, cells: dict) -> float | None:
        """The 分值 written, or None for a blank cell (the default split)."""
        weight = _number(cells["分值"]) if cells["分值"] else None
        if cells["分值"] and weight is None:
            self.error(TARGETS.name, number, "分值", "P003.weight", raw=cells["分值"])
        return weight


def add_project(session: Session, project: Project, lines: list[BudgetLine], indicators: list[Indicator]) -> Project:
    """Add a built project to the caller's transaction, refusing a name already used."""
    if session.exec(select(Project).where(Project.name == project.name)).first():
        raise WorkbookRejected([problem("P004", name=project.name)])
    session.add(project)
    session.flush()
    for child in (*lines, *indicators):
        child.project_id = project.id
        session.add(child)
    session.flush()
    return project


def find_project(session: Session, ref: str | int | None = None) -> Project:
    """The project with this id or name; without one, the only project of the latest year. When that year has
    several, none is guessed: LookupError lists them to choose from."""
    if not inspect(session.get_bind()).has_table(Project.__tablename__):
        raise LookupError(NOT_INITIALISED)
    if ref is None:
        latest = list_projects(session)
        if not latest:
            raise LookupError(NOT_INITIALISED)
        latest = [p for p in latest if p.year == latest[0].year]
        if len(latest) > 1:
            choices = "；".join(f"{p.id}「{p.name}」" for p in sorted(latest, key=lambda p: p.id))
            raise LookupError(f"{latest[0].year} 年度有 {len(latest)} 个项目，请用 --project 指定编号或名称：{choices}")
        return latest[0]
    ref = str(ref)
    query = select(Project).where(Project.id == int(ref) if ref.isdigit() else Project.name == ref)
    project = session.exec(query).first()
    if project is None:
        raise LookupError(f"找不到项目「{ref}」")
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).order_by(Project.year.desc(), Project.id.desc())).all())
