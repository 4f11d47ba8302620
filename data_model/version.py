"""A project's data version: a cheap value that changes whenever anything an evaluation reads changes.

Every change to a project's records, judgments, manual values, weights or settings is written in the
same transaction as its audit entry (data_model.audit), so the project's latest audit entry is that
version: one index lookup, whatever the size of the data. Cached results keyed on it stay valid until
the data changes, across processes (a command-line import included).
"""

from sqlalchemy import func, select
from sqlmodel import Session

from data_model.models import AuditLog


def data_version(session: Session, project_id: int) -> int:
    latest = session.execute(select(func.max(AuditLog.id)).where(AuditLog.project_id == project_id)).scalar()
    return latest or 0
