"""Importing a validated upload workbook: all of it in one transaction, or nothing.

A row whose natural key is already stored replaces that row (the old values are kept in
ReplacedRecord so the batch can be undone); an identical row is left untouched.
"""

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import insert, update
from sqlmodel import Session, select

from data_model.models import BudgetLine, Project, ReplacedRecord, UploadBatch
from data_model.sheets import SHEETS_BY_NAME, Sheet
from data_model.validation import CellError, Context, Problem, problem, read_workbook, validate


class ImportRejected(Exception):
    """The workbook has errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


@dataclass
class SheetCounts:
    new: int = 0
    replaced: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    batch: UploadBatch | None  # None when the same file was imported before
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    same_as: UploadBatch | None = None  # the earlier batch of an identical file


def context_for(session: Session, project: Project) -> Context:
    lines = session.exec(select(BudgetLine.name).where(BudgetLine.project_id == project.id).order_by(BudgetLine.seq))
    return Context(year=project.year, budget_lines=tuple(lines))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_workbook(session: Session, project: Project, data: bytes, *, file_name: str, uploaded_by: str) -> ImportResult:
    """Validate and import one workbook for `project`; raises ImportRejected listing every error."""
    digest = content_hash(data)
    earlier = session.exec(
        select(UploadBatch).where(UploadBatch.project_id == project.id, UploadBatch.content_hash == digest)
    ).first()
    if earlier is not None:
        return ImportResult(batch=None, same_as=earlier)
    try:
        sheets = read_workbook(data)
    except CellError as err:
        raise ImportRejected([problem(err.code)]) from err
    validated = validate(sheets, context_for(session, project))
    if validated.errors:
        raise ImportRejected(validated.errors)

    batch = UploadBatch(project_id=project.id, uploaded_by=uploaded_by, file_name=file_name, content_hash=digest, row_counts="{}")
    try:
        session.add(batch)
        session.flush()
        counts = {
            name: _upsert(session, SHEETS_BY_NAME[name], project.id, batch.id, rows)
            for name, rows in validated.records.items()
        }
        batch.row_counts = json.dumps({name: vars(c) for name, c in counts.items()}, ensure_ascii=False)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportResult(batch=batch, counts=counts, warnings=validated.warnings)


def _upsert(session: Session, schema: Sheet, project_id: int, batch_id: int, rows: list[dict]) -> SheetCounts:
    table = schema.model.__table__
    fields = [c.field for c in schema.columns]
    stored = {
        tuple(r[f] for f in schema.key_fields): r
        for r in session.execute(table.select().where(table.c.project_id == project_id)).mappings()
    }
    counts, new, changed, previous = SheetCounts(), [], [], []
    for row in rows:
        old = stored.get(tuple(row[f] for f in schema.key_fields))
        if old is None:
            new.append({**row, "project_id": project_id, "batch_id": batch_id})
        elif any(old[f] != row[f] for f in fields):
            changed.append({**row, "id": old["id"], "batch_id": batch_id})
            kept = {f: old[f] for f in [*fields, "batch_id"]}
            previous.append({"batch_id": batch_id, "sheet": schema.name, "record_id": old["id"],
                             "previous": json.dumps(kept, default=str, ensure_ascii=False)})
        else:
            counts.unchanged += 1
    if new:
        session.execute(insert(table), new)
    if changed:
        session.execute(update(schema.model), changed)
        session.execute(insert(ReplacedRecord.__table__), previous)
    counts.new, counts.replaced = len(new), len(changed)
    return counts
