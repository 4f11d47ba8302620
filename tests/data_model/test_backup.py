"""备份与恢复: export-all writes everything; restoring it into a fresh database gives the same evaluation exactly."""

import io
import json
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import SQLModel, select

from data_model import admin
from data_model.__main__ import main
from data_model.audit import aware
from data_model.db import ROOT, session
from data_model.importer import import_workbook
from data_model.locks import set_locks
from data_model.models import AssessmentText, Indicator, Judgment, ManualValue, MonitorEntry, PeriodLock, Project
from data_model.problems import WorkbookRejected
from data_model.projects import find_project
from data_model.sheets import SHEETS
from data_model.xlsx import OLE2
from kpi import assessment, monitor_entries, settings
from kpi.backup import export_all, restore
from kpi.evaluate import evaluate, to_json
from kpi.manual import enter_value
from kpi.monitoring import Likelihood
from kpi.projects import create_project
from kpi.setup import SEED_TABLE, sample_workbooks
from tests.data_model.meilong import performance_table
from tests.data_model.workbooks import contents, good, upload
from tests.formulas import formulas
from tests.helpers import empty

AS_OF = (date(2024, 3, 31), date(2024, 9, 30), date(2024, 12, 31))


def by_seq(s, project: Project, seq: int) -> Indicator:
    return s.exec(select(Indicator).where(Indicator.project_id == project.id, Indicator.seq == seq)).one()


def seed_year(s) -> Project:
    """The sample year as an evaluator and an admin leave it:
    judged, overridden, explained, settings changed, finalized."""
    project = create_project(s, SEED_TABLE.read_bytes())
    for path in sample_workbooks():
        import_workbook(s, project, path.read_bytes(), file_name=path.name, uploaded_by="staff")
    assessment.judge(
        s,
        project,
        by_seq(s, project, 18).id,
        tier="达成年度指标",
        score=9.0,
        reason="制度健全，执行有效",
        by="evaluator",
    )
    assessment.override(s, project, by_seq(s, project, 16).id, score=9.5, reason="一件投诉次年初办结", by="evaluator")
    assessment.set_deviation_reason(
        s, project, by_seq(s, project, 20).id, "用工单位走访不足；下年度增加走访", by="evaluator"
    )
    assessment.set_summary(s, project, "全年完成调解阵地 3 家、普法活动 7 场。", by="evaluator")
    assessment.set_texts(s, project, {"system": "制度三项均已印发。", "project_lead": "李明"}, by="evaluator")
    first = assessment.add_action(
        s,
        project,
        by_seq(s, project, 14).id,
        action="阵地建设倒排工期",
        owner="王芳",
        due_on=date(2025, 3, 31),
        by="evaluator",
    )
    assessment.add_action(
        s,
        project,
        by_seq(s, project, 20).id,
        action="走访用工单位",
        owner="李明",
        due_on=date(2025, 6, 30),
        by="evaluator",
    )
    assessment.close_action(s, project, first.id, by="evaluator", closed_on=date(2025, 2, 10))
    settings.set_cost_rule(s, project, "deviation", by="admin")
    weights = {i.seq: i.weight for i in admin.indicators(s, project)}
    settings.set_weights(s, project, weights | {1: weights[1] + 1, 2: weights[2] - 1}, by="admin")
    set_locks(s, project, [date(2024, 1, 1), date(2024, 2, 1)], username="admin")
    monitor_entries.save(
        s,
        project,
        by_seq(s, project, 7).id,
        as_of=date(2024, 6, 30),
        likelihood=Likelihood.POSSIBLE,
        reason="下半年集中采购",
        causes=("投入保障", "其他"),
        cause_text="装备供应商延迟交货",
        suggestion="督促供应商按期交货",
        by="evaluator",
    )
    monitor_entries.save(
        s, project, by_seq(s, project, 20).id, as_of=date(2024, 12, 31), likelihood=Likelihood.POSSIBLE, by="evaluator"
    )
    project = s.get(Project, project.id)
    project.carried_over, project.other_funds = 20_000.0, 5_000.5  # as a performance table may state them
    project.finalized_by, project.finalized_at = (
        "evaluator",
        datetime(2025, 1, 15, 9, 30, 12, 345678, tzinfo=timezone.utc),
    )
    s.add(project)
    s.commit()
    return project


def meilong_year(s) -> Project:
    """Another tenant whose manually reported indicators were entered month by month."""
    project = create_project(s, performance_table())
    for month, (trained, signed) in enumerate([(40, 93.5), (35.5, 96), (60, 94.25)], start=3):
        enter_value(s, by_seq(s, project, 3), date(2025, month, 1), trained, by="staff")
        enter_value(s, by_seq(s, project, 4), date(2025, month, 1), signed, by="staff")
    return project


