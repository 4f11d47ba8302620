"""How numbers read to a person, in Chinese: one place for every screen, printout and export."""

from dataclasses import dataclass
from datetime import date


def percent(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def money(value: float) -> str:
    return f"{value:,.2f}"


def trimmed(value: float) -> str:
    """1.49, 16, 12,000.5: two decimals at most, none when they are zero."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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
