"""How numbers read to a person, in Chinese: one place for every screen, printout and export."""

import math
from dataclasses import dataclass
from datetime import date

from data_model.targets import Dimension, Target, converted, dimension


def percent(value: float | None) -> str:
    """A fraction in percent, two decimals: 0.9375 → 93.75%."""
    return "—" if value is None else f"{value * 100:.2f}%"


def money(value: float, unit: str = "") -> str:
    """An amount of 元 with thousands separators and two decimals: 2,600.00; given a unit, in it and followed by it:
    money(150000, "万元") is 15.00 万元."""
    return f"{converted(value, '元', unit or '元'):,.2f} {unit}".rstrip()


def number(value: float) -> str:
    """1.49, 16, 12,000.5: two decimals at most, none when they are zero."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def count(value: float) -> str:
    """Whole things: 0.25 of a path reads 0, 0.75 reads 1, 59.5 reads 60 (half up, as people round)."""
    return f"{math.floor(value + 0.5):,}"


def quantity(value: float | None, unit: str, *, whole: bool = False) -> str:
    """A value counted in `unit`: a rate in percent, money with two decimals, `whole` things as an integer, anything
    else to two decimals at most: 93.75%, 2,514.29 元/场, 1 家, 0.3 吨."""
    if value is None:
        return "—"
    if unit == "%":
        return percent(value)
    if dimension(unit) is Dimension.MONEY:
        return f"{value:,.2f} {unit}"
    return f"{count(value) if whole else number(value)} {unit}".rstrip()


def target(goal: Target) -> str:
    """A 年度指标值 as a person reads it, from the parsed target: ≥ 76 个案件, = 16 套, ≥ 85%, ≤ 2.6 万元/家, 及时."""
    if goal.value is None:
        return goal.word or goal.text
    amount = number(goal.value) + ("%" if goal.unit == "%" else f" {goal.unit}".rstrip())
    return f"{goal.operator} {amount}" if goal.operator else amount


@dataclass(frozen=True)
class Shown:
    """How an actual value reads, declared once and rendered both as text (screens, report) and as an Excel
    number format (the self-assessment workbook), so that the two read alike: 15 套, 97.50%, 同比减少 12.45%."""

    percent: bool = False  # a fraction shown in percent, two decimals
    decimals: int = 2  # of a plain number, with thousands separators
    unit: str = ""  # after a plain number, separated by a space
    prefix: str = ""
    changes: tuple[str, str, str] | None = None  # words for an increase, a decrease and no change: the sign is worded

    def text(self, value: float) -> str:
        if self.changes is None:
            return f"{self.prefix}{self._number(value)}".strip()
        up, down, flat = self.changes
        if value == 0:
            return self.prefix + flat
        return f"{self.prefix}{down if value < 0 else up} {self._number(abs(value))}"

    def number_format(self) -> str:
        if self.changes is None:
            return (f'"{self.prefix}"' if self.prefix else "") + self._format()
        up, down, flat = self.changes
        return f'"{self.prefix}{up} "{self._format()};"{self.prefix}{down} "{self._format()};"{self.prefix}{flat}"'

    def _number(self, value: float) -> str:
        return percent(value) if self.percent else f"{value:,.{self.decimals}f} {self.unit}"

    def _format(self) -> str:
        if self.percent:
            return "0.00%"
        return "#,##0" + ("." + "0" * self.decimals if self.decimals else "") + f'" {self.unit}"'


def chinese_date(day: date) -> str:
    """2024年3月5日, as forms and reports write a date."""
    return f"{day.year}年{day.month}月{day.day}日"
