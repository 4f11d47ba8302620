"""Manually reported indicators: staff enter monthly values; the evaluation sums them or takes the latest."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.admin import indicators
from data_model.locks import set_locks
from data_model.models import AuditLog, ManualValue
from kpi.evaluate import evaluate
from kpi.manual import EntryRejected, enter_value, manual_indicators, monthly_values

TRAINING, CONTRACTS = 3, 4  # 序号 of the summed and of the latest-month indicator


def indicator(db, project, seq: int):
    return next(i for i in manual_indicators(db, project) if i.seq == seq)


def test_the_manual_indicators_are_those_bound_to_a_manual_metric(db, meilong):
    assert [(i.seq, i.metric_key) for i in manual_indicators(db, meilong)] == [
        (3, "manual_total"),
        (4, "manual_latest"),
    ]


def actuals(db, project, as_of: date) -> dict[int, tuple]:
    ev = evaluate(db, project, as_of)
    return {
        r.seq: (None if r.actual is None else round(r.actual, 4), r.status)
        for r in ev.indicators
        if r.seq in (TRAINING, CONTRACTS)
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 1, 31), {TRAINING: (None, "no_data"), CONTRACTS: (None, "no_data")}),
        (date(2025, 2, 28), {TRAINING: (30.0, "not_met"), CONTRACTS: (0.92, "not_met")}),
        (date(2025, 6, 30), {TRAINING: (120.0, "not_met"), CONTRACTS: (0.965, "met")}),
        (date(2025, 9, 30), {TRAINING: (220.0, "met"), CONTRACTS: (0.94, "not_met")}),
    ],
)
def test_counts_add_up_over_the_months_and_rates_take_the_latest_month(db, meilong, as_of, expected):
    for seq, month, value in [
        (TRAINING, 2, 30),
        (TRAINING, 3, 50),
        (TRAINING, 6, 40),
        (TRAINING, 8, 100),
        (CONTRACTS, 2, 92),
        (CONTRACTS, 5, 96.5),
        (CONTRACTS, 9, 94),
    ]:
        enter_value(db, indicator(db, meilong, seq), date(2025, month, 1), value, by="staff")
    assert actuals(db, meilong, as_of) == expected


def test_entering_a_month_again_corrects_it_and_both_entries_are_audited(db, meilong):
    training = indicator(db, meilong, TRAINING)
    enter_value(db, training, date(2025, 3, 1), 50, by="staff")
    enter_value(db, training, date(2025, 3, 17), 45.5, by="leader-of-staff")
    assert [(v.month, v.value, v.entered_by) for v in monthly_values(db, training)] == [
        (date(2025, 3, 1), 45.5, "leader-of-staff")
    ]
    assert db.exec(select(AuditLog.detail).where(AuditLog.action == "manual_value").order_by(AuditLog.id)).all() == [
        "填报「劳动关系指导员培训人次」2025年3月：50 人次",
        "填报「劳动关系指导员培训人次」2025年3月：45.5 人次（原为 50 人次）",
    ]


@pytest.mark.parametrize(
    ("seq", "month", "value", "message"),
    [
        (TRAINING, date(2024, 12, 1), 10, "2024年12月不在项目年度 2025 年内"),
        (TRAINING, date(2025, 4, 1), -1, "填报值不能为负数，实际为 -1"),
        (CONTRACTS, date(2025, 4, 1), 101, "百分比应在 0 到 100 之间，实际为 101"),
        (1, date(2025, 4, 1), 250, "指标「“以案定补”个案补贴成本」的实际值由上传数据计算，不能人工填报"),
    ],
)
def test_a_bad_entry_is_refused_in_chinese_and_nothing_is_stored(db, meilong, seq, month, value, message):
    target = next(i for i in indicators(db, meilong) if i.seq == seq)
    with pytest.raises(EntryRejected, match=f"^{message}$"):
        enter_value(db, target, month, value, by="staff")
    assert db.exec(select(ManualValue)).all() == []


def test_a_locked_month_cannot_be_entered(db, meilong):
    set_locks(db, meilong, [date(2025, 3, 1)], username="admin")
    with pytest.raises(EntryRejected, match="^2025年3月已锁定，不能填报或修改；如需更正请联系管理员解锁$"):
        enter_value(db, indicator(db, meilong, TRAINING), date(2025, 3, 1), 10, by="staff")
    enter_value(db, indicator(db, meilong, TRAINING), date(2025, 4, 1), 10, by="staff")
    assert [v.month for v in monthly_values(db, indicator(db, meilong, TRAINING))] == [date(2025, 4, 1)]
