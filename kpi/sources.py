"""The records behind each indicator's number, as each kpi.metrics.Metric names them, and breakdowns over them.

A Source names an upload sheet (its model and Chinese headers come from data_model.sheets), the date
column the as-of date applies to and the metric's extra conditions, so the rows listed under a number
are exactly the rows its metric counted. Breakdowns are GROUP BY queries; rows are loaded only when
listed, each with the upload batch that last wrote it (who, when, which file).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select
from sqlmodel import Session

from data_model.audit import local_time
from data_model.auth import display_names, named
from data_model.models import ManualValue, UploadBatch
from data_model.sheets import SHEETS_BY_NAME, Kind, Sheet
from kpi.formatting import quantity
from kpi.queries import Scope

BATCH_HEADERS = ("上传批次", "上传人", "上传时间", "文件名")
MANUAL = "人工填报"  # the "sheet" of a manually reported indicator's monthly values
SHOWN_AT_MOST = 1000  # rows listed under a number; the count says how many there are in all


def _everything(_scope: Scope) -> list:
    return []


@dataclass(frozen=True)
class Source:
    title: str  # what the rows are, in Chinese
    sheet: str  # the upload sheet the rows came from
    date_field: str  # the as-of date applies to it, and a chosen month narrows on it
    unit: str  # what a breakdown counts: one row is one 场 / 件 / 份, or the unit of `total`
    where: Callable[[Scope], list] = _everything  # the metric's extra conditions
    breakdowns: tuple[str, ...] = ()  # headers of the sheet to group by
    total: str | None = None  # a breakdown sums this field; otherwise it counts rows

    @property
    def schema(self) -> Sheet:
        return SHEETS_BY_NAME[self.sheet]

    def column(self, header: str):
        return getattr(self.schema.model, self.schema.by_header[header].field)

    def conditions(self, scope: Scope, month: int | None = None, category: tuple[str, str, str] | None = None) -> list:
        """The metric's rows as of the scope's date; narrowed to a month, and to a (sheet, header, value)
        of this sheet."""
        model = self.schema.model
        dated = getattr(model, self.date_field)
        where = [model.project_id == scope.project_id, dated <= scope.as_of, *self.where(scope)]
        if month is not None:
            where.append(extract("month", dated) == month)
        if category is not None and category[0] == self.sheet:
            where.append(self.column(category[1]) == category[2])
        return where


def _model(sheet: str):
    return SHEETS_BY_NAME[sheet].model


def _line(scope: Scope) -> list:
    return [] if scope.budget_line is None else [_model("支出明细").budget_line == scope.budget_line]


def _flag(sheet: str, field: str, value) -> Callable[[Scope], list]:
    return lambda _scope: [getattr(_model(sheet), field) == value]


def _from_baseline_year(scope: Scope) -> list:
    return [_model("劳动关系统计").month >= date(scope.year - 1, 1, 1)]


EXPENSES = Source("支出明细", "支出明细", "paid_on", "元", _line, total="amount")
CASES = Source("以案定补案件", "以案定补", "closed_on", "案", breakdowns=("片区", "案件类型", "调解结果"))
EQUIPMENT = Source("装备发放记录", "装备发放", "issued_on", "套", breakdowns=("验收结果",), total="sets")
SITES_DONE = Source("已建成调解阵地", "调解阵地", "completed_on", "家", breakdowns=("阵地类型", "片区"))
SITES_DUE = Source("计划完成日期已到的调解阵地", "调解阵地", "planned_on", "家", breakdowns=("阵地类型", "片区"))
EVENTS = Source("已开展普法活动", "普法活动", "held_on", "场", breakdowns=("片区", "行业", "人群"))
PLATFORM = Source("平台运维月份", "平台运维", "month", "个月")
MAINTAINED = Source("维护完成的月份", "平台运维", "month", "个月", _flag("平台运维", "maintained", True))
COMPLAINTS = Source("有效投诉", "投诉处置", "received_on", "件", _flag("投诉处置", "valid", True), breakdowns=("来源",))
LABOR = Source("劳动关系统计（本年及上年同期）", "劳动关系统计", "month", "个月", _from_baseline_year)
MECHANISMS = Source("已印发的长效机制", "长效机制", "issued_on", "项")


def survey(respondent: str) -> Source:
    return Source(
        f"{respondent}满意度问卷",
        "满意度调查",
        "surveyed_on",
        "份",
        _flag("满意度调查", "respondent", respondent),
        breakdowns=("评价",),
    )


@dataclass(frozen=True)
class Breakdown:
    sheet: str
    header: str  # 片区, 来源, 评价, …
    unit: str
    items: list[tuple[str, float]]  # category and its count or sum, in the sheet's choice order or largest first


@dataclass(frozen=True)
class Rows:
    title: str
    sheet: str
    columns: list[str]  # the sheet's headers, then BATCH_HEADERS
    rows: list[tuple]  # the first SHOWN_AT_MOST
    total: int  # how many rows there are


def breakdowns(session: Session, sources: tuple[Source, ...], scope: Scope) -> list[Breakdown]:
    """Each source's rows counted (or summed) by each of its breakdown headers: one GROUP BY over all of a
    source's headers together, so the rows are read once however many breakdowns they feed."""
    out = []
    for source in sources:
        if not source.breakdowns:
            continue
        measure = func.sum(getattr(source.schema.model, source.total)) if source.total else func.count()
        columns = [source.column(header) for header in source.breakdowns]
        groups = session.execute(select(*columns, measure).where(*source.conditions(scope)).group_by(*columns)).all()
        for i, header in enumerate(source.breakdowns):
            totals: dict = {}
            for group in groups:
                totals[group[i]] = totals.get(group[i], 0) + group[-1]
            choices = source.schema.by_header[header].choices
            order = (
                [c for c in choices if c in totals]
                if isinstance(choices, tuple) and choices
                else sorted(totals, key=lambda c: (-totals[c], str(c)))
            )
            out.append(
                Breakdown(
                    source.sheet, header, source.unit, [(str(c), float(totals[c])) for c in order if c is not None]
                )
            )
    return out


