"""In-year monitoring (绩效运行监控): the pro-rata path (or a milestone plan), 关注/预警 levels and the year-end
forecast."""

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kpi.scoring import EPSILON


class Level(StrEnum):
    NORMAL = "normal"
    WATCH = "watch"
    WARNING = "warning"
    NO_DATA = "no_data"


LEVEL_LABELS = {Level.NORMAL: "正常", Level.WATCH: "关注", Level.WARNING: "预警", Level.NO_DATA: "无数据"}
WATCH_GAP, WARNING_GAP = 0.10, 0.20  # more than 10 % behind is 关注, more than 20 % is 预警


class Likelihood(StrEnum):
    """完成目标可能性 of the 绩效运行监控表 (财预〔2019〕136号), proposed from the year-end forecast."""

    CERTAIN = "certain"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


LIKELIHOOD_LABELS = {Likelihood.CERTAIN: "确定能", Likelihood.POSSIBLE: "有可能", Likelihood.UNLIKELY: "不可能"}
POSSIBLE_GAP = 0.10  # a forecast within 10 % of the target 有可能 still reaches it


class Light(StrEnum):
    """Traffic lights everywhere: 达成 green, 关注 amber, 预警 red, 无数据 grey; pages and charts share these,
    in this order."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


LEVEL_LIGHTS = {
    Level.NORMAL: Light.GREEN,
    Level.WATCH: Light.AMBER,
    Level.WARNING: Light.RED,
    Level.NO_DATA: Light.GREY,
}
LIGHT_COLOURS = {Light.GREEN: "#2e9d5b", Light.AMBER: "#f0a020", Light.RED: "#d64541", Light.GREY: "#9aa0a6"}
LIGHT_LABELS = {Light.GREEN: "达成", Light.AMBER: "关注", Light.RED: "预警", Light.GREY: "无数据"}
LIGHT_DOTS = {Light.GREEN: "🟢", Light.AMBER: "🟡", Light.RED: "🔴", Light.GREY: "⚪"}


def light_label(light: Light, label: str | None = None) -> str:
    """A light as the tables show it: 🟢 达成 (or the dot with another label, e.g. ⚪ 待评定)."""
    return f"{LIGHT_DOTS[light]} {label or LIGHT_LABELS[light]}"


def elapsed_share(as_of: date, year: int) -> float:
    """Share of the project year elapsed at the end of `as_of` (0 before it starts, 1 after it ends)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


@dataclass(frozen=True)
class Monitoring:
    expected: float | None  # where it should stand now: on its in-year path (pro rata or planned), else the target
    forecast: float | None  # year-end value at the current pace (or by plan)
    gap: float | None  # relative shortfall against `expected`: 0.15 = 15 % behind
    level: Level
    likelihood: Likelihood | None  # whether the forecast reaches the target (None: no forecast)


def monitor(
    actual: float | None, threshold: float, *, reverse: bool, cumulative: bool, share: float, met: bool
) -> Monitoring:
    """Judge `actual` against the pro-rata path (cumulative values) or the target itself (rates, costs)."""
    expected = threshold * share if cumulative else threshold
    forecast = None if actual is None else actual / share if cumulative and share > 0 else actual
    return _judged(actual, expected, forecast, threshold, reverse=reverse, on_path=cumulative and share < 1, met=met)


def monitor_milestones(
    actual: float, threshold: float, *, due: float, foreseen: float, share: float, met: bool
) -> Monitoring:
    """Judge a count of milestones with planned dates (调解阵地 计划完成日期) by their due dates, not pro rata.

    In the year the value is expected to stand at the number planned on or before the date, capped by the
    target, so nothing is behind before it is due; at year end at the target itself. The forecast is what the
    plan still gives: those done, plus those not yet due (an overdue one is not counted on).
    """
    in_year = share < 1
    expected = min(due, threshold) if in_year else threshold
    return _judged(actual, expected, foreseen, threshold, reverse=False, on_path=in_year, met=met)


def _judged(
    actual: float | None,
    expected: float,
    forecast: float | None,
    threshold: float,
    *,
    reverse: bool,
    on_path: bool,
    met: bool,
) -> Monitoring:
    """The level of `actual` against `expected`. A value on its in-year path may trail it by up to 10 % and
    still be 正常; anything judged against the target directly is 正常 only when the target is met."""
    if actual is None:
        return Monitoring(expected, None, None, Level.NO_DATA, None)
    if reverse:
        gap = max(0.0, actual / threshold - 1) if threshold else 0.0
    else:
        gap = max(0.0, 1 - actual / expected) if expected else 0.0
    # EPSILON: a value exactly 10 % (20 %) behind must not tip over the edge on float noise.
    if (on_path and gap <= WATCH_GAP + EPSILON) or (not on_path and met):
        level = Level.NORMAL
    elif gap <= WARNING_GAP + EPSILON:
        level = Level.WATCH
    else:
        level = Level.WARNING
    return Monitoring(
        expected, forecast, gap, level, _likelihood(forecast, threshold, reverse=reverse, met=None if on_path else met)
    )


def _likelihood(forecast: float, threshold: float, *, reverse: bool, met: bool | None) -> Likelihood:
    """确定能 when the forecast reaches the target, 有可能 within 10 % of it, else 不可能. Off its in-year path the
    forecast is the value itself, so whether it reaches the target is whether the target is `met` (a strict
    target such as 同比提高 is not reached by an equal value)."""
    if threshold:
        short = max(0.0, forecast / threshold - 1 if reverse else 1 - forecast / threshold)
    else:  # a cap of 0 is missed by anything above it; a floor of 0 is always reached
        short = math.inf if reverse and forecast > 0 else 0.0
    reaches = short <= EPSILON if met is None else met
    if reaches:
        return Likelihood.CERTAIN
    return Likelihood.POSSIBLE if short <= POSSIBLE_GAP + EPSILON else Likelihood.UNLIKELY
