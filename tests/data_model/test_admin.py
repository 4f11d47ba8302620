"""Administration: accounts, weights, the cost rule,
and a second project imported and evaluated from the command line."""

import json
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from data_model import admin
from data_model.auth import AuthError, authenticate
from data_model.db import ROOT
from data_model.importer import import_workbook
from data_model.models import AuditLog, Indicator, Project, User
from data_model.problems import WorkbookRejected
from kpi import settings
from kpi.evaluate import evaluate
from kpi.manual import enter_value, manual_indicators
from kpi.scoring import WeightError
from tests.data_model.accounts import PASSWORD
from tests.data_model.meilong import INDICATORS, NAME, performance_table
from tests.helpers import workbook_bytes

W1, W2 = 3.34, 3.33  # the seed's 成本/产出 weights: 50 over 15 by largest remainder, the first five 3.34


def last_audit(db) -> tuple[str, str, str]:
    entry = db.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    return entry.username, entry.action, entry.detail


def account(db, username: str) -> User:
    return db.exec(select(User).where(User.username == username)).one()


# Accounts


def test_changing_a_role_takes_effect_and_is_audited(db, users):
    admin.change_role(db, "staff", "evaluator", by="admin")
    assert account(db, "staff").role == "evaluator"
    assert last_audit(db) == ("admin", "role_change", "用户「staff」的角色由工作人员改为评价人员")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: admin.change_role(s, "nobody", "staff", by="admin"), "用户「nobody」不存在"),
        (lambda s: admin.change_role(s, "staff", "boss", by="admin"), "角色「boss」不存在"),
        (lambda s: admin.set_disabled(s, "admin", True, by="admin"), "不能停用自己的账号"),
        (lambda s: admin.reset_password(s, "staff", "short", by="admin"), "密码至少需要 8 位"),
    ],
)
def test_an_impossible_account_change_is_refused_in_chinese(db, users, change, message):
    before = [u.model_dump() for u in admin.list_users(db)]
    with pytest.raises(AuthError, match=f"^{message}$"):
        change(db)
    db.rollback()
    assert [u.model_dump() for u in admin.list_users(db)] == before


@pytest.mark.parametrize(
    "take_away",
    [
        pytest.param(lambda s: admin.change_role(s, "chief", "leader", by="admin"), id="demote"),
        pytest.param(lambda s: admin.set_disabled(s, "chief", True, by="admin"), id="disable"),
    ],
)
def test_the_last_usable_admin_cannot_be_taken_away(db, users, take_away):
    admin.set_disabled(db, "admin", True, by="chief")
    with pytest.raises(AuthError, match="^至少需要保留一个可用的管理员账号$"):
        take_away(db)
    assert (account(db, "chief").role, account(db, "chief").disabled) == ("admin", False)


def test_resetting_a_password_unlocks_the_account_and_the_old_password_stops_working(db, users):
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(db, "staff", "guess")
    admin.reset_password(db, "staff", "fresh-password-1", by="admin")
    with pytest.raises(AuthError, match="^用户名或密码不正确$"):
        authenticate(db, "staff", PASSWORD)
    assert authenticate(db, "staff", "fresh-password-1").username == "staff"
    resets = db.exec(select(AuditLog.detail).where(AuditLog.action == "password_reset")).all()
    assert resets == ["重置用户「staff」的密码（并解除锁定）"]


def test_a_disabled_account_is_refused_until_enabled_again(db, users):
    admin.set_disabled(db, "leader", True, by="admin")
    with pytest.raises(AuthError, match="^账号已停用，请联系管理员$"):
        authenticate(db, "leader", PASSWORD)
    admin.set_disabled(db, "leader", False, by="admin")
    assert authenticate(db, "leader", PASSWORD).username == "leader"
    toggles = db.exec(select(AuditLog.action, AuditLog.detail).where(AuditLog.action.like("user_%able"))).all()
    assert toggles == [("user_disable", "停用用户「leader」"), ("user_enable", "启用用户「leader」")]


# Weights and the cost rule


