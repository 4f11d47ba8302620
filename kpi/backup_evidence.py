"""The 佐证材料 part of 备份与恢复 (kpi.backup): each file's row in the backup's sheet 佐证材料, and the files back
from the archive, checked like an attached file (by content, and against the SHA-256 the row states)."""

import hashlib
from collections.abc import Iterable

from sqlmodel import Session

from data_model import evidence
from data_model.backup import ExtraReader, Files, moment
from data_model.models import Evidence, Project
from data_model.problems import FileRefused
from data_model.sheets import EVIDENCE


def sheet_rows(session: Session, project: Project) -> Iterable[list]:
    return (
        [
            item.seq,
            item.indicator,
            item.file_name,
            item.size,
            item.sha256,
            item.note,
            item.record_sheet,
            item.record_key,
            item.uploaded_by,
            moment(item.uploaded_at),
        ]
        for item in evidence.listing(session, project.id)
    )


def files_back(session: Session, reader: ExtraReader, project: Project, files: Files) -> list[Evidence]:
    """The files the sheet lists, with their content from the archive; a row whose content is missing or differs
    from its SHA-256, or that a file check refuses, is a problem of its sheet and row."""
    back = []
    for row in reader.rows(EVIDENCE):
        indicator, sha256 = row.indicator(), row.text("SHA-256").lower()
        row.once("SHA-256", indicator.id, sha256, why="同一指标的同一文件只能有一条")
        if indicator.id is None:
            continue  # its 序号 could not be read: the problem is recorded
        data = files(sha256)
        if data is None or hashlib.sha256(data).hexdigest() != sha256:
            reader.problem(row.sheet, row.number_, "SHA-256", "R003", sha256=sha256)
            continue
        sheet, key = row.text("关联工作表"), row.text("关联记录")
        try:
            upload = evidence.Upload(
                indicator.seq,
                row.text("文件名"),
                data,
                row.text("上传人"),
                row.text("说明"),
                (sheet, key) if sheet else None,
                row.moment("上传时间"),
            )
            back.append(evidence.new_file(session, project, upload))
        except FileRefused as err:
            reader.problem(row.sheet, row.number_, "文件名", "R001.refused", reason=err)
    return back