def _shown(kind: Kind, value):
    if value is None:
        return None
    if kind is Kind.FLAG:
        return "是" if value else "否"
    if kind is Kind.MONTH:
        return f"{value:%Y-%m}"
    if kind is Kind.PERCENT:
        return f"{value:g}%"
    return value


def rows(
    session: Session,
    source: Source,
    scope: Scope,
    month: int | None = None,
    category: tuple[str, str, str] | None = None,
) -> Rows:
    """The source's rows as of the scope's date, optionally only those of `month` or of a (sheet, header, value)."""
    model, columns = source.schema.model, source.schema.columns
    where = source.conditions(scope, month, category)
    total = session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
    order = (getattr(model, source.date_field), model.id)
    # The first rows' ids first: the as-of index covers the date and the conditions, so they are found
    # without reading a whole record of the (possibly hundreds of thousands) rows being ordered.
    first = select(model.id).where(*where).order_by(*order).limit(SHOWN_AT_MOST)
    batch = (UploadBatch.id, UploadBatch.uploaded_by, UploadBatch.uploaded_at, UploadBatch.file_name)
    # Columns, not records: building an ORM object per row cost most of the time of a long list.
    found = session.execute(
        select(*(getattr(model, c.field) for c in columns), *batch)
        .join(UploadBatch, model.batch_id == UploadBatch.id)
        .where(model.id.in_(first))
        .order_by(*order)
    ).all()
    names = display_names(session)
    kinds = [c.kind for c in columns]
    batches: dict[int, tuple] = {}  # each batch's columns, shown once for its many rows
    listed = []
    for *values, batch_id, uploaded_by, uploaded_at, file_name in found:
        if batch_id not in batches:
            batches[batch_id] = (batch_id, named(names, uploaded_by), local_time(uploaded_at), file_name)
        listed.append((*map(_shown, kinds, values), *batches[batch_id]))
    return Rows(source.title, source.sheet, [c.header for c in columns] + list(BATCH_HEADERS), listed, total)


def manual_rows(session: Session, scope: Scope, unit: str, month: int | None = None) -> Rows:
    """A manually reported indicator's monthly values as of the scope's date, each with who entered it and when."""
    where = [ManualValue.indicator_id == scope.indicator_id, ManualValue.month <= scope.as_of]
    if month is not None:
        where.append(extract("month", ManualValue.month) == month)
    found = session.execute(select(ManualValue).where(*where).order_by(ManualValue.month)).scalars()
    names = display_names(session)
    listed = [
        (
            f"{v.month:%Y-%m}",
            quantity(v.value, unit),
            named(names, v.entered_by),
            local_time(v.entered_at),
        )
        for v in found
    ]
    return Rows("各月填报值", MANUAL, ["月份", "填报值", "填报人", "填报时间"], listed, len(listed))  # twelve at most
