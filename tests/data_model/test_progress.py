"""报送进度: rows per month and sheet, and the monthly sheets' missing months."""

from datetime import date

import pytest

from data_model.importer import import_workbook
from data_model.progress import months_ended, reporting_progress
from tests.data_model.workbooks import good, upload


@pytest.mark.parametrize(
    ("today", "ended"),
    [
        (date(2023, 12, 31), 0),
        (date(2024, 1, 31), 0),
        (date(2024, 2, 1), 1),
        (date(2024, 12, 31), 11),
        (date(2025, 1, 1), 12),
    ],
)
def test_months_of_the_project_year_that_are_over(today, ended):
    assert months_ended(2024, today) == ended


def test_progress_counts_rows_by_their_month_and_shows_missing_monthly_sheets(db, project):
    data = upload(
        支出明细=[
            good("支出明细"),
            good("支出明细", 凭证号="PZ-2", 支付日期=date(2024, 3, 30)),
            good("支出明细", 凭证号="PZ-3", 支付日期=date(2024, 5, 2)),
        ],
        投诉处置=[
            good("投诉处置", 受理日期=date(2024, 1, 5), 办结日期=date(2024, 2, 1))
        ],  # counted where it was received
        平台运维=[good("平台运维", 月份="2024-01"), good("平台运维", 月份="2024-02"), good("平台运维", 月份="2024-04")],
        劳动关系统计=[
            good("劳动关系统计", 月份="2023-01"),
            good("劳动关系统计", 月份="2024-01"),
        ],  # the baseline year is not shown
    )
    import_workbook(db, project, data, file_name="m.xlsx", uploaded_by="staff")
    progress = reporting_progress(db, project, today=date(2024, 6, 15))
    assert progress.year == 2024
    assert {sheet: months for sheet, months in progress.counts.items() if months} == {
        "支出明细": {3: 2, 5: 1},
        "投诉处置": {1: 1},
        "平台运维": {1: 1, 2: 1, 4: 1},
        "劳动关系统计": {1: 1},
    }
    assert progress.missing == {"平台运维": [3, 5], "劳动关系统计": [2, 3, 4, 5]}
