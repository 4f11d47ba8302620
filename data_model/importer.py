"""Importing an upload workbook in two steps.

`plan_import` reads and validates the workbook, compares every row with the stored one and checks
the period locks, writing nothing: it is the preview. `import_workbook` plans again and applies the
plan in one transaction, or raises and writes nothing.

A row whose natural key is already stored replaces that row (the old values are kept in
ReplacedRecord so the batch can be undone); an identical row is left untouched.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, tuple_, update
from sqlmodel import Session, select

from data_model import audit, worker
from data_model.db import all_or_nothing, bulk_insert
from data_model.locks import locked_months, locked_touch
from data_model.models import BudgetLine, Indicator, Project, ReplacedRecord, UploadBatch
from data_model.problems import CATALOGUE, Problem, WorkbookRejected, problem
from data_model.sheets import MANUAL_METRICS, SHEETS_BY_NAME, Kind, Sheet
from data_model.validation import Context, ManualIndicator, check_workbook, limited

LOCKED = "E401"  # the row would change a locked month
# The reading worker (data_model.worker) failed: no workbook that passes data_model.xlsx's checks should do this.
WORKER_FAILED = {
    True: ("E501", CATALOGUE["E501"].format(seconds=worker.SECONDS)),
    False: ("E502", CATALOGUE["E502"]),
}


@dataclass
class SheetCounts:
    new: int = 0
    replaced: int = 0
    unchanged: int = 0


@dataclass
class SheetPlan:
    """What importing one sheet would do."""

    schema: Sheet
    new: list[dict] = field(default_factory=list)  # rows to insert
    replaced: list[tuple[dict, dict]] = field(default_factory=list)  # (stored row, workbook row) pairs
    unchanged: int = 0

    @property
    def counts(self) -> SheetCounts:
        return SheetCounts(len(self.new), len(self.replaced), self.unchanged)


@dataclass
class ImportPlan:
    """The preview of an import: nothing is written while making it."""

    content_hash: str
    sheets: dict[str, SheetPlan] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    same_as: UploadBatch | None = None  # a batch, not undone, that imported an identical file

    @property
    def counts(self) -> dict[str, SheetCounts]:
        return {name: sheet.counts for name, sheet in self.sheets.items()}


@dataclass
class ImportResult:
    batch: UploadBatch | None  # None when the same file was imported before
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    same_as: UploadBatch | None = None  # the earlier batch of an identical file


def counts_text(counts: dict[str, SheetCounts]) -> str:
    """工作表 新增 n 条、更新 n 条、未变 n 条, for every sheet that had rows."""
    return "；".join(
        f"{sheet} 新增 {c.new} 条、更新 {c.replaced} 条、未变 {c.unchanged} 条"
        for sheet, c in counts.items()
        if c.new or c.replaced or c.unchanged
    )


def context_for(session: Session, project: Project) -> Context:
    lines = session.exec(select(BudgetLine.name).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq))
    manual = session.exec(
        select(Indicator)
        .where(Indicator.project_id == project.id, Indicator.metric_key.in_(MANUAL_METRICS))
        .order_by(Indicator.seq)
    )
    indicators = tuple(ManualIndicator(i.id, i.seq, i.level3, i.unit == "%") for i in manual)
    return Context(year=project.year, budget_lines=tuple(lines), indicators=indicators)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(schema: Sheet, row: dict) -> str:
    """A stored row's sheet columns, signature and batch as JSON, kept so that an undo can put it back."""
    kept = {f: row[f] for f in [*(c.field for c in schema.columns), *(schema.signed or ()), "batch_id"]}
    return json.dumps(kept, default=str, ensure_ascii=False)


def restored(schema: Sheet, text: str) -> dict:
    """The values a snapshot holds, with its dates as dates again."""
    values = json.loads(text)
    for column in schema.columns:
        if column.kind in (Kind.DATE, Kind.MONTH) and values[column.field]:
            values[column.field] = date.fromisoformat(values[column.field])
    if schema.signed:
        at = schema.signed[1]
        values[at] = datetime.fromisoformat(values[at])
    return values


def imported_before(session: Session, project: Project, digest: str) -> UploadBatch | None:
    """The first batch, not undone, that imported a file with these contents into the project."""
    return session.exec(
        select(UploadBatch)
        .where(
            UploadBatch.project_id == project.id, UploadBatch.content_hash == digest, UploadBatch.undone_at.is_(None)
        )
        .order_by(UploadBatch.id)
    ).first()


def plan_import(session: Session, project: Project, data: bytes, *, isolated: bool = False) -> ImportPlan:
    """Validate `data` and work out what importing it into `project` would do; writes nothing. `isolated` reads
    the file in a capped child process (data_model.worker), as the upload page and the command line do, so that
    no file can take the calling process down or hold it longer than worker.SECONDS; it costs sending the
    records back (about 0.4 s for 100,000 rows)."""
    digest = content_hash(data)
    earlier = imported_before(session, project, digest)
    if earlier is not None:
        return ImportPlan(digest, same_as=earlier)
    ctx = context_for(session, project)
    try:
        validated = worker.capped(check_workbook, data, ctx) if isolated else check_workbook(data, ctx)
    except worker.WorkerFailed as failed:
        return ImportPlan(digest, errors=[Problem(*WORKER_FAILED[failed.timed_out])])
    plan = ImportPlan(digest, errors=validated.errors, warnings=validated.warnings)
    if plan.errors:
        return plan
    locks = locked_months(session, project.id)
    for name, rows in validated.records.items():
        schema = SHEETS_BY_NAME[name]
        sheet = plan.sheets[name] = _compare(session, schema, project.id, rows)
        refused = []
        changes = (
            [*((None, row) for row in sheet.new), *sheet.replaced] if locks else []
        )  # no locked month, nothing to check
        for before, row in changes:
            touch = locked_touch(locks, schema, row, before)
            if touch is not None:
                excel_row = validated.rows[name][tuple(row[f] for f in schema.key_fields)]
                refused.append(problem(LOCKED, name, excel_row, touch.column.header, touch=touch.text()))
        plan.errors += sorted(refused, key=lambda p: p.row)
    plan.errors = limited(plan.errors)
    return plan


