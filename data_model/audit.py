"""The audit trail: one append-only row per thing a person did."""

from sqlmodel import Session

from data_model.models import AuditLog


def record(session: Session, username: str, action: str, detail: str = "", project_id: int | None = None) -> None:
    """Add an entry to the caller's transaction; it is committed (or rolled back) with the change it logs."""
    session.add(AuditLog(username=username, action=action, detail=detail, project_id=project_id))
