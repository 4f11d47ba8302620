"""绩效运行监控表.xlsx, opened as the finance bureau would open it, and `python -m kpi monitor`."""

import io
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook

from data_model.db import ROOT, make_engine, session
from data_model.projects import find_project
from kpi import monitor_entries
from kpi.monitor_form import HEADERS, period, workbook
from tests.formulas import RISKY, formulas

HEADER, FIRST, LAST = 7, 8, 27  # the indicator table's header row, its first and last indicator rows
LIKELIHOODS = {"确定能", "有可能", "不可能"}


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def form_as_of(url: str, as_of: date) -> monitor_entries.MonitorForm:
    engine = make_engine(url)
    with session(engine) as s:
        form = monitor_entries.load(s, find_project(s), as_of)
    engine.dispose()
    return form


@pytest.fixture(scope="module")
def midyear(sample_url):
    return sheet(workbook(form_as_of(sample_url, date(2024, 6, 30))))


def test_every_indicator_has_a_likelihood_and_a_year_end_forecast(midyear):
    assert [c.value for c in midyear[HEADER]] == list(HEADERS)
    rows = list(midyear.iter_rows(min_row=FIRST, max_row=LAST, values_only=True))
    assert len(rows) == 20
    assert {row[6] for row in rows} <= LIKELIHOODS and all(row[6] for row in rows)
    forecasts = {row[2]: row[5] for row in rows}
    assert forecasts["调解队伍装备保障数"] == "30 套"  # 15 sets by 30 June, at that pace (30.16): whole sets
    assert forecasts["调解阵地建设完成数"] == "3 家"  # by the sites' plan
    assert forecasts["劳动者满意度"] == "88.00%"
    assert forecasts["长效管理机制健全有效性"] == "定性评定"
    assert (
        sum(
            f.endswith(("套", "家", "场", "案件", "%", "元/人/案", "元/人/套", "元/家", "元/场", "元/月", "件"))
            for f in forecasts.values()
        )
        == 19
    )


def test_the_header_states_the_period_and_the_funding_in_wan_yuan(midyear):
    assert midyear["A1"].value == "项目支出绩效运行监控表（2024年1—6月）"
    assert (midyear["A2"].value, midyear["I2"].value) == ("统计截至：2024年6月30日", "金额单位：万元")
    assert [midyear[f"{c}5"].value for c in "CEFGHI"] == [
        "年初预算数",
        "截至统计日执行数",
        "执行率",
        "全年预计执行数",
        "序时进度",
        "执行状态",
    ]
    planned, spent, rate, forecast = (midyear[f"{c}6"].value for c in "CEFG")
    assert (planned, spent) == (15.0, pytest.approx(7.956))
    assert rate == pytest.approx(7.956 / 15) and forecast == pytest.approx(7.956 / (182 / 366))
    assert [midyear[f"{c}6"].number_format for c in "CEFG"] == ["#,##0.00", "#,##0.00", "0.00%", "#,##0.00"]


def test_the_footer_explains_the_rule_and_leaves_the_signature_blank_until_an_entry(midyear):
    assert midyear["A28"].value.startswith(
        "说明：完成目标可能性按全年预计完成值提出，达到年度指标值为确定能，差距在 10% 以内"
    )
    assert (midyear["A29"].value, midyear["E29"].value) == ("填报人：", "填报日期：")


def test_it_prints_on_a4_landscape_fitted_to_the_width(midyear):
    assert midyear.page_setup.orientation == "landscape"
    assert midyear.sheet_properties.pageSetUpPr.fitToPage and midyear.page_setup.fitToWidth == 1
    assert midyear.print_title_rows == f"${HEADER}:${HEADER}"  # the table header on every page
    assert midyear.print_area == "'绩效运行监控表'!$A$1:$I$29"


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        (date(2024, 6, 30), "1—6月"),
        (date(2024, 7, 31), "1—7月"),
        (date(2024, 2, 29), "1—2月"),
        (date(2024, 7, 15), "1月1日—7月15日"),
    ],
)
def test_the_period_is_named_by_its_months(as_of, months):
    assert period(as_of) == months


def test_the_evaluators_words_are_written_as_text_never_as_formulas(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        for seq, text in enumerate(RISKY, start=1):
            monitor_entries.save(
                s,
                project,
                seq,
                as_of=date(2024, 6, 30),
                likelihood="unlikely",
                reason=text,
                cause_text=text,
                suggestion=text,
                by="evaluator",
            )
        data = workbook(monitor_entries.load(s, project, date(2024, 6, 30)))
    engine.dispose()
    written = sheet(data)
    assert formulas(data) == []
    assert [written[f"I{FIRST + i}"].value for i in range(len(RISKY))] == [text.strip() for text in RISKY]
    assert written["G8"].value == f"不可能\n（按预计为确定能；调整理由：{RISKY[0]}）"
    assert written["A29"].value == "填报人：演示评价人员"


def test_monitor_command_writes_the_form(sample_url, tmp_path):
    out = tmp_path / "绩效运行监控表.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "kpi", "monitor", "--db", sample_url, "--as-of", "2024-07-31", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已导出：{out}（项目支出绩效运行监控表（2024年1—7月），统计截至 2024-07-31）"
    assert sheet(out.read_bytes())["A1"].value == "项目支出绩效运行监控表（2024年1—7月）"


def test_monitor_command_refuses_a_date_outside_the_project_year(sample_url, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpi",
            "monitor",
            "--db",
            sample_url,
            "--as-of",
            "2025-06-30",
            "--out",
            str(tmp_path / "x.xlsx"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "统计日期 2025-06-30 不在项目「2024年浦锦街道劳动关系项目」的年度内，请填写 2024-01-01 至 2024-12-31 之间的日期"
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_a_page_end_falls_between_second_level_groups_and_each_page_names_its_first_level(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        monitor_entries.save(
            s, project, 9, as_of=date(2024, 6, 30), likelihood="possible", reason="接口已联调，" * 6, by="evaluator"
        )
        data = workbook(monitor_entries.load(s, project, date(2024, 6, 30)))
    engine.dispose()
    written = sheet(data)
    breaks = [b.id for b in written.row_breaks.brk]
    assert breaks  # the form takes two pages
    merged = [m for m in written.merged_cells.ranges if m.min_col in (1, 2) and m.min_row >= FIRST]
    assert not [(str(m), b) for m in merged for b in breaks if m.min_row <= b < m.max_row]  # no merged cell cut
    after = breaks[0] + 1
    assert written[f"A{after}"].value and written[f"B{after}"].value  # the next page names its 一级 and 二级