def new_installation(engine) -> None:
    """The database as a new installation has it: every table dropped and created again, empty."""
    empty(engine)
    SQLModel.metadata.create_all(engine)


def state(s, project: Project) -> dict:
    """What a user sees of the project: evaluations through the year and the self-assessment around them."""
    project = s.get(Project, project.id)
    year_end = date(project.year, 12, 31)
    sheet = assessment.load(s, project, year_end)
    ids = select(Indicator.id).where(Indicator.project_id == project.id)
    return {
        "evaluations": [to_json(evaluate(s, project, day.replace(year=project.year))) for day in AS_OF],
        "summary": sheet.summary,
        "actions": [(a.seq, a.action, a.owner, a.due_on, a.closed_on) for a in sheet.actions],
        "judgments": sorted(
            (
                by_seq_of(s, i),
                j.tier,
                j.score,
                j.not_applicable,
                j.reason,
                j.deviation_reason,
                j.judged_by,
                aware(j.judged_at),
            )
            for i, j in sheet.judgments.items()
        ),
        "settings": (project.cost_rule, project.finalized_by, aware(project.finalized_at)),
        "funds": (project.carried_over, project.other_funds),
        "texts": sheet.written,
        "texts_by": [
            (t.key, t.edited_by, aware(t.edited_at))
            for t in s.exec(select(AssessmentText).where(AssessmentText.project_id == project.id))
        ],
        "locks": [
            (lock.month, lock.locked_by, aware(lock.locked_at))
            for lock in s.exec(select(PeriodLock).order_by(PeriodLock.month))
        ],
        "monitor": [
            (by_seq_of(s, e.indicator_id), e.as_of, e.likelihood, e.likelihood_reason, e.causes, e.cause_text)
            + (e.suggestion, e.edited_by, aware(e.edited_at))
            for e in s.exec(select(MonitorEntry).where(MonitorEntry.indicator_id.in_(ids)).order_by(MonitorEntry.id))
        ],
        "manual": [
            (v.month, v.value, v.entered_by, aware(v.entered_at))
            for v in s.exec(
                select(ManualValue)
                .where(ManualValue.indicator_id.in_(ids))
                .order_by(ManualValue.indicator_id, ManualValue.month)
            )
        ],
    }


def by_seq_of(s, indicator_id: int) -> int:
    return s.get(Indicator, indicator_id).seq


@pytest.mark.parametrize("make", [seed_year, meilong_year])
def test_restoring_a_backup_into_a_fresh_database_reproduces_everything(engine, make):
    with session(engine) as s:
        project = make(s)
        before = state(s, project)
        backup = export_all(s, project)
    new_installation(engine)
    with session(engine) as s:
        restored = restore(s, backup, file_name="备份.xlsx", by="admin")
        assert state(s, restored) == before


def test_restoring_into_the_empty_seed_project_of_a_new_installation_reproduces_everything(engine):
    with session(engine) as s:
        project = seed_year(s)
        before = state(s, project)
        backup = export_all(s, project)
    new_installation(engine)
    with session(engine) as s:
        create_project(s, SEED_TABLE.read_bytes())  # what `python -m data_model init` leaves
        restore(s, backup, file_name="备份.xlsx", by="admin")
        assert state(s, find_project(s)) == before
        assert len(s.exec(select(Project)).all()) == 1


def test_the_normal_importer_reads_every_record_of_a_backup(engine):
    with session(engine) as s:
        project = seed_year(s)
        backup = export_all(s, project)
        before = records(s)
    new_installation(engine)
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        result = import_workbook(s, project, backup, file_name="备份.xlsx", uploaded_by="staff")
        assert {w.sheet for w in result.warnings} == {
            "项目信息",
            "预算明细",
            "绩效目标",
            "项目设置",
            "自评文字",
            "评定记录",
            "整改措施",
            "人工填报",
            "期间锁定",
            "运行监控",
            "佐证材料",
        }
        assert records(s) == before


def records(s) -> dict[str, list[dict]]:
    """The record sheets' rows without their ids and batches."""
    drop = {"id", "batch_id", "project_id"}
    return {
        name: sorted((tuple(sorted((k, str(v)) for k, v in row.items() if k not in drop)) for row in rows))
        for name, rows in contents(s).items()
        if name in {sheet.name for sheet in SHEETS}
    }


