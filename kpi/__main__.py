"""Command line: `python -m kpi evaluate|export|monitor`, and the self-assessment scripted: `judge`, `not-applicable`,
`reason` and `finalize` go through kpi.assessment as the 绩效自评 page does (its rules, audit entries and reopening
a finalized self-assessment)."""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from data_model.db import SchemaMismatch, make_engine, session, upgrade_schema
from data_model.models import Indicator, Project, User
from data_model.problems import UserError
from data_model.projects import find_project
from kpi import assessment, monitor_entries, scoring
from kpi.evaluate import evaluate, to_json
from kpi.formatting import money, percent, target
from kpi.metrics import actual_text


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"统计日期应为 YYYY-MM-DD 格式，实际为「{text}」") from None


def _print_table(ev, pending: bool) -> None:
    print(f"{ev.project}　统计日期 {ev.as_of:%Y-%m-%d}　序时进度 {percent(ev.elapsed_share)}")
    b = ev.budget
    print(
        f"预算执行率：{percent(b.execution_rate)}（已支出 {money(b.spent)} 元 / 预算 {money(b.planned)} 元），"
        f"得分 {b.score:.2f} / {b.weight:.2f}"
    )
    for r in ev.indicators:
        status = scoring.STATUS_LABELS[r.status]
        print(
            f"{r.seq:>2}. {r.level3}｜目标 {target(r.target)}｜实际 {actual_text(r.metric_key, r.actual, r.unit)}｜"
            f"{status}｜得分 {r.score:.2f} / {r.weight:.2f}"
        )
    mark = "（暂定：尚有定性指标待评定）" if pending else ""
    print(f"总分 {ev.total_score:.2f}，评价等级 {ev.grade}{mark}")


def _export(sa: assessment.SelfAssessment, out: Path, docx: Path | None) -> None:
    from kpi import export, report  # drawing the report's charts pulls in matplotlib: only when exporting

    out.write_bytes(export.workbook(sa))
    written = [str(out)]
    if docx is not None:
        docx.write_bytes(report.document(sa))
        written.append(str(docx))
    ev = sa.evaluation
    state = "已定稿" if sa.standing is assessment.Standing.FINAL else "暂定"
    print(f"已导出：{'、'.join(written)}（{state}）。总分 {ev.total_score:.2f}，评价等级 {ev.grade}")


def _evidence(s, project, folder: Path) -> None:
    from kpi.evidence import write_folder

    written = write_folder(s, project, folder)
    print(f"已将 {len(written)} 个佐证材料写入 {folder}")


def _monitor(form: monitor_entries.MonitorForm, out: Path) -> None:
    from kpi import monitor_form

    out.write_bytes(monitor_form.workbook(form))
    print(f"已导出：{out}（{monitor_form.title(form)}，统计截至 {form.evaluation.as_of:%Y-%m-%d}）")


ASSESSORS = ("evaluator", "admin")  # who may write the self-assessment, as on the 绩效自评 page


def _assessor(s: Session, username: str) -> str:
    user = s.exec(select(User).where(User.username == username)).first()
    if user is None or user.disabled:
        raise assessment.AssessmentError(f"账号「{username}」不存在或已停用")
    if user.role not in ASSESSORS:
        raise assessment.AssessmentError(f"账号「{username}」不是评价人员或管理员，不能填写绩效自评")
    return user.username


def _indicator_id(s: Session, project: Project, seq: int) -> int:
    found = s.exec(select(Indicator.id).where(Indicator.project_id == project.id, Indicator.seq == seq)).first()
    if found is None:
        raise assessment.AssessmentError(f"项目「{project.name}」没有序号为 {seq} 的指标")
    return found


def _assess(s: Session, project: Project, args) -> str:
    """One scripted step of the self-assessment; returns what was done, in Chinese."""
    by = _assessor(s, args.user)
    if args.command == "finalize":
        assessment.finalize(s, project, by=by, as_of=args.as_of)
        return "绩效自评已定稿"
    indicator = _indicator_id(s, project, args.indicator)
    if args.command == "judge":
        assessment.judge(
            s, project, indicator, tier=args.tier, score=args.score, reason=args.reason, by=by, as_of=args.as_of
        )
        return f"第 {args.indicator} 项指标评定为「{args.tier}」，{scoring.points(args.score):.2f} 分"
    if args.command == "not-applicable":
        assessment.mark_not_applicable(s, project, indicator, reason=args.reason, by=by, as_of=args.as_of)
        return f"第 {args.indicator} 项指标标记为不适用"
    assessment.set_deviation_reason(s, project, indicator, args.text, by=by)
    return f"第 {args.indicator} 项指标的偏差原因分析及改进措施已保存"


