"""In-year monitoring of PRODUCT.md "绩效运行监控": the share of the year, the pro-rata path, milestones by
their due dates, 关注/预警, the forecast."""

from dataclasses import astuple
from datetime import date

import pytest

from kpi.monitoring import (
    LEVEL_LABELS,
    LEVEL_LIGHTS,
    LIKELIHOOD_LABELS,
    Monitoring,
    elapsed_share,
    monitor,
    monitor_milestones,
)


@pytest.mark.parametrize(
    ("as_of", "year", "share"),
    [
        (date(2023, 12, 31), 2024, 0.0),  # before the project year starts
        (date(2024, 1, 1), 2024, 1 / 366),  # the end of the first day
        (date(2024, 2, 29), 2024, 60 / 366),  # 2024 is a leap year
        (date(2024, 6, 30), 2024, 182 / 366),
        (date(2024, 7, 1), 2024, 183 / 366),
        (date(2024, 12, 30), 2024, 365 / 366),
        (date(2024, 12, 31), 2024, 1.0),
        (date(2025, 3, 1), 2024, 1.0),  # after the year ends
        (date(2023, 6, 30), 2023, 181 / 365),  # a common year has 365 days
        (date(2023, 12, 31), 2023, 1.0),
    ],
)
def test_elapsed_share_counts_days_to_the_end_of_the_as_of_date(as_of, year, share):
    assert elapsed_share(as_of, year) == pytest.approx(share)


def approx(expected: Monitoring) -> tuple:
    return tuple(pytest.approx(v) if isinstance(v, float) else v for v in astuple(expected))


@pytest.mark.parametrize(
    ("actual", "share", "expected"),
    [
        # 16 sets due by year end; halfway through the year 8 are expected.
        (8, 0.5, Monitoring(8.0, 16.0, 0.0, "normal", "certain")),
        (10, 0.5, Monitoring(8.0, 20.0, 0.0, "normal", "certain")),  # ahead of the path
        (7.2, 0.5, Monitoring(8.0, 14.4, 0.1, "normal", "possible")),  # exactly 10 % behind is still normal
        (7, 0.5, Monitoring(8.0, 14.0, 0.125, "watch", "unlikely")),
        (6.4, 0.5, Monitoring(8.0, 12.8, 0.2, "watch", "unlikely")),  # exactly 20 % behind is 关注, not yet 预警
        (6, 0.5, Monitoring(8.0, 12.0, 0.25, "warning", "unlikely")),
        (0, 0.5, Monitoring(8.0, 0.0, 1.0, "warning", "unlikely")),
        (4, 0.25, Monitoring(4.0, 16.0, 0.0, "normal", "certain")),  # the forecast extrapolates the pace: 4 ÷ 0.25
        (5, 0.25, Monitoring(4.0, 20.0, 0.0, "normal", "certain")),
        (0, 0.0, Monitoring(0.0, 0.0, 0.0, "normal", "unlikely")),  # before the year starts nothing is expected
        (16, 1.0, Monitoring(16.0, 16.0, 0.0, "normal", "certain")),  # at year end the target itself, met
        (15, 1.0, Monitoring(16.0, 15.0, 0.0625, "watch", "possible")),  # at year end short is never normal
        (12, 1.0, Monitoring(16.0, 12.0, 0.25, "warning", "unlikely")),
        (None, 0.5, Monitoring(8.0, None, None, "no_data", None)),
    ],
)
def test_cumulative_value_is_judged_against_its_pro_rata_path(actual, share, expected):
    met = actual is not None and actual >= 16
    assert astuple(monitor(actual, 16.0, reverse=False, cumulative=True, share=share, met=met)) == approx(expected)


JAN, JUN, SEP = 31 / 366, 182 / 366, 274 / 366  # the shares of 2024 elapsed at the ends of those months


@pytest.mark.parametrize(
    ("target", "actual", "due", "foreseen", "share", "expected"),
    [
        # 3 sites planned for June, August and September (调解阵地): nothing is behind before it is due.
        (3, 0, 0, 3, JAN, Monitoring(0.0, 3.0, 0.0, "normal", "certain")),  # pro rata would expect 0.25 and say 预警
        (3, 0, 0, 3, 0.0, Monitoring(0.0, 3.0, 0.0, "normal", "certain")),  # before the year starts
        (3, 1, 1, 3, JUN, Monitoring(1.0, 3.0, 0.0, "normal", "certain")),  # the June site built on time
        (3, 2, 1, 3, JUN, Monitoring(1.0, 3.0, 0.0, "normal", "certain")),  # one built ahead of its date
        (3, 0, 1, 2, JUN, Monitoring(1.0, 2.0, 1.0, "warning", "unlikely")),  # the June site overdue: not counted on
        (3, 2, 3, 2, SEP, Monitoring(3.0, 2.0, 1 / 3, "warning", "unlikely")),
        # More planned by now than the target asks: the target caps what is expected.
        (3, 3, 4, 4, SEP, Monitoring(3.0, 4.0, 0.0, "normal", "certain")),
        (3, 2, 4, 3, SEP, Monitoring(3.0, 3.0, 1 / 3, "warning", "certain")),
        # The 10 % and 20 % edges hold on the plan as on a pro-rata path.
        (10, 9, 10, 9, SEP, Monitoring(10.0, 9.0, 0.1, "normal", "possible")),
        (10, 8, 10, 8, SEP, Monitoring(10.0, 8.0, 0.2, "watch", "unlikely")),
        (10, 7, 10, 7, SEP, Monitoring(10.0, 7.0, 0.3, "warning", "unlikely")),
        # At year end the target itself, even when fewer were planned.
        (3, 3, 3, 3, 1.0, Monitoring(3.0, 3.0, 0.0, "normal", "certain")),
        (3, 2, 2, 2, 1.0, Monitoring(3.0, 2.0, 1 / 3, "warning", "unlikely")),
    ],
)
def test_milestones_are_expected_by_their_due_dates_not_pro_rata(target, actual, due, foreseen, share, expected):
    got = monitor_milestones(actual, target, due=due, foreseen=foreseen, share=share, met=actual >= target)
    assert astuple(got) == approx(expected)