def test_restoring_into_a_project_that_already_has_data_is_refused_untouched(engine):
    with session(engine) as s:
        project = meilong_year(s)
        backup = export_all(s, project)
        before = contents(s)
        with pytest.raises(
            WorkbookRejected,
            match="数据库中已有项目「2025年梅陇镇劳动关系项目」且已有数据或绩效目标表不同，不能恢复到其中",
        ):
            restore(s, backup, file_name="备份.xlsx", by="admin")
        assert contents(s) == before


def test_a_backup_with_an_unreadable_cell_is_refused_with_its_place_and_nothing_is_written(engine):
    with session(engine) as s:
        backup = export_all(s, seed_year(s))
    book = load_workbook(io.BytesIO(backup))
    book["评定记录"]["C2"] = "很好"
    book["人工填报"].append([99, "不存在的指标", "2024-05", 1, "staff", "2024-05-31T10:00:00+08:00"])
    edited = io.BytesIO()
    book.save(edited)
    new_installation(engine)
    with session(engine) as s:
        with pytest.raises(WorkbookRejected) as refused:
            restore(s, edited.getvalue(), file_name="备份.xlsx", by="admin")
        assert [p.text() for p in refused.value.problems] == [
            "工作表「评定记录」第 2 行「档次」列："
            "应为达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差，实际为「很好」",
            "工作表「人工填报」第 2 行「序号」列：应为本项目绩效目标表中的指标序号，实际为「99」",
        ]
        assert s.exec(select(Project)).all() == []


def test_a_backups_monitoring_entries_are_checked_like_the_other_sheets(engine):
    with session(engine) as s:
        backup = export_all(s, seed_year(s))
    book = load_workbook(io.BytesIO(backup))
    sheet = book["运行监控"]
    assert [c.value for c in sheet[2]][:8] == [
        7,
        "调解队伍装备保障数",
        datetime(2024, 6, 30),
        "有可能",  # changed from 确定能, the proposal by the forecast of 15 sets at midyear
        "下半年集中采购",
        "投入保障、其他",
        "装备供应商延迟交货",
        "督促供应商按期交货",
    ]
    sheet["D2"], sheet["F2"] = "很可能", "资金不足"
    sheet.append(
        [7, "调解队伍装备保障数", "2024-06-30", None, None, None, None, None, "evaluator", "2024-07-01T10:00:00+08:00"]
    )
    edited = io.BytesIO()
    book.save(edited)
    new_installation(engine)
    with session(engine) as s:
        with pytest.raises(WorkbookRejected) as refused:
            restore(s, edited.getvalue(), file_name="备份.xlsx", by="admin")
        assert [p.text() for p in refused.value.problems] == [
            "工作表「运行监控」第 2 行「完成目标可能性」列：应为确定能、有可能、不可能，实际为「很可能」",
            "工作表「运行监控」第 2 行「偏差原因类别」列："
            "应为用「、」分隔的规划和目标设计、投入保障、制度保障、项目管理、其他，实际为「资金不足」",
            "工作表「运行监控」第 4 行「统计截至」列：与第 2 行重复：每项指标每个统计截至日只能有一条运行监控填报",
        ]
        assert s.exec(select(Project)).all() == []


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_export_all_and_restore_from_the_command_line_give_the_same_evaluate_json(tmp_path):
    source, target, out = (
        f"sqlite:///{tmp_path / 'source.db'}",
        f"sqlite:///{tmp_path / 'target.db'}",
        tmp_path / "备份.xlsx",
    )
    run("data_model", "init", "--db", source, "--sample")
    assert (
        run("data_model", "export-all", str(out), "--db", source)
        == f"已将项目「2024年浦锦街道劳动关系项目」的全部数据备份到 {out}\n"
    )
    assert (
        run("data_model", "restore", str(out), "--db", target)
        == "已从 备份.xlsx 恢复项目「2024年浦锦街道劳动关系项目」\n"
    )
    for as_of in ("2024-06-30", "2024-12-31"):
        evaluated = [run("kpi", "evaluate", "--db", db, "--as-of", as_of, "--json") for db in (source, target)]
        assert evaluated[0] == evaluated[1]
    assert json.loads(evaluated[1])["total_score"] == 87.98


