"""佐证材料: attaching a file to an indicator, listing, reading one back, and removing one, with the rules around them.

Everyone who sees an indicator sees its evidence; staff, evaluators and admins add; only the uploader or an admin
removes, audited, and not while the self-assessment is final. Lists select the metadata columns only: a file's
content is read only to preview or download that one file.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func
from sqlmodel import Session, select

from data_model import audit
from data_model.auth import ROLES
from data_model.models import Evidence, Indicator, Project
from data_model.problems import FileRefused
from data_model.sniff import base_name, sniff

ADDERS = ("staff", "evaluator", "admin")  # the roles that attach files; the command line attaches as its --user
COMMAND_LINE = None  # the role of a change made on the command line, by whoever runs the server


class Item(NamedTuple):
    """One file as lists show it: everything but its content."""

    id: int
    seq: int  # the indicator's 序号
    indicator: str  # 三级指标
    file_name: str
    size: int
    sha256: str
    mime: str
    note: str
    uploaded_by: str
    uploaded_at: datetime
    record_sheet: str | None
    record_key: str | None


COLUMNS = (
    Evidence.id,
    Indicator.seq,
    Indicator.level3,
    Evidence.file_name,
    Evidence.size,
    Evidence.sha256,
    Evidence.mime,
    Evidence.note,
    Evidence.uploaded_by,
    Evidence.uploaded_at,
    Evidence.record_sheet,
    Evidence.record_key,
)


def may_add(role: str | None) -> bool:
    return role is COMMAND_LINE or role in ADDERS


def may_remove(item: Item, username: str, role: str | None) -> bool:
    return role is COMMAND_LINE or role == "admin" or item.uploaded_by == username


def _item(row) -> Item:
    return Item(*row[:9], audit.aware(row[9]), *row[10:])


def listing(session: Session, project_id: int, seq: int | None = None) -> list[Item]:
    """The project's files (of one indicator when `seq` is given), by indicator then upload order."""
    query = select(*COLUMNS).join(Indicator, Indicator.id == Evidence.indicator_id)
    query = query.where(Evidence.project_id == project_id)
    if seq is not None:
        query = query.where(Indicator.seq == seq)
    return [_item(row) for row in session.exec(query.order_by(Indicator.seq, Evidence.id))]


def counts(session: Session, project_id: int) -> dict[int, int]:
    """How many files each indicator has, by 序号; an indicator without any is left out."""
    query = (
        select(Indicator.seq, func.count(Evidence.id))
        .join(Indicator, Indicator.id == Evidence.indicator_id)
        .where(Evidence.project_id == project_id)
        .group_by(Indicator.seq)
    )
    return dict(session.exec(query).all())


def get(session: Session, project_id: int, evidence_id: int) -> Item:
    query = select(*COLUMNS).join(Indicator, Indicator.id == Evidence.indicator_id)
    row = session.exec(query.where(Evidence.project_id == project_id, Evidence.id == evidence_id)).first()
    if row is None:
        raise FileRefused("F016", id=evidence_id)
    return _item(row)


def content(session: Session, project_id: int, evidence_id: int) -> bytes:
    """One file's bytes, for its preview or download."""
    get(session, project_id, evidence_id)
    return session.exec(select(Evidence.content).where(Evidence.id == evidence_id)).one()


def contents(session: Session, project_id: int) -> Iterable[tuple[int, bytes]]:
    """Every file's id and bytes, one at a time (a backup or the --evidence folder streams them)."""
    ids = session.exec(select(Evidence.id).where(Evidence.project_id == project_id).order_by(Evidence.id)).all()
    for evidence_id in ids:
        yield evidence_id, session.exec(select(Evidence.content).where(Evidence.id == evidence_id)).one()


def indicator_of(session: Session, project: Project, seq: int) -> Indicator:
    found = session.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == seq)).first()
    if found is None:
        raise FileRefused("F015", seq=seq)
    return found


class Upload(NamedTuple):
    """A file to attach to the indicator `seq`: as uploaded, or as a backup restores it."""

    seq: int
    name: str  # as the browser or the command line gave it; only its last part is kept
    data: bytes
    by: str
    note: str = ""
    record: tuple[str, str] | None = None  # (upload sheet, the record's key) it documents
    uploaded_at: datetime | None = None  # now, unless a backup states it


def new_file(session: Session, project: Project, upload: Upload) -> Evidence:
    """The file checked (by content, and not already on the indicator) as a row to store; FileRefused otherwise."""
    indicator = indicator_of(session, project, upload.seq)
    name = base_name(upload.name)
    kind = sniff(name, upload.data)
    digest = hashlib.sha256(upload.data).hexdigest()
    same = session.exec(
        select(Evidence.file_name, Evidence.uploaded_by, Evidence.uploaded_at).where(
            Evidence.indicator_id == indicator.id, Evidence.sha256 == digest
        )
    ).first()
    if same is not None:
        existing, who, when = same
        raise FileRefused(
            "F011", indicator=indicator.level3, existing=existing, who=who, when=audit.local_time(audit.aware(when))
        )
    sheet, key = upload.record or (None, None)
    evidence = Evidence(
        project_id=project.id,
        indicator_id=indicator.id,
        record_sheet=sheet,
        record_key=key,
        file_name=name,
        size=len(upload.data),
        sha256=digest,
        mime=kind.mime,
        note=upload.note.strip(),
        uploaded_by=upload.by,
        content=upload.data,
    )
    if upload.uploaded_at is not None:
        evidence.uploaded_at = upload.uploaded_at
    return evidence


def attach(session: Session, project: Project, upload: Upload, *, role: str | None) -> Item:
    """Store a file behind its indicator, audited, in one commit; FileRefused (nothing stored) otherwise."""
    if not may_add(role):
        raise FileRefused("F012", role=ROLES.get(role, role))
    evidence = new_file(session, project, upload)
    session.add(evidence)
    session.flush()
    detail = f"第 {upload.seq} 项指标上传佐证材料「{evidence.file_name}」"
    audit.record(session, upload.by, "evidence_add", detail, project.id)
    session.commit()
    return get(session, project.id, evidence.id)


def remove(session: Session, project: Project, evidence_id: int, *, by: str, role: str | None) -> Item:
    """Delete a file: by its uploader or an admin, not while the self-assessment is final; audited."""
    item = get(session, project.id, evidence_id)
    if not may_remove(item, by, role):
        raise FileRefused("F013", who=item.uploaded_by, existing=item.file_name)
    if session.get(Project, project.id).finalized_at is not None:
        raise FileRefused("F014", existing=item.file_name)
    session.exec(delete(Evidence).where(Evidence.id == evidence_id))  # without loading the content
    audit.record(
        session,
        by,
        "evidence_remove",
        f"删除第 {item.seq} 项指标的佐证材料「{item.file_name}」（{item.uploaded_by} 上传，SHA-256 {item.sha256}）",
        project.id,
    )
    session.commit()
    return item
