"""Parsing 年度指标值 texts: an operator, a number and a unit, or a qualitative word."""

import re
from dataclasses import dataclass

from data_model.problems import UserError

# Full-width and ASCII spellings staff paste from Word or WPS, mapped to the canonical operator.
_OPERATORS = {
    "≤": "≤",
    "<=": "≤",
    "＜=": "≤",
    "≦": "≤",
    "≥": "≥",
    ">=": "≥",
    "＞=": "≥",
    "≧": "≥",
    "=": "=",
    "＝": "=",
    "==": "=",
    "<": "<",
    "＜": "<",
    ">": ">",
    "＞": ">",
}
_OPERATOR = "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True))
_QUANTITATIVE = re.compile(
    # Thousands separators only in groups of three, and no digits in the unit, so "=1,2,3" is refused, not read as 123.
    rf"(?P<op>{_OPERATOR})\s*(?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*(?P<unit>\D*)"
)
_OPENING, _CLOSING = "(（", ")）"

REVERSE_OPERATORS = ("≤", "<")  # lower is better


class TargetError(UserError):
    """A 年度指标值 that cannot be read; the message is Chinese and shown to the admin."""


@dataclass(frozen=True)
class Target:
    text: str
    operator: str | None = None
    value: float | None = None  # as written: 100 for "=100.00(%)"
    unit: str = ""
    word: str | None = None  # the qualitative target, for 及时, 健全, 同比提高, …

    @property
    def is_qualitative(self) -> bool:
        return self.word is not None

    @property
    def is_reverse(self) -> bool:
        return self.operator in REVERSE_OPERATORS

    @property
    def threshold(self) -> float | None:
        """The value actuals are compared with: percentages become fractions (100 % → 1.0)."""
        if self.value is None:
            return None
        return self.value / 100 if self.unit == "%" else self.value


def parse_target(text: str) -> Target:
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        raise TargetError("年度指标值为空")
    match = _QUANTITATIVE.fullmatch(cleaned)
    if match:
        unit = match["unit"].strip().replace("％", "%")  # a full-width percent sign is still a percentage
        if unit[:1] in _OPENING and unit[-1:] in _CLOSING:
            unit = unit[1:-1].strip()
        if any(b in unit for b in _OPENING + _CLOSING):
            raise TargetError(f"年度指标值「{cleaned}」的单位括号不配对")
        return Target(cleaned, _OPERATORS[match["op"]], float(match["num"].replace(",", "")), unit)
    if re.search(r"\d", cleaned):
        if re.match(r"\s*[+-]?\d", cleaned):
            raise TargetError(f"年度指标值「{cleaned}」缺少比较符号（≤ ≥ = < >）")
        raise TargetError(
            f"年度指标值「{cleaned}」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）"
        )
    if any(op in cleaned for op in _OPERATORS):
        raise TargetError(f"年度指标值「{cleaned}」的比较符号后缺少数值")
    return Target(cleaned, word=cleaned)
