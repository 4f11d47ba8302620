"""上传记录: the batches imported into a project, the rows each wrote, and undoing one.

Undoing a batch puts back every row it replaced, exactly as it was, and deletes every row it
inserted, in one transaction. It is refused when a later batch changed one of those rows (that one
must be undone first), when it would change a locked month, and for a staff member's batch not
their own (only an admin undoes other people's uploads).
"""

import json

from sqlalchemy import delete, update
from sqlmodel import Session, select

from data_model import audit
from data_model.audit import local_time
from data_model.db import all_or_nothing
from data_model.importer import SheetCounts, restored
from data_model.locks import locked_months, locked_touch
from data_model.models import Project, ReplacedRecord, UploadBatch, utcnow
from data_model.problems import UserError
from data_model.sheets import SHEETS, SHEETS_BY_NAME

NEW, REPLACED = "新增", "更新"


class UndoRefused(UserError):
    """The batch cannot be undone; the message says why, in Chinese."""


def describe(batch: UploadBatch) -> str:
    return f"第 {batch.id} 批（「{batch.file_name}」，{batch.uploaded_by} 于 {local_time(batch.uploaded_at)} 导入）"


def already_imported(batch: UploadBatch) -> str:
    return f"该文件已于 {local_time(batch.uploaded_at)} 由 {batch.uploaded_by} 导入（第 {batch.id} 批），未重复导入"


def list_batches(session: Session, project_id: int) -> list[UploadBatch]:
    """Every batch of the project, the latest first."""
    return list(
        session.exec(select(UploadBatch).where(UploadBatch.project_id == project_id).order_by(UploadBatch.id.desc()))
    )


def batch_counts(batch: UploadBatch) -> dict[str, SheetCounts]:
    return {sheet: SheetCounts(**counts) for sheet, counts in json.loads(batch.row_counts).items()}


def batch_rows(session: Session, batch: UploadBatch) -> dict[str, list[dict]]:
    """The rows the batch wrote, sheet by sheet, as the sheet shows them: each marked 新增 or 更新, and
    现状 saying whether it still stands or which later batch has since updated it (then with the values
    this batch wrote, which that batch kept)."""
    replaced = set(
        session.exec(select(ReplacedRecord.sheet, ReplacedRecord.record_id).where(ReplacedRecord.batch_id == batch.id))
    )
    written = {}  # (sheet, record id) -> (the values this batch wrote, 现状)
    for schema in SHEETS:
        table = schema.model.__table__
        for row in session.execute(table.select().where(table.c.batch_id == batch.id)).mappings():
            written[schema.name, row["id"]] = (row, "当前有效")
    for kept, later in _superseded(session, batch):
        written[kept.sheet, kept.record_id] = (
            restored(SHEETS_BY_NAME[kept.sheet], kept.previous),
            f"已被第 {later.id} 批更新",
        )
    out = {}
    for (sheet, record_id), (values, now) in sorted(written.items(), key=lambda item: item[0][1]):
        columns = SHEETS_BY_NAME[sheet].columns
        change = REPLACED if (sheet, record_id) in replaced else NEW
        out.setdefault(sheet, []).append(
            {"变更": change, **{c.header: c.cell(values[c.field]) for c in columns}, "现状": now}
        )
    return {sheet.name: out[sheet.name] for sheet in SHEETS if sheet.name in out}


def undo_refusal(session: Session, batch: UploadBatch, *, username: str, role: str) -> str | None:
    """Why `username` may not undo `batch`, in Chinese, or None; a locked month is found only by undoing."""
    if batch.undone_at is not None:
        return f"第 {batch.id} 批已于 {local_time(batch.undone_at)} 由 {batch.undone_by} 撤销"
    if role != "admin" and batch.uploaded_by != username:
        return f"只能撤销本人上传的批次；第 {batch.id} 批由「{batch.uploaded_by}」上传，如需撤销请联系管理员"
    later = _later_changes(session, batch)
    if later:
        which = "该批次" if len(later) == 1 else "这些批次（从最近的一批开始）"
        return f"不能撤销第 {batch.id} 批：之后的{'、'.join(map(describe, later))}更新了该批写入的记录，请先撤销{which}"
    return None


