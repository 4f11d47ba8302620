"""报送进度: for each month of the project year and each sheet, how many rows are dated in it.

A row counts in the month of its sheet's first period column (data_model.sheets: Sheet.period). A
sheet due every month (Sheet.monthly) shows a month that has ended without a row as missing.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func
from sqlmodel import Session, select

from data_model.models import Project
from data_model.sheets import SHEETS


@dataclass(frozen=True)
class Progress:
    year: int
    counts: dict[str, dict[int, int]]  # sheet -> month (1–12) -> rows dated in it; months without rows left out
    missing: dict[str, list[int]]  # monthly sheet -> months that have ended without a row


def months_ended(year: int, today: date) -> int:
    """How many months of `year` are over on `today`."""
    return 12 if today.year > year else today.month - 1 if today.year == year else 0


def reporting_progress(session: Session, project: Project, today: date) -> Progress:
    year = project.year
    counts = {}
    for schema in SHEETS:
        dated = getattr(schema.model, schema.period[0].field)
        month = extract("month", dated)
        rows = session.exec(
            select(month, func.count())
            .where(schema.model.project_id == project.id, dated >= date(year, 1, 1), dated <= date(year, 12, 31))
            .group_by(month)
        )
        counts[schema.name] = {int(m): n for m, n in rows}
    ended = months_ended(year, today)
    missing = {s.name: [m for m in range(1, ended + 1) if m not in counts[s.name]] for s in SHEETS if s.monthly}
    return Progress(year, counts, missing)
