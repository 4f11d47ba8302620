"""指标详情 as the leader sees it on the sample year: the numbers,
and the records behind them narrowed by month or category."""

import pytest

from tests.pages.app import login


def open_detail(seq: int):
    at = login("leader")
    at.selectbox(key="overview_pick").set_value(seq).run()
    assert not at.exception, at.exception
    return at


def tables(at) -> list:
    """The source-row tables, each with the line above it naming what the rows are."""
    return [(m.value, df.value) for m, df in zip([m for m in at.markdown if "条" in m.value], at.dataframe)]


def test_a_red_indicator_shows_its_actual_and_its_sites_with_planned_and_actual_dates(app_url):
    at = open_detail(14)
    assert [(m.label, m.value) for m in at.metric] == [
        ("年度指标值", "及时"),
        ("实际完成值", "按期比例 66.67%"),
        ("状态", "🔴 预警"),
        ("得分（分值 3.33）", "2.22"),
    ]
    [(title, sites)] = tables(at)
    assert title == "**计划完成日期已到的调解阵地**　3 条"
    assert [(row["阵地名称"], str(row["计划完成日期"]), str(row["实际完成日期"])) for _, row in sites.iterrows()] == [
        ("浦锦街道北片党群服务站调解工作室", "2024-06-30", "2024-06-25"),
        ("浦锦街道南片村居党群服务站调解工作室", "2024-08-31", "2024-07-26"),
        ("浦锦商圈劳动关系调解站", "2024-09-30", "2024-10-22"),
    ]
    assert sites["文件名"].tolist() == ["2024-06.xlsx", "2024-07.xlsx", "2024-10.xlsx"]
    assert set(sites["上传人"]) == {"示例数据"}


def test_picking_a_site_narrows_the_rows_to_it(app_url):
    at = open_detail(14)
    at.selectbox(key="detail_category").set_value("阵地名称：浦锦商圈劳动关系调解站").run()
    [(_, sites)] = tables(at)
    assert sites["阵地名称"].tolist() == ["浦锦商圈劳动关系调解站"]


@pytest.mark.parametrize(
    ("month", "category", "complaints"),
    [
        (12, None, ["TS20240043", "TS20240044", "TS20240046"]),
        (12, "来源：国家欠薪平台", ["TS20240046"]),
        (None, "来源：12345热线", [f"TS202400{n:02d}" for n in (5, 10, 15, 20, 25, 30, 35)]),
    ],
)
def test_a_month_or_a_source_narrows_the_complaints(app_url, month, category, complaints):
    at = open_detail(16)
    if month is not None:
        at.button_group(key="detail_month").set_value(month).run()
    if category is not None:
        at.selectbox(key="detail_category").set_value(category).run()
    [(title, rows)] = tables(at)
    assert title == f"**有效投诉**　{len(complaints)} 条"
    assert rows["投诉编号"].tolist() == complaints


def test_the_open_complaint_behind_the_amber_light_is_listed_without_a_closing_date(app_url):
    at = open_detail(16)
    at.button_group(key="detail_month").set_value(12).run()
    [(_, rows)] = tables(at)
    last = rows.set_index("投诉编号").loc["TS20240046"]
    assert (last["受理日期"].isoformat(), last["办结日期"]) == ("2024-12-27", None)


def test_a_unit_cost_lists_its_budget_lines_vouchers_and_its_cases(app_url):
    at = open_detail(1)
    (vouchers_title, vouchers), (cases_title, cases) = tables(at)
    assert vouchers_title == "**支出明细**　4 条" and vouchers["金额"].tolist() == [4400.0, 5060.0, 4840.0, 5500.0]
    assert cases_title == "**以案定补案件**　80 条" and cases["补贴人数"].sum() == 88


def test_the_judged_indicator_shows_its_evidence(app_url):
    at = open_detail(18)
    assert [i.value for i in at.info] == ["定性指标：由评价人员依据下方的长效机制台账评定档次和得分。"]
    [(title, rules)] = tables(at)
    assert title == "**已印发的长效机制**　3 条" and rules["文号"].tolist()[0] == "浦锦受理〔2024〕1号"


def test_the_as_of_month_narrows_the_detail_to_what_had_happened(app_url):
    at = open_detail(14)
    at.selectbox(key="as_of_month").set_value(6).run()
    assert [m.value for m in at.metric][1] == "按期比例 100.00%"
    [(_, sites)] = tables(at)
    assert sites["阵地名称"].tolist() == ["浦锦街道北片党群服务站调解工作室"]
    assert [option for option in at.button_group(key="detail_month").options] == [f"{m}月" for m in range(1, 7)]


@pytest.mark.parametrize(
    ("seq", "line"),
    [
        (6, "按计划应达 **3 家** · 按计划年末预计 **3 家**"),  # a milestone count is watched by its plan
        (8, "序时应达 **6 场** · 按当前进度年末预测 **7 场**"),
        (16, "应达到 **100.00%** · 按当前进度年末预测 **97.50%**"),
    ],
)
def test_the_expected_value_and_forecast_are_named_by_what_they_follow(app_url, seq, line):
    assert line in [m.value for m in open_detail(seq).markdown]
