"""预算执行 as the leader sees it: each line against its budget and the elapsed share of the year,
its months and vouchers."""

import shutil
from datetime import date

import pytest

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.projects import find_project
from tests.helpers import workbook_bytes
from tests.pages.app import open_as

PLATFORM = "浦锦街道劳资矛盾智慧预警平台项目维护费用"


def test_budget_page_shows_each_line_against_its_budget_and_the_pro_rata_spend(app_url):
    at = open_as("leader", "budget.py")
    assert [(m.label, m.value) for m in at.metric] == [
        ("预算总额", "150,000.00 元"),
        ("已支出", "144,800.00 元"),
        ("预算执行率", "96.53%"),
        ("序时进度", "100.00%"),
    ]
    lines = at.dataframe[0].value
    assert lines[["预算明细", "预算（元）", "已支出（元）", "执行率", "状态"]].values.tolist() == [
        ["社会调解人员“以案定补”工作经费", 20000.0, 19800.0, "99.00%", "🟡 关注"],
        ["工作装备经费", 40000.0, 37500.0, "93.75%", "🟡 关注"],
        ["打造社会化调解阵地", 60000.0, 58500.0, "97.50%", "🟡 关注"],
        ["开展劳动法普法宣讲", 18000.0, 17600.0, "97.78%", "🟡 关注"],
        [PLATFORM, 12000.0, 11400.0, "95.00%", "🟡 关注"],
        ["合计", 150000.0, 144800.0, "96.53%", "🟡 关注"],
    ]


def test_a_line_and_a_month_narrow_the_vouchers(app_url):
    at = open_as("leader", "budget.py")
    assert len(at.dataframe[1].value) == 29  # every payment of the year
    at.selectbox(key="budget_line").set_value("开展劳动法普法宣讲").run()
    assert at.dataframe[1].value["凭证号"].tolist() == [f"PJ2024-{n:03d}" for n in (4, 7, 11, 16, 20, 25, 27)]
    at.button_group(key="budget_month").set_value(4).run()
    vouchers = at.dataframe[1].value
    assert vouchers[["凭证号", "金额", "文件名"]].values.tolist() == [["PJ2024-007", 2600.0, "2024-04.xlsx"]]


def test_mid_year_a_line_behind_its_pro_rata_path_is_flagged(app_url):
    at = open_as("leader", "budget.py")
    at.selectbox(key="as_of_month").set_value(6).run()
    lines = at.dataframe[0].value.set_index("预算明细")
    assert (lines.loc["打造社会化调解阵地", "执行率"], lines.loc["打造社会化调解阵地", "状态"]) == ("32.33%", "🔴 预警")
    assert round(lines.loc["打造社会化调解阵地", "序时应支出（元）"], 2) == 29836.07
    assert lines.loc["工作装备经费", "状态"] == "🟢 正常"


@pytest.fixture
def overspent_url(sample_url, tmp_path, monkeypatch):
    """The sample year plus one more platform payment that takes the line over its 12,000 元."""
    shutil.copy(sample_url.removeprefix("sqlite:///"), tmp_path / "over.db")
    url = f"sqlite:///{tmp_path / 'over.db'}"
    engine = make_engine(url)
    extra = workbook_bytes(
        {
            "支出明细": [
                ["凭证号", "支付日期", "预算明细", "金额", "摘要"],
                ["PJ2024-900", date(2024, 12, 30), PLATFORM, 1500, "平台扩容"],
            ]
        }
    )
    with session(engine) as s:
        import_workbook(s, find_project(s), extra, file_name="追加支出.xlsx", uploaded_by="staff")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_an_overrun_line_is_marked_red_with_the_amount_over(overspent_url):
    at = open_as("leader", "budget.py")
    lines = at.dataframe[0].value.set_index("预算明细")
    assert (lines.loc[PLATFORM, "已支出（元）"], lines.loc[PLATFORM, "执行率"], lines.loc[PLATFORM, "状态"]) == (
        12900.0,
        "107.50%",
        "🔴 超支 900.00 元",
    )