def test_text_that_reads_like_a_formula_is_backed_up_as_text_and_restored_unchanged(engine):
    site, complaint, action = "=SUM(A1)", '=HYPERLINK("http://x","点我查看")', "@所有人 倒排工期"
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        import_workbook(
            s,
            project,
            upload(调解阵地=[good("调解阵地", 阵地名称=site)], 投诉处置=[good("投诉处置", 投诉编号=complaint)]),
            file_name="3月.xlsx",
            uploaded_by="staff",
        )
        assessment.judge(
            s,
            project,
            by_seq(s, project, 18).id,
            tier="达成年度指标",
            score=9.0,
            reason="+86 21 1234 电话核实",
            by="evaluator",
        )
        assessment.add_action(
            s,
            project,
            by_seq(s, project, 14).id,
            action=action,
            owner="-王芳",
            due_on=date(2025, 3, 31),
            by="evaluator",
        )
        assessment.set_summary(s, project, "=1+1", by="evaluator")
        before, stored = state(s, project), records(s)
        backup = export_all(s, project)
    book = load_workbook(io.BytesIO(backup))
    cells = [
        book["调解阵地"]["A2"],
        book["投诉处置"]["A2"],
        book["评定记录"]["E2"],
        book["整改措施"]["C2"],
        book["整改措施"]["D2"],
        book["项目设置"]["B3"],
    ]
    assert [(c.value, c.data_type) for c in cells] == [
        (text, "s") for text in (site, complaint, "+86 21 1234 电话核实", action, "-王芳", "=1+1")
    ]
    assert formulas(backup) == []
    new_installation(engine)
    with session(engine) as s:
        restored = restore(s, backup, file_name="备份.xlsx", by="admin")
        assert (state(s, restored), records(s)) == (before, stored)


def judged_backup(engine, edit) -> bytes:
    """A backup of the seed project with indicator 18 (分值 10) judged 达成年度指标 at 9 分, January locked and its
    评价结论 written, its own sheets then changed by `edit(book)`; the database is left as a new installation."""
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        assessment.set_texts(s, project, {"conclusion": "总体良好"}, by="evaluator")
        assessment.judge(
            s, project, by_seq(s, project, 18).id, tier="达成年度指标", score=9.0, reason="制度健全", by="evaluator"
        )
        set_locks(s, project, [date(2024, 1, 1)], username="admin")
        backup = export_all(s, project)
    book = load_workbook(io.BytesIO(backup))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    new_installation(engine)
    return out.getvalue()


def refused(engine, backup: bytes) -> list[str]:
    """The problems restoring `backup` is refused with; nothing may have been written."""
    with session(engine) as s:
        with pytest.raises(WorkbookRejected) as err:
            restore(s, backup, file_name="备份.xlsx", by="admin")
        assert (s.exec(select(Project)).all(), s.exec(select(Judgment)).all(), s.exec(select(PeriodLock)).all()) == (
            [],
            [],
            [],
        )
    return [p.text() for p in err.value.problems]


def test_a_file_that_cannot_be_read_safely_is_refused_with_the_reason(engine):
    xls = OLE2 + "Workbook".encode("utf-16-le")  # a legacy .xls: a compound file holding a Workbook stream
    assert refused(engine, xls) == ["这是旧版 Excel 文件（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传"]


def judged_as(tier, score):
    def edit(book):
        book["评定记录"]["C2"], book["评定记录"]["D2"] = tier, score

    return edit


@pytest.mark.parametrize(
    ("tier", "score", "problem"),
    [
        ("达成年度指标", 999, "「得分」列：「达成年度指标」的得分应在 [8.00, 10.00] 分之间，999.00 分超出了范围"),
        (
            "达成年度指标",
            10.01,
            "「得分」列：「达成年度指标」的得分应在 [8.00, 10.00] 分之间，10.01 分超出了范围",
        ),  # above the weight
        (
            "未达成年度指标且效果较差",
            -50,
            "「得分」列：「未达成年度指标且效果较差」的得分应在 [0.00, 6.00) 分之间，-50.00 分超出了范围",
        ),
        (
            "部分达成年度指标并具有一定效果",
            9,
            "「得分」列：「部分达成年度指标并具有一定效果」的得分应在 [6.00, 8.00) 分之间，9.00 分超出了范围",
        ),
        ("达成年度指标", "nan", "「得分」列：应为数字，实际为「nan」"),
        (None, 9, "「档次」列：不能为空"),
        ("达成年度指标", None, "「得分」列：不能为空"),
    ],
)
def test_a_judgment_outside_its_tiers_band_is_refused_with_its_place_and_nothing_is_written(
    engine, tier, score, problem
):
    assert refused(engine, judged_backup(engine, judged_as(tier, score))) == [f"工作表「评定记录」第 2 行{problem}"]


