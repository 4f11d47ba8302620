"""Command line: `python -m kpi evaluate|export|monitor`."""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from data_model.db import SchemaMismatch, make_engine, session, upgrade_schema
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
