"""Parsing 年度指标值 texts (an operator, a number and a unit, or a qualitative word), and the units a target
may be written in: which units fit a metric counting in a given unit, and converting between 元 and 万元."""

import re
from dataclasses import dataclass
from enum import StrEnum

from data_model.problems import UserError

# Full-width forms from Word or WPS (＞＝８５％, （家）) read as their ASCII ones, the ideographic space as a space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# The spellings left once full width is folded, mapped to the canonical operator.
_OPERATORS = {
    "≤": "≤",
    "<=": "≤",
    "≦": "≤",
    "≥": "≥",
    ">=": "≥",
    "≧": "≥",
    "=": "=",
    "==": "=",
    "<": "<",
    ">": ">",
}
_OPERATOR = "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True))
_QUANTITATIVE = re.compile(
    # Thousands separators only in groups of three, and no digits in the unit, so "=1,2,3" is refused, not read as 123.
    rf"(?P<op>{_OPERATOR})\s*(?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*(?P<unit>\D*)"
)
# Spellings of a unit real tables use, read as the canonical one.
_UNIT_SYNONYMS = {"百分比": "%", "百分点": "%"}
_INCLUSIVE = re.compile(r"\s*\(含\)$")  # a trailing 「（含）」: the bound itself counts
_INCLUDING = {"<": "≤", ">": "≥"}

REVERSE_OPERATORS = ("≤", "<")  # lower is better


class TargetError(UserError):
    """A 年度指标值 that cannot be read; the message is Chinese and shown to the admin."""


@dataclass(frozen=True)
class Target:
    text: str
    operator: str | None = None
    value: float | None = None  # as written: 100 for "=100.00(%)", 2.6 for "≤2.6 万元/家"
    unit: str = ""
    word: str | None = None  # the qualitative target, for 及时, 健全, 同比提高, …
    inferred: bool = False  # the table wrote no operator: it was inferred (infer_operator), for a person to confirm

    @property
    def is_qualitative(self) -> bool:
        return self.word is not None

    @property
    def is_reverse(self) -> bool:
        return self.operator in REVERSE_OPERATORS

    @property
    def threshold(self) -> float | None:
        """The value actuals (in the target's unit) are compared with: percentages become fractions (100 % → 1.0)."""
        if self.value is None:
            return None
        return self.value / 100 if self.unit == "%" else self.value


def parse_target(text: str) -> Target:
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        raise TargetError("年度指标值为空")
    folded = cleaned.translate(_HALF_WIDTH)
    inclusive = _INCLUSIVE.search(folded)
    folded = folded[: inclusive.start()] if inclusive else folded
    match = _QUANTITATIVE.fullmatch(folded)
    if match:
        unit = match["unit"].strip()
        if unit[:1] == "(" and unit[-1:] == ")":
            unit = unit[1:-1].strip()
        if "(" in unit or ")" in unit:
            raise TargetError(f"年度指标值「{cleaned}」的单位括号不配对")
        unit = _UNIT_SYNONYMS.get(unit, unit)
        operator = _OPERATORS[match["op"]]
        if inclusive:
            operator = _INCLUDING.get(operator, operator)
        return Target(cleaned, operator, float(match["num"].replace(",", "")), unit)
    if re.search(r"\d", folded):
        if re.match(r"\s*[+-]?\d", folded):
            raise TargetError(f"年度指标值「{cleaned}」缺少比较符号（≤ ≥ = < >）")
        raise TargetError(
            f"年度指标值「{cleaned}」无法识别：应为“比较符号 + 数值 + 单位”（如 ≥85.00(%)）或定性目标（如 及时）"
        )
    if any(op in folded for op in _OPERATORS):
        raise TargetError(f"年度指标值「{cleaned}」的比较符号后缺少数值")
    return Target(cleaned, word=cleaned)


_BARE_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
COST_LEVEL1 = "成本指标"  # lower is better: a bare number there is a ceiling


def infer_operator(level1: str, value: float, unit: str) -> str:
    """The direction of a target written without an operator: ≤ for a 成本指标, = for a 100 % rate, ≥ otherwise."""
    if level1 == COST_LEVEL1:
        return "≤"
    return "=" if unit == "%" and value == 100 else "≥"


def parse_written(text: str, level1: str) -> Target:
    """A 年度指标值 as real tables print it: like parse_target, but a number without an operator (「100%」,
    「20万元」, 「43.2」) gets the inferred one (infer_operator), marked `inferred` and written into its text."""
    try:
        return parse_target(text)
    except TargetError:
        folded = " ".join(str(text or "").split()).translate(_HALF_WIDTH)
        number = _BARE_NUMBER.match(folded)
        if number is None or number.start() != 0:
            raise
        unit = folded[number.end() :].strip()
        unit = unit[1:-1].strip() if unit[:1] == "(" and unit[-1:] == ")" else unit
        operator = infer_operator(level1, float(number[0].replace(",", "")), _UNIT_SYNONYMS.get(unit, unit))
        target = parse_target(operator + folded)
        return Target(target.text, target.operator, target.value, target.unit, inferred=True)


class Dimension(StrEnum):
    """What a unit measures; a target fits a metric when their units measure the same."""

    COUNT = "count"  # 家, 套, 场, 个案件, or no unit
    PERCENT = "percent"
    MONEY = "money"  # 元 or 万元, perhaps per something: 元/人/案
    DAYS = "days"


WAN = 10_000.0  # 元 in a 万元
_MONEY = {"万元": WAN, "元": 1.0}  # how many 元 one of each is
_DAYS = ("天", "日", "工作日", "个工作日")
# How a target in a unit of each dimension is written, for the message refusing one that does not fit.
WANTED = {
    Dimension.COUNT: "计数单位（如 家、套、场）或不写单位，不能是 %、元或天",
    Dimension.PERCENT: "百分比 %（如 ≥85.00(%)）",
    Dimension.MONEY: "元或万元（如 ≤2.6 万元/家）",
    Dimension.DAYS: "天（如 ≤5 天）",
}


def dimension(unit: str) -> Dimension | None:
    """What `unit` measures; None for an amount of money in a unit other than 元 and 万元 (千元, 美元/家), which
    nothing converts."""
    if unit == "%":
        return Dimension.PERCENT
    if unit.startswith(tuple(_MONEY)):
        return Dimension.MONEY
    if unit.split("/")[0].endswith("元"):
        return None
    if unit in _DAYS:
        return Dimension.DAYS
    return Dimension.COUNT


def fits(unit: str, metric_unit: str) -> bool:
    """Whether a target in `unit` can be the target of a metric counting in `metric_unit`."""
    return dimension(unit) is not None and dimension(unit) is dimension(metric_unit)


def _scale(unit: str) -> float:
    return next((scale for money, scale in _MONEY.items() if unit.startswith(money)), 1.0)


def converted(value: float, unit: str, to: str) -> float:
    """`value`, counted in `unit`, in the unit `to` of the same dimension: 19,500 元 is 1.95 万元, and back."""
    return value * _scale(unit) / _scale(to)