@pytest.mark.parametrize("days", [1, 45, 100, 182, 250, 300, 365])
@pytest.mark.parametrize(("behind", "level"), [(0.1, "normal"), (0.2, "watch")])
def test_exactly_at_the_10_and_20_percent_edges_whatever_the_date(days, behind, level):
    share = days / 366
    actual = 150000 * share * (1 - behind)  # e.g. spending exactly 10 % behind the 150,000 元 path
    assert monitor(actual, 150000.0, reverse=False, cumulative=True, share=share, met=False).level == level


@pytest.mark.parametrize(
    ("actual", "met", "expected"),
    [
        (1.0, True, Monitoring(1.0, 1.0, 0.0, "normal", "certain")),
        (0.95, False, Monitoring(1.0, 0.95, 0.05, "watch", "possible")),  # a rate short of its target is never normal
        (0.8, False, Monitoring(1.0, 0.8, 0.2, "watch", "unlikely")),
        (0.75, False, Monitoring(1.0, 0.75, 0.25, "warning", "unlikely")),
        (None, False, Monitoring(1.0, None, None, "no_data", None)),
    ],
)
def test_rate_is_judged_against_the_target_directly_at_any_date(actual, met, expected):
    for share in (0.25, 1.0):
        assert astuple(monitor(actual, 1.0, reverse=False, cumulative=False, share=share, met=met)) == approx(expected)


@pytest.mark.parametrize(
    ("actual", "met", "expected"),
    [
        (200, True, Monitoring(260.0, 200.0, 0.0, "normal", "certain")),
        (260, True, Monitoring(260.0, 260.0, 0.0, "normal", "certain")),
        (286, False, Monitoring(260.0, 286.0, 0.1, "watch", "possible")),
        (312, False, Monitoring(260.0, 312.0, 0.2, "watch", "unlikely")),
        (325, False, Monitoring(260.0, 325.0, 0.25, "warning", "unlikely")),
        (None, False, Monitoring(260.0, None, None, "no_data", None)),
    ],
)
def test_unit_cost_is_judged_by_how_far_it_runs_over_its_cap(actual, met, expected):
    assert astuple(monitor(actual, 260.0, reverse=True, cumulative=False, share=0.5, met=met)) == approx(expected)


def test_every_level_has_a_chinese_label_and_a_light():
    assert LEVEL_LABELS == {"normal": "正常", "watch": "关注", "warning": "预警", "no_data": "无数据"}
    assert LEVEL_LIGHTS == {"normal": "green", "watch": "amber", "warning": "red", "no_data": "grey"}


@pytest.mark.parametrize(
    ("actual", "threshold", "reverse", "cumulative", "share", "met", "likelihood"),
    [
        # 完成目标可能性 from the year-end forecast: reaching the target 确定能, within 10 % 有可能, else 不可能.
        (8, 16.0, False, True, 0.5, False, "certain"),  # 8 by midyear: 16 by year end
        (7.2, 16.0, False, True, 0.5, False, "possible"),  # 14.4: exactly 10 % short
        (7.1, 16.0, False, True, 0.5, False, "unlikely"),  # 14.2: more than 10 % short
        (0.9, 1.0, False, False, 0.5, False, "possible"),  # a rate is its own forecast
        (0.89, 1.0, False, False, 0.5, False, "unlikely"),
        (1.0, 1.0, False, False, 0.5, True, "certain"),
        (286, 260.0, True, False, 0.5, False, "possible"),  # a cost 10 % over its cap
        (287, 260.0, True, False, 0.5, False, "unlikely"),
        (260, 260.0, True, False, 0.5, True, "certain"),
        (100, 100.0, True, False, 0.5, False, "possible"),  # 同比提高: as many disputes as last year is not better
        (1, 0.0, True, False, 0.5, False, "unlikely"),  # anything above a cap of 0
        (None, 16.0, False, True, 0.5, False, None),  # no data, no forecast
    ],
)
def test_likelihood_of_reaching_the_target_follows_the_forecast(
    actual, threshold, reverse, cumulative, share, met, likelihood
):
    got = monitor(actual, threshold, reverse=reverse, cumulative=cumulative, share=share, met=met)
    assert got.likelihood == likelihood


def test_every_likelihood_has_its_chinese_word():
    assert LIKELIHOOD_LABELS == {"certain": "确定能", "possible": "有可能", "unlikely": "不可能"}