def _assessment_commands(commands, common: argparse.ArgumentParser) -> None:
    who = argparse.ArgumentParser(add_help=False, parents=[common])
    who.add_argument("--user", required=True, help="操作人的用户名（评价人员或管理员），记入操作日志")
    one = argparse.ArgumentParser(add_help=False, parents=[who])
    one.add_argument("--indicator", type=int, required=True, help="指标序号")
    judge = commands.add_parser("judge", parents=[one], help="评定定性指标的档次和得分")
    judge.add_argument("--tier", required=True, choices=list(scoring.TIERS_BY_NAME), help="档次")
    judge.add_argument("--score", type=float, required=True, help="得分，须在档次的分数区间内")
    judge.add_argument("--reason", default="", help="评定理由")
    absent = commands.add_parser("not-applicable", parents=[one], help="年末把全年无数据的指标标记为不适用")
    absent.add_argument("--reason", required=True, help="不适用的理由")
    reason = commands.add_parser("reason", parents=[one], help="填写偏差原因分析及改进措施")
    reason.add_argument("--text", required=True, help="偏差原因分析及改进措施")
    commands.add_parser("finalize", parents=[who], help="绩效自评定稿")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kpi", description="劳动关系项目绩效评价看板：指标评价、自评导出与运行监控"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="数据库地址，默认取 DATABASE_URL，再默认内置 SQLite 文件")
    common.add_argument("--project", help="项目编号或名称，默认最新年度唯一的项目")
    common.add_argument("--as-of", type=_as_of, help="统计日期 YYYY-MM-DD，须在项目年度内；默认今天（限于项目年度内）")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("evaluate", parents=[common], help="评价全部指标")
    run.add_argument("--json", action="store_true", help="输出 JSON")
    out = commands.add_parser("export", parents=[common], help="导出绩效自评表（.xlsx），可同时导出自评报告（.docx）")
    out.add_argument("--out", type=Path, required=True, help="绩效自评表文件，如 绩效自评表.xlsx")
    out.add_argument("--docx", type=Path, help="同时导出绩效自评报告，如 绩效自评报告.docx")
    out.add_argument("--evidence", type=Path, help="同时把全部佐证材料写入此文件夹，命名为「序号-指标-文件名」")
    watch = commands.add_parser("monitor", parents=[common], help="导出绩效运行监控表（.xlsx）")
    watch.add_argument("--out", type=Path, required=True, help="绩效运行监控表文件，如 绩效运行监控表.xlsx")
    _assessment_commands(commands, common)
    args = parser.parse_args(argv)

    engine = make_engine(args.db)
    try:
        upgrade_schema(engine)  # a database made by an earlier version is upgraded first
        with session(engine) as s:
            project = find_project(s, args.project)
            if args.command == "export":
                _export(assessment.load(s, project, args.as_of), args.out, args.docx)
                if args.evidence is not None:
                    _evidence(s, project, args.evidence)
                return 0
            if args.command == "monitor":
                _monitor(monitor_entries.load(s, project, args.as_of), args.out)
                return 0
            if args.command in ("judge", "not-applicable", "reason", "finalize"):
                print(_assess(s, project, args))
                return 0
            ev = evaluate(s, project, args.as_of)
            pending = assessment.standing(project, ev) is assessment.Standing.PENDING
    except (LookupError, UserError, SchemaMismatch) as err:  # no such project, an as-of outside its year, …
        print(str(err), file=sys.stderr)
        return 2
    except OSError as err:
        print(f"无法写入文件：{err.filename}（{err.strerror}）", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(to_json(ev), ensure_ascii=False, indent=2))
    else:
        _print_table(ev, pending)
    return 0


if __name__ == "__main__":
    sys.exit(main())