def import_workbook(
    session: Session, project: Project, data: bytes, *, file_name: str, uploaded_by: str, isolated: bool = False
) -> ImportResult:
    """Validate and import one workbook for `project` (read as plan_import reads it); raises WorkbookRejected listing
    every error."""
    plan = plan_import(session, project, data, isolated=isolated)
    if plan.same_as is None:
        with all_or_nothing(session):
            _take_turn(session, project)
            plan.same_as = imported_before(session, project, plan.content_hash)  # while we were planning
            if plan.same_as is None:
                return apply_plan(session, project, plan, file_name=file_name, uploaded_by=uploaded_by)
    return ImportResult(batch=None, same_as=plan.same_as)


def _take_turn(session: Session, project: Project) -> None:
    """Hold the project row's write lock until the transaction ends, so that imports into one project take turns:
    PostgreSQL locks the row, SQLite (one writer at a time) its whole database. A no-op update takes it on both."""
    session.execute(update(Project).where(Project.id == project.id).values(id=Project.id))


def apply_plan(
    session: Session, project: Project, plan: ImportPlan, *, file_name: str, uploaded_by: str
) -> ImportResult:
    """Write a plan as a new batch with its audit entry, in the caller's transaction (which commits it)."""
    if plan.errors:
        raise WorkbookRejected(plan.errors)
    counts = plan.counts
    batch = UploadBatch(
        project_id=project.id,
        uploaded_by=uploaded_by,
        file_name=file_name,
        content_hash=plan.content_hash,
        row_counts=json.dumps({name: vars(c) for name, c in counts.items()}, ensure_ascii=False),
    )
    session.add(batch)
    session.flush()
    for sheet in plan.sheets.values():
        _write(session, sheet, project.id, batch)
    summary = counts_text(counts) or "没有数据行"
    audit.record(session, uploaded_by, "upload", f"导入「{file_name}」为第 {batch.id} 批：{summary}", project.id)
    return ImportResult(batch=batch, counts=counts, warnings=plan.warnings)


KEYS_PER_QUERY = 1000


def _stored(session: Session, schema: Sheet, project_id: int, keys: list[tuple]) -> dict[tuple, dict]:
    """The project's stored rows by natural key, at least those having these keys. Whichever is fewer is
    read: every row of the project (one query), or the rows of these keys through the key's unique index;
    so a monthly upload reads a few rows however many the project holds, and a first one reads none."""
    table = schema.model.__table__
    mine = table.c.project_id == project_id
    if session.execute(select(func.count()).where(mine)).scalar_one() <= len(keys):
        queries = [table.select().where(mine)]
    else:
        columns = [table.c[f] for f in schema.key_fields]
        key = columns[0] if len(columns) == 1 else tuple_(*columns)
        wanted = [k[0] for k in keys] if len(columns) == 1 else keys
        queries = [
            table.select().where(mine, key.in_(wanted[i : i + KEYS_PER_QUERY]))
            for i in range(0, len(wanted), KEYS_PER_QUERY)
        ]
    return {
        tuple(r[f] for f in schema.key_fields): dict(r) for query in queries for r in session.execute(query).mappings()
    }


def _compare(session: Session, schema: Sheet, project_id: int, rows: list[dict]) -> SheetPlan:
    fields = [c.field for c in schema.columns]
    keys = [tuple(row[f] for f in schema.key_fields) for row in rows]
    stored = _stored(session, schema, project_id, keys)
    plan = SheetPlan(schema)
    for key, row in zip(keys, rows):
        old = stored.get(key)
        if old is None:
            plan.new.append(row)
        elif any(old[f] != row[f] for f in fields):
            plan.replaced.append((old, row))
        else:
            plan.unchanged += 1
    return plan


def _write(session: Session, plan: SheetPlan, project_id: int, batch: UploadBatch) -> None:
    schema, batch_id = plan.schema, batch.id
    signature = dict(zip(schema.signed, (batch.uploaded_by, batch.uploaded_at))) if schema.signed else {}
    bulk_insert(
        session.connection(),
        schema.model.__table__,
        [{**row, **signature, "project_id": project_id, "batch_id": batch_id} for row in plan.new],
    )
    if plan.replaced:
        session.execute(
            update(schema.model),
            [{**row, **signature, "id": old["id"], "batch_id": batch_id} for old, row in plan.replaced],
        )
        bulk_insert(
            session.connection(),
            ReplacedRecord.__table__,
            [
                {"batch_id": batch_id, "sheet": schema.name, "record_id": old["id"], "previous": snapshot(schema, old)}
                for old, _ in plan.replaced
            ],
        )