def seed_weights(project, **changes: float) -> dict[int, float]:
    weights = {seq: W1 if seq <= 5 else W2 if seq <= 15 else (10.0 if seq <= 18 else 5.0) for seq in range(1, 21)}
    return weights | {int(k[1:]): v for k, v in changes.items()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"s19": 5.1}, "分值合计为 100.10 分（含预算执行率 10 分），比 100 分多 0.10 分"),
        ({"s16": 8.0, "s17": 8.0}, "分值合计为 96.00 分（含预算执行率 10 分），比 100 分少 4.00 分"),
        ({"s19": 15.0, "s20": -5.0}, "分值不能为负数"),
        ({"s7": None, "s9": None}, "第 7、9 项指标没有填写分值"),
        ({"s19": 5.005, "s20": 4.995}, "分值最多保留两位小数：5.005、4.995"),  # they add up, yet as 5.01 and 5.00 not
    ],
)
def test_weights_that_do_not_add_up_to_100_are_refused_and_nothing_changes(db, project, changes, message):
    with pytest.raises(WeightError, match=f"^{message}$"):
        settings.set_weights(db, project, seed_weights(project, **changes), by="admin")
    db.rollback()
    assert list(db.exec(select(Indicator.weight).order_by(Indicator.seq))) == list(seed_weights(project).values())


def test_new_weights_are_scored_audited_and_reopen_a_finalized_self_assessment(db, project):
    project.finalized_by, project.finalized_at = "evaluator", datetime(2025, 1, 10, tzinfo=timezone.utc)
    db.add(project)
    db.commit()
    settings.set_weights(db, project, seed_weights(project, s16=12.0, s17=8.0), by="admin")
    ev = evaluate(db, project, date(2024, 12, 31))
    assert [(r.seq, r.weight) for r in ev.indicators if r.seq in (16, 17)] == [(16, 12.0), (17, 8.0)]
    assert db.get(Project, project.id).finalized_at is None
    assert last_audit(db) == (
        "admin",
        "weights",
        "修改分值：16. 有效投诉处置率 10.00 → 12.00；"
        "17. 劳动关系和谐稳定提升情况 10.00 → 8.00（自评已定稿，此修改使其重新打开）",
    )


# 3.34 × 2500 ÷ 3000 = 2.7833…, 3.34 × (2 − 3000 ÷ 2500) = 2.672
@pytest.mark.parametrize(("rule", "score"), [("ratio", 2.78), ("deviation", 2.67)])
def test_the_cost_rule_decides_how_a_missed_unit_cost_scores(db, project, rule, score):
    import_workbook(
        db,
        project,
        workbook_bytes(
            {
                "支出明细": [
                    ["凭证号", "支付日期", "预算明细", "金额", "摘要"],
                    ["PZ-1", date(2024, 3, 5), "工作装备经费", 6000, ""],
                ],
                "装备发放": [["领用人", "发放日期", "套数", "验收结果"], ["张建华", date(2024, 3, 15), 2, "合格"]],
            }
        ),
        file_name="2024-03.xlsx",
        uploaded_by="staff",
    )
    settings.set_cost_rule(db, project, rule, by="admin")
    unit_cost = evaluate(db, project, date(2024, 12, 31)).indicators[1]
    assert (unit_cost.actual, unit_cost.status, unit_cost.score) == (3000.0, "not_met", score)


def test_changing_the_cost_rule_is_audited_and_an_unknown_rule_refused(db, project):
    settings.set_cost_rule(db, project, "deviation", by="admin")
    assert last_audit(db) == (
        "admin",
        "cost_rule",
        "成本指标未达成时的计分规则改为偏离度法（得分 = 分值 × max(0, 2 − 实际值 ÷ 目标值)）",
    )
    with pytest.raises(settings.SettingError, match="^计分规则「linear」不存在，应为：ratio、deviation$"):
        settings.set_cost_rule(db, project, "linear", by="admin")


# A second project


def test_a_new_project_is_imported_from_its_performance_table_and_audited(db, project):
    imported = settings.import_project(db, performance_table(), "梅陇2025.xlsx", by="admin")
    assert (imported.name, imported.year, imported.department) == (NAME, 2025, "闵行区梅陇镇人民政府")
    assert [(i.seq, i.metric_key, i.weight) for i in admin.indicators(db, imported)] == [
        (1, "cost_per_subsidy_person", 16.67),  # 50 over 3 by largest remainder
        (2, "subsidy_cases", 16.67),
        (3, "manual_total", 16.66),
        (4, "manual_latest", 30.0),
        (5, "worker_satisfaction", 10.0),
    ]
    assert last_audit(db) == ("admin", "project_import", f"从「梅陇2025.xlsx」导入项目「{NAME}」（2025 年度）")
    assert [(s.project.name, s.indicators, s.manual, s.budget) for s in settings.project_summaries(db)] == [
        (NAME, 5, 2, 50000.0),
        ("2024年浦锦街道劳动关系项目", 20, 0, 150000.0),
    ]


