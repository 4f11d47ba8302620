"""A re-upload is compared against the stored rows the same way whether the project holds fewer rows than
the upload (all of them are read) or many more (only those of the upload's keys are looked up)."""

import pytest
from sqlalchemy import select

from data_model.importer import import_workbook
from data_model.sheets import SHEETS_BY_NAME
from tests.data_model.workbooks import good, upload

# sheet, the header naming a row, the header whose value changes (a one-column key and a two-column one)
SHEETS = [("支出明细", "凭证号", "金额"), ("装备发放", "领用人", "套数")]


@pytest.mark.parametrize(
    "stored_rows", [2, 10], ids=["project-holds-fewer-rows-than-the-upload", "project-holds-more-rows"]
)
@pytest.mark.parametrize(("sheet", "name", "value"), SHEETS, ids=[s[0] for s in SHEETS])
def test_reupload_adds_replaces_and_keeps_rows_by_key(db, project, stored_rows, sheet, name, value):
    def row(n: int, amount: int) -> list:
        return good(sheet, **{name: f"K-{n:03d}", value: amount})

    import_workbook(
        db,
        project,
        upload(**{sheet: [row(n, n) for n in range(1, stored_rows + 1)]}),
        file_name="1.xlsx",
        uploaded_by="staff",
    )
    result = import_workbook(
        db, project, upload(**{sheet: [row(1, 1), row(2, 99), row(900, 5)]}), file_name="2.xlsx", uploaded_by="staff"
    )

    counts = result.counts[sheet]
    assert (counts.new, counts.replaced, counts.unchanged) == (1, 1, 1)
    schema = SHEETS_BY_NAME[sheet]
    stored = dict(
        db.execute(
            select(
                getattr(schema.model, schema.by_header[name].field),
                getattr(schema.model, schema.by_header[value].field),
            )
        ).all()
    )
    assert stored == {**{f"K-{n:03d}": n for n in range(1, stored_rows + 1)}, "K-002": 99, "K-900": 5}