def marked_as(not_applicable, tier="达成年度指标", score=9, reason="制度健全"):
    def edit(book):
        sheet = book["评定记录"]
        sheet["C2"], sheet["D2"], sheet["E2"], sheet["I2"] = tier, score, reason, not_applicable

    return edit


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (marked_as("是"), ["「不适用」列：标记为不适用的指标不能同时有档次和得分"]),
        (
            marked_as("是", tier=None),
            ["「档次」列：不能为空", "「不适用」列：标记为不适用的指标不能同时有档次和得分"],
        ),
        (marked_as("是", tier=None, score=None, reason=None), ["「理由」列：标记为不适用须填写理由"]),
        (marked_as("可能"), ["「不适用」列：应为是、否，实际为「可能」"]),
    ],
)
def test_a_not_applicable_mark_with_a_score_without_a_reason_or_unreadable_is_refused(engine, edit, problem):
    assert refused(engine, judged_backup(engine, edit)) == [f"工作表「评定记录」第 2 行{p}" for p in problem]


def test_a_backup_made_before_not_applicable_existed_restores_every_judgment_as_applicable(engine):
    backup = judged_backup(engine, lambda book: book["评定记录"].delete_cols(9))
    with session(engine) as s:
        restore(s, backup, file_name="备份.xlsx", by="admin")
        assert [(j.tier, j.score, j.not_applicable) for j in s.exec(select(Judgment))] == [("达成年度指标", 9.0, False)]


def test_a_not_applicable_mark_is_backed_up_and_restored(engine):
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        assessment.mark_not_applicable(
            s, project, by_seq(s, project, 16).id, reason="全年无有效投诉", by="evaluator", as_of=date(2024, 12, 31)
        )
        before, backup = state(s, project), export_all(s, project)
    assert load_workbook(io.BytesIO(backup))["评定记录"]["I2"].value == "是"
    new_installation(engine)
    with session(engine) as s:
        project = restore(s, backup, file_name="备份.xlsx", by="admin")
        assert state(s, project) == before
        assert to_json(evaluate(s, project, date(2024, 12, 31)))["indicators"][15]["status"] == "not_applicable"


def repeated(sheet: str):
    def edit(book):
        book[sheet].append([cell.value for cell in book[sheet][2]])

    return edit


@pytest.mark.parametrize(
    ("sheet", "problem"),
    [
        ("评定记录", "工作表「评定记录」第 3 行「序号」列：与第 2 行重复：每项指标只能有一条评定记录"),
        ("期间锁定", "工作表「期间锁定」第 3 行「月份」列：与第 2 行重复：每个月份只能锁定一次"),
        ("自评文字", "工作表「自评文字」第 3 行「字段」列：与第 2 行重复：每项自评文字只能有一条"),
    ],
)
def test_a_repeated_row_is_refused_with_its_place_and_nothing_is_written(engine, sheet, problem):
    assert refused(engine, judged_backup(engine, repeated(sheet))) == [problem]


@pytest.mark.parametrize(
    ("cell", "value", "problem"),
    [
        (
            "A2",
            "签名",
            "工作表「自评文字」第 2 行「字段」列：应为评价结论、存在问题、改进措施、组织实施、资金管理、制度建设、"
            "项目负责人、财务负责人，实际为「签名」",
        ),
        ("B2", None, "工作表「自评文字」第 2 行「内容」列：不能为空"),
    ],
)
def test_a_text_of_unknown_name_or_without_its_text_is_refused(engine, cell, value, problem):
    def edit(book):
        book["自评文字"][cell] = value

    assert refused(engine, judged_backup(engine, edit)) == [problem]


def test_a_repeated_manual_value_is_refused_and_nothing_is_written(engine):
    with session(engine) as s:
        backup = export_all(s, meilong_year(s))
    book = load_workbook(io.BytesIO(backup))
    repeated("人工填报")(book)
    out = io.BytesIO()
    book.save(out)
    new_installation(engine)
    assert refused(engine, out.getvalue()) == [
        "工作表「人工填报」第 8 行「月份」列：与第 2 行重复：每项指标每月只能有一个数值"
    ]


def test_restoring_a_tampered_backup_from_the_command_line_exits_1_with_the_problem_and_no_traceback(
    engine, tmp_path, capsys
):
    path = tmp_path / "备份.xlsx"
    path.write_bytes(judged_backup(engine, repeated("评定记录")))
    empty(engine)  # the command creates the schema itself
    assert main(["restore", str(path), "--db", engine.url.render_as_string(hide_password=False)]) == 1
    assert capsys.readouterr().err == (
        "恢复失败，未写入任何数据。共 1 个问题：\n"
        "  [R001] 工作表「评定记录」第 3 行「序号」列：与第 2 行重复：每项指标只能有一条评定记录\n"
    )