@pytest.mark.parametrize(
    ("indicators", "problem"),
    [
        (
            [*INDICATORS[:3], [*INDICATORS[3][:3], "健全", *INDICATORS[3][4:]], INDICATORS[4]],
            "工作表「绩效目标」第 5 行「年度指标值」列："
            "计算口径「人工填报（取最近一月）」需要数值目标（如 ≥85.00(%)），实际为「健全」",
        ),
        (
            [*INDICATORS[:2], [*INDICATORS[2][:5], "人工统计", ""], *INDICATORS[3:]],
            "工作表「绩效目标」第 4 行「计算口径」列：计算口径「人工统计」不存在",
        ),
    ],
)
def test_a_performance_table_with_a_bad_indicator_is_refused_whole(db, indicators, problem):
    with pytest.raises(WorkbookRejected) as refused:
        settings.import_project(db, performance_table(indicators), "bad.xlsx", by="admin")
    assert refused.value.problems[0].text().startswith(problem)
    db.rollback()
    assert db.exec(select(Project)).all() == [] and db.exec(select(AuditLog)).all() == []


def test_a_second_project_is_evaluated_through_the_command_line(engine, db):
    meilong = settings.import_project(db, performance_table(), "梅陇2025.xlsx", by="admin")
    import_workbook(
        db,
        meilong,
        workbook_bytes(
            {
                "支出明细": [
                    ["凭证号", "支付日期", "预算明细", "金额", "摘要"],
                    ["ML-1", date(2025, 2, 10), "社会调解人员“以案定补”工作经费", 1000, ""],
                    ["ML-2", date(2025, 5, 10), "社会调解人员“以案定补”工作经费", 1400, ""],
                    ["ML-3", date(2025, 7, 10), "社会调解人员“以案定补”工作经费", 600, ""],
                ],
                "以案定补": [
                    ["案件编号", "结案日期", "补贴人数", "案件类型", "调解结果", "片区"],
                    ["ML-A1", date(2025, 1, 20), 2, "劳动报酬", "调解成功", ""],
                    ["ML-A2", date(2025, 3, 20), 2, "劳动报酬", "调解成功", ""],
                    ["ML-A3", date(2025, 6, 20), 2, "工伤", "调解不成功", ""],
                    ["ML-A4", date(2025, 7, 20), 2, "工伤", "调解成功", ""],
                ],
                "满意度调查": [
                    ["问卷编号", "调查日期", "调查对象", "评价"],
                    ["ML-Q1", date(2025, 4, 1), "劳动者", "满意"],
                    ["ML-Q2", date(2025, 4, 2), "劳动者", "非常满意"],
                ],
            }
        ),
        file_name="2025-07.xlsx",
        uploaded_by="staff",
    )
    training, contracts = manual_indicators(db, meilong)
    for month, value in [(2, 30), (3, 50), (6, 40), (8, 100)]:
        enter_value(db, training, date(2025, month, 1), value, by="staff")
    for month, value in [(2, 92), (5, 96.5)]:
        enter_value(db, contracts, date(2025, month, 1), value, by="staff")

    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "kpi", "evaluate", "--db", url, "--project", NAME, "--as-of", "2025-06-30", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    third = 50 / 3
    assert [(r["seq"], r["actual"], r["status"], r["score"]) for r in result["indicators"]] == [
        (1, 400.0, "not_met", round(third * 300 / 400, 2)),  # 2,400 元 ÷ 6 persons of the three cases closed by June
        (2, 3.0, "not_met", round(third * 3 / 100, 2)),
        (3, 120.0, "not_met", round(third * 120 / 200, 2)),  # 30 + 50 + 40 人次; August's 100 not yet
        (4, 0.965, "met", 30.0),  # May's 96.5 %, the latest month reported by June
        (5, 1.0, "met", 10.0),
    ]
    assert (result["project"], result["budget"]["spent"], result["budget"]["score"]) == (NAME, 2400.0, 0.48)
    assert (result["total_score"], result["grade"], result["provisional"]) == (63.48, "中", False)
