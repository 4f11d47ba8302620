"""The labelled rows behind the pages' tables, and the domain's word on what an indicator still lacks before final."""

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from data_model.models import PeriodLock, User
from data_model.progress import Progress
from kpi import tables
from kpi.assessment import still_missing


def test_the_assessment_table_says_how_each_indicator_was_scored_and_whether_it_needs_a_reason(sample_assessment):
    rows = {row["序号"]: row for row in tables.assessment(sample_assessment.evaluation.indicators)}
    assert [rows[seq] for seq in (1, 7, 18)] == [
        {
            "序号": 1,
            "三级指标": "“以案定补”个案补贴成本",
            "年度指标值": "≤ 260 元/人/案",
            "实际完成值": "225.00 元/人/案",
            "分值": 3.34,
            "得分": 3.34,
            "状态": "🟢 达成",
            "评分方式": "计算",
            "偏差原因": "无需",
        },
        {
            "序号": 7,
            "三级指标": "调解队伍装备保障数",
            "年度指标值": "= 16 套",
            "实际完成值": "15 套",
            "分值": 3.33,
            "得分": 3.12,
            "状态": "🟡 关注",
            "评分方式": "计算",
            "偏差原因": "待填写",
        },
        {
            "序号": 18,
            "三级指标": "长效管理机制健全有效性",
            "年度指标值": "健全",
            "实际完成值": "定性评定",
            "分值": 10.0,
            "得分": 0.0,
            "状态": "⚪ 待评定",
            "评分方式": "待评定",
            "偏差原因": "待填写",
        },
    ]


OVER = "第 8 项「普法宣传活动完成情况」超额完成（偏离年度指标值 20% 以上），缺少偏差原因分析及改进措施"


@pytest.mark.parametrize(
    ("seq", "reason", "over_achieved", "state", "missing"),
    [
        (1, "", False, "无需", None),
        (7, "", False, "待填写", "第 7 项「调解队伍装备保障数」得分低于分值，缺少偏差原因分析及改进措施"),
        (7, "  ", False, "待填写", "第 7 项「调解队伍装备保障数」得分低于分值，缺少偏差原因分析及改进措施"),
        (7, "装备尚在采购", False, "已填写", None),
        (8, "", False, "无需", None),  # 7 events against 6: full marks, within 120 %
        (8, "", True, "待填写", OVER),
        (8, "目标偏保守", True, "已填写", None),
        (18, "", False, "待填写", "第 18 项「长效管理机制健全有效性」待评定档次和得分"),
    ],
)
def test_a_reason_is_wanted_below_the_weight_or_over_achieved_and_a_pending_indicator_wants_its_judgment(
    sample_assessment, seq, reason, over_achieved, state, missing
):
    [r] = [r for r in sample_assessment.evaluation.indicators if r.seq == seq]
    r = replace(r, deviation_reason=reason, over_achieved=over_achieved)
    assert (tables.reason_state(r), still_missing(r)) == (state, missing)


def test_progress_cells_count_rows_and_mark_a_missing_month():
    progress = Progress(2024, {"支出明细": {1: 3}, "平台运维": {}}, {"平台运维": [1]})
    assert [tables.progress_cell(progress, sheet, 1) for sheet in ("支出明细", "平台运维")] == ["✅ 3", "❌ 缺报"]
    assert tables.progress_cell(progress, "支出明细", 2) == ""


@pytest.mark.parametrize(
    ("disabled", "locked", "state"),
    [
        (False, None, "正常"),
        (True, None, "已停用"),
        (False, datetime(2024, 5, 1, 2, 30, tzinfo=timezone.utc), "锁定至 10:30"),
    ],
)
def test_an_accounts_state_is_disabled_locked_until_a_beijing_time_or_normal(disabled, locked, state):
    user = User(
        username="zhangsan",
        display_name="张三",
        role="staff",
        password_hash="x",
        disabled=disabled,
        created_at=datetime(2024, 1, 2, 0, 0),
    )
    assert tables.users([user], [locked]) == [
        {"用户名": "zhangsan", "姓名": "张三", "角色": "工作人员", "状态": state, "创建时间": "2024-01-02 08:00"}
    ]


def test_locked_months_show_who_locked_them_by_name():
    months = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    locked = {
        m: PeriodLock(project_id=1, month=m, locked_by=who, locked_at=datetime(2024, 4, 1, 0, 0))
        for m, who in zip(months[1:], ["admin", "olduser"])
    }
    assert tables.locks(months, locked, {"admin": "管理员"}) == [
        {"月份": "2024年1月", "状态": "未锁定", "锁定人": "", "锁定时间": ""},
        {"月份": "2024年2月", "状态": "🔒 已锁定", "锁定人": "管理员", "锁定时间": "2024-04-01 08:00"},
        {"月份": "2024年3月", "状态": "🔒 已锁定", "锁定人": "olduser", "锁定时间": "2024-04-01 08:00"},  # no 姓名
    ]
