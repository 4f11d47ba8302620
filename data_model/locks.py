"""Period locks (期间锁定): an admin closes months; nothing may then change the data of a closed month.

A row belongs to the months of its period dates (data_model.sheets: Sheet.period). Writing a row
touches the months of the period dates it brings and, when it replaces a stored row, of those it
takes away: a changed date moves the row out of one month and into another, and any other changed
value alters the figures of every month the row sits in. Closing an open complaint in February
therefore touches February only, even when it was received in a locked January.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from data_model import audit
from data_model.models import PeriodLock, Project, utcnow
from data_model.sheets import Column, Kind, Sheet


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


@dataclass(frozen=True)
class Touch:
    """A locked month a change would alter, and the date that places the row in it."""

    month: date
    column: Column
    value: date

    def text(self) -> str:
        shown = f"{self.value:%Y-%m}" if self.column.kind is Kind.MONTH else f"{self.value:%Y-%m-%d}"
        return f"已锁定的{month_label(self.month)}（「{self.column.header}」为 {shown}）"


def locked_months(session: Session, project_id: int) -> dict[date, PeriodLock]:
    rows = session.exec(select(PeriodLock).where(PeriodLock.project_id == project_id).order_by(PeriodLock.month))
    return {lock.month: lock for lock in rows}


def touched_months(schema: Sheet, row: Mapping, before: Mapping | None = None) -> list[tuple[date, Column, date]]:
    """(month, date column, date) for each month that writing `row` over `before` (None: a new row) alters."""
    others_changed = before is None or any(before[c.field] != row[c.field] for c in schema.columns if not c.period)
    touched = {}
    for column in schema.period:
        old, new = (before or {}).get(column.field), row[column.field]
        if others_changed or old != new:
            for value in (new, old):
                if value:
                    touched.setdefault(first_of_month(value), (column, value))
    return [(month, column, value) for month, (column, value) in touched.items()]


def locked_touch(
    locks: Mapping[date, PeriodLock], schema: Sheet, row: Mapping, before: Mapping | None = None
) -> Touch | None:
    """The first locked month the change alters, or None when it may be written."""
    for month, column, value in touched_months(schema, row, before):
        if month in locks:
            return Touch(month, column, value)
    return None


def set_locks(
    session: Session, project: Project, months: list[date], *, username: str
) -> tuple[list[date], list[date]]:
    """Make exactly `months` (first days) the project's locked months; returns (locked, unlocked) in one transaction."""
    wanted = {first_of_month(m) for m in months}
    current = locked_months(session, project.id)
    added, removed = sorted(wanted - current.keys()), sorted(current.keys() - wanted)
    for month in added:
        session.add(PeriodLock(project_id=project.id, month=month, locked_by=username, locked_at=utcnow()))
    for month in removed:
        session.delete(current[month])
    if added:
        audit.record(session, username, "lock", "锁定 " + "、".join(map(month_label, added)), project.id)
    if removed:
        audit.record(session, username, "unlock", "解锁 " + "、".join(map(month_label, removed)), project.id)
    session.commit()
    return added, removed