def undo_batch(
    session: Session, project: Project, batch_id: int, *, username: str, role: str
) -> dict[str, tuple[int, int]]:
    """Undo one batch; returns, per sheet, how many inserted rows were deleted and replaced rows restored."""
    batch = session.get(UploadBatch, batch_id)
    if batch is None or batch.project_id != project.id:
        raise UndoRefused(f"第 {batch_id} 批不存在")
    refusal = undo_refusal(session, batch, username=username, role=role)
    if refusal:
        raise UndoRefused(refusal)

    previous = {
        (r.sheet, r.record_id): r.previous
        for r in session.exec(select(ReplacedRecord).where(ReplacedRecord.batch_id == batch.id))
    }
    locks = locked_months(session, project.id)
    restores, deletes = {}, {}
    for schema in SHEETS:
        table = schema.model.__table__
        for row in session.execute(table.select().where(table.c.batch_id == batch.id).order_by(table.c.id)).mappings():
            before = previous.get((schema.name, row["id"]))
            if before is None:
                touch = locked_touch(locks, schema, row)
                deletes.setdefault(schema.name, []).append(row["id"])
            else:
                values = restored(schema, before)
                touch = locked_touch(locks, schema, values, row)
                restores.setdefault(schema.name, []).append({**values, "id": row["id"]})
            if touch is not None:
                key = "、".join(f"{c.header}「{c.cell(row[c.field])}」" for c in map(schema.by_header.get, schema.key))
                raise UndoRefused(
                    f"不能撤销第 {batch.id} 批：工作表「{schema.name}」{key}的记录涉及{touch.text()}；"
                    "如需撤销，请联系管理员先解锁该月"
                )

    with all_or_nothing(session):
        for sheet, rows in restores.items():
            session.execute(update(SHEETS_BY_NAME[sheet].model), rows)
        for sheet, ids in deletes.items():
            table = SHEETS_BY_NAME[sheet].model.__table__
            session.execute(delete(table).where(table.c.id.in_(ids)))
        session.execute(delete(ReplacedRecord).where(ReplacedRecord.batch_id == batch.id))
        batch.undone_by, batch.undone_at = username, utcnow()
        session.add(batch)
        done = {
            name: (len(deletes.get(name, [])), len(restores.get(name, [])))
            for name in SHEETS_BY_NAME
            if name in deletes | restores
        }
        audit.record(
            session, username, "undo", f"撤销第 {batch.id} 批（「{batch.file_name}」）：{undo_text(done)}", project.id
        )
    return done


def undo_text(done: dict[str, tuple[int, int]]) -> str:
    """工作表 删除新增 n 条、恢复原值 n 条, for every sheet the undo changed."""
    return (
        "；".join(f"{sheet} 删除新增 {deleted} 条、恢复原值 {back} 条" for sheet, (deleted, back) in done.items())
        or "该批没有写入数据"
    )


def _superseded(session: Session, batch: UploadBatch) -> list[tuple[ReplacedRecord, UploadBatch]]:
    """The rows this batch wrote that a later batch replaced, as that batch kept them, with the later batch."""
    pairs = session.exec(
        select(ReplacedRecord, UploadBatch)
        .join(UploadBatch, ReplacedRecord.batch_id == UploadBatch.id)
        .where(UploadBatch.project_id == batch.project_id, UploadBatch.id > batch.id)
    )
    return [(kept, later) for kept, later in pairs if json.loads(kept.previous)["batch_id"] == batch.id]


def _later_changes(session: Session, batch: UploadBatch) -> list[UploadBatch]:
    """The later batches that replaced a row this batch wrote."""
    later = {b.id: b for _, b in _superseded(session, batch)}
    return [later[i] for i in sorted(later)]
