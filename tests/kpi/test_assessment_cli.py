"""The self-assessment scripted end to end: `python -m kpi judge|not-applicable|reason|finalize` go through
kpi.assessment as the 绩效自评 page does, with its rules, its audit entries and a finalized one reopened by a change.

The seed project has no records: indicators 14, 15, 17 and 18 await judgment, 6, 7, 8 and 10 score 0 of their
weight, and the rest have no data (see tests/data_model/test_assessment.py)."""

import pytest
from sqlmodel import select

from data_model.auth import create_user
from data_model.db import session
from data_model.models import AuditLog, Project
from kpi.__main__ import main
from kpi.projects import create_project
from kpi.setup import SEED_TABLE

PENDING = {14: 3.33, 15: 3.33, 17: 10.0, 18: 10.0}  # 序号 → the score judged: full marks, no deviation to explain
NO_DATA = (1, 2, 3, 4, 5, 9, 11, 12, 13, 16, 19, 20)
SHORT = (6, 7, 8, 10)  # counts at 0: a deviation reason each
YEAR_END = ["--as-of", "2024-12-31"]


@pytest.fixture
def url(engine) -> str:
    with session(engine) as s:
        create_project(s, SEED_TABLE.read_bytes())
        create_user(s, "pingjia", "pingjia-pass-1", "evaluator", "评价员甲", by="测试")
        create_user(s, "gongzuo", "gongzuo-pass-1", "staff", "工作人员乙", by="测试")
    return engine.url.render_as_string(hide_password=False)


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", url])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err.strip()


def stored(engine) -> tuple[Project, list[tuple[str, str, str]]]:
    with session(engine) as s:
        project = s.exec(select(Project)).one()
        entries = s.exec(select(AuditLog).where(AuditLog.project_id == project.id).order_by(AuditLog.id))
        log = [(a.username, a.action, a.detail) for a in entries]
    return project, log


def test_a_whole_self_assessment_is_scripted_audited_and_reopened_by_a_later_change(url, engine, capsys):
    user = ["--user", "pingjia"]
    for seq, score in PENDING.items():
        code, said, _ = run(
            capsys,
            url,
            "judge",
            "--indicator",
            str(seq),
            "--tier",
            "达成年度指标",
            "--score",
            str(score),
            *user,
            *YEAR_END,
        )
        assert (code, said) == (0, f"第 {seq} 项指标评定为「达成年度指标」，{score:.2f} 分")
    code, _, refused = run(capsys, url, "finalize", *user, *YEAR_END)
    assert code == 2 and refused.startswith("尚不能定稿，还缺：第 1 项「“以案定补”个案补贴成本」无数据")
    for seq in NO_DATA:
        assert run(
            capsys, url, "not-applicable", "--indicator", str(seq), "--reason", "本年度未开展", *user, *YEAR_END
        )[:2] == (
            0,
            f"第 {seq} 项指标标记为不适用",
        )
    for seq in SHORT:
        assert run(capsys, url, "reason", "--indicator", str(seq), "--text", "数据尚未报送；下月补报", *user)[0] == 0
    assert run(capsys, url, "finalize", *user, *YEAR_END)[:2] == (0, "绩效自评已定稿")
    project, log = stored(engine)
    assert project.finalized_by == "pingjia"
    assert [action for _, action, _ in log] == ["judge"] * 4 + ["not_applicable"] * 12 + ["deviation_reason"] * 4 + [
        "finalize"
    ]
    assert {name for name, _, _ in log} == {"pingjia"}

    run(
        capsys,
        url,
        "judge",
        "--indicator",
        "18",
        "--tier",
        "部分达成年度指标并具有一定效果",
        "--score",
        "7",
        *user,
        *YEAR_END,
    )
    project, log = stored(engine)
    assert (project.finalized_by, project.finalized_at) == (None, None)
    assert log[-1] == (
        "pingjia",
        "judge",
        "第 18 项「长效管理机制健全有效性」评定为「部分达成年度指标并具有一定效果」，7.00 分。"
        "（自评已定稿，此修改使其重新打开）",
    )


# A refused command: its arguments, and the message on stderr (exit 2, nothing written)
REFUSED = [
    pytest.param(
        ["judge", "--indicator", "18", "--tier", "达成年度指标", "--score", "9", "--user", "gongzuo"],
        "账号「gongzuo」不是评价人员或管理员，不能填写绩效自评",
        id="staff-account",
    ),
    pytest.param(
        ["reason", "--indicator", "1", "--text", "x", "--user", "nobody"],
        "账号「nobody」不存在或已停用",
        id="unknown-account",
    ),
    pytest.param(
        ["judge", "--indicator", "21", "--tier", "达成年度指标", "--score", "9", "--user", "pingjia"],
        "项目「2024年浦锦街道劳动关系项目」没有序号为 21 的指标",
        id="unknown-indicator",
    ),
    pytest.param(
        ["judge", "--indicator", "6", "--tier", "达成年度指标", "--score", "3", "--user", "pingjia", *YEAR_END],
        "第 6 项「调解阵地建设完成数」按数据计算得分，不能评定档次；如需改动得分，请调整得分并说明理由",
        id="computed-indicator",
    ),
    pytest.param(
        ["judge", "--indicator", "18", "--tier", "达成年度指标", "--score", "7", "--user", "pingjia", *YEAR_END],
        "第 18 项「长效管理机制健全有效性」：「达成年度指标」的得分应在 [8.00, 10.00] 分之间，7.00 分超出了范围",
        id="score-outside-its-tier",
    ),
    pytest.param(
        ["not-applicable", "--indicator", "1", "--reason", "未开展", "--user", "pingjia", "--as-of", "2024-06-30"],
        "不适用须在年末标记：请将统计截至日设为 2024年12月31日",
        id="not-applicable-before-year-end",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_a_refused_step_says_why_in_chinese_and_writes_nothing(url, engine, capsys, args, message):
    assert run(capsys, url, *args) == (2, "", message)
    assert stored(engine)[1] == []
