"""How numbers read to a person, in Chinese: one place for every screen, printout and export."""

from kpi import scoring
from kpi.metrics import REGISTRY


def percent(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def money(value: float) -> str:
    return f"{value:,.2f}"


def actual_text(metric_key: str, actual: float | None, unit: str) -> str:
    """实际完成值 as a person reads it: 225.00 元/人/案, 15 套, 97.50%, 同比减少 12.45%."""
    metric = REGISTRY[metric_key]
    if metric.kind == "judged":
        return "定性评定"
    if actual is None:
        return scoring.STATUS_LABELS[scoring.NO_DATA]
    if metric.kind == "timely":
        return f"按期比例 {percent(actual)}"
    if metric.kind == "yoy":  # worded as the self-assessment export's number format words it
        return "同比持平" if actual == 0 else f"同比{'减少' if actual < 0 else '增加'} {percent(abs(actual))}"
    if unit == "%":
        return percent(actual)
    if metric.cumulative:
        return f"{actual:,.0f} {unit}".strip()
    return f"{actual:,.2f} {unit}".strip()
