"""Command line: `python -m data_model init|import|add-project|create-user|export-all|restore|attach|attachments`. It
sits on top of both packages: the rest of data_model never imports kpi."""

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from data_model import evidence
from data_model.auth import ROLES, AuthError, create_user
from data_model.backup import moment
from data_model.db import SchemaMismatch, create_schema, make_engine, session, upgrade_schema
from data_model.importer import import_workbook
from data_model.problems import FileRefused, WorkbookRejected
from data_model.projects import find_project
from data_model.validation import how_many
from kpi.backup import restore, write_backup
from kpi.settings import import_project
from kpi.setup import describe, init_database

PASSWORD_ENV = "KPI_NEW_PASSWORD"


def _create_user(engine, args) -> int:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass("请输入密码：")
        if getpass.getpass("请再次输入密码：") != password:
            print("两次输入的密码不一致，未创建账号", file=sys.stderr)
            return 1
    create_schema(engine)
    try:
        with session(engine) as s:
            user = create_user(s, args.username, password, args.role, args.name, by="命令行")
    except AuthError as err:
        print(f"未创建账号：{err}", file=sys.stderr)
        return 1
    print(f"已创建账号「{user.username}」（{ROLES[user.role]}）")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_model", description="劳动关系项目绩效评价看板：数据库与数据导入"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="创建数据表和示例项目（绩效目标表、预算明细）")
    init.add_argument("--db", help="数据库地址，默认取 DATABASE_URL，再默认内置 SQLite 文件")
    init.add_argument("--sample", action="store_true", help="同时导入示例年度数据")
    load = commands.add_parser("import", help="校验并导入一个月度数据报送表（.xlsx）")
    load.add_argument("file", type=Path)
    load.add_argument("--db")
    load.add_argument("--project", help="项目编号或名称，默认最新年度唯一的项目")
    load.add_argument("--user", default="命令行", help="记入上传记录的上传人")
    add = commands.add_parser(
        "add-project", help="从绩效目标表工作簿（格式同 sample_data/performance_table.xlsx）新增一个项目"
    )
    add.add_argument("file", type=Path)
    add.add_argument("--db")
    add.add_argument("--user", default="命令行", help="记入操作日志的操作人")
    account = commands.add_parser("create-user", help=f"创建账号；密码取环境变量 {PASSWORD_ENV}，未设置时提示输入两次")
    account.add_argument("username", help="用户名")
    account.add_argument("--role", required=True, help="角色：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items()))
    account.add_argument("--name", default="", help="显示的姓名，默认同用户名")
    account.add_argument("--db")
    backup = commands.add_parser(
        "export-all",
        help=(
            "把一个项目的全部数据（绩效目标表、各表记录、评定、整改措施、设置、人工填报、期间锁定）备份为一个 .xlsx；"
            "有佐证材料时备份为 .zip（工作簿加全部文件）"
        ),
    )
    backup.add_argument("out", type=Path)
    backup.add_argument("--db")
    backup.add_argument("--project", help="项目编号或名称，默认最新年度唯一的项目")
    back = commands.add_parser("restore", help="把 export-all 的备份恢复到数据库（新项目，或尚无数据的同名项目）")
    back.add_argument("file", type=Path)
    back.add_argument("--db")
    back.add_argument("--user", default="命令行", help="记入上传记录和操作日志的操作人")
    attach = commands.add_parser("attach", help="为一项指标上传佐证材料（PDF、JPEG、PNG、DOCX、XLSX、OFD，至多 20 MB）")
    attach.add_argument("file", type=Path)
    attach.add_argument("--indicator", type=int, required=True, help="指标序号")
    attach.add_argument("--project", help="项目编号或名称，默认最新年度唯一的项目")
    attach.add_argument("--user", default="命令行", help="记入佐证材料和操作日志的上传人")
    attach.add_argument("--note", default="", help="说明")
    attach.add_argument("--db")
    listed = commands.add_parser("attachments", help="列出佐证材料")
    listed.add_argument("--project", help="项目编号或名称，默认最新年度唯一的项目")
    listed.add_argument("--indicator", type=int, help="只列出这一项指标（序号）的")
    listed.add_argument("--json", action="store_true", help="输出 JSON")
    listed.add_argument("--db")
    return parser


def _init(engine, args) -> int:
    for line in init_database(engine, sample=args.sample):
        print(line)
    return 0


def _export_all(engine, args) -> int:
    """The backup into OUT; a project with 佐证材料 gives a zip, which goes to OUT with the extension .zip."""
    with session(engine) as s:
        project = find_project(s, args.project)
        with args.out.open("wb") as out:
            suffix = write_backup(s, project, out)
        files = len(evidence.listing(s, project.id))
    written = args.out
    if suffix != args.out.suffix.lower():
        written = args.out.replace(args.out.with_suffix(suffix))
    with_files = f"（备份为压缩包，含 {files} 个佐证材料）" if files else ""
    print(f"已将项目「{project.name}」的全部数据备份到 {written}{with_files}")
    return 0


def _workbook(engine, args) -> bytes | None:
    """The named file's bytes, or None once its absence is said. The schema is created first, so that a database
    never initialised says "run init" instead of failing on a missing table."""
    if not args.file.is_file():
        print(f"找不到文件：{args.file}", file=sys.stderr)
        return None
    create_schema(engine)
    return args.file.read_bytes()


def _restore(engine, args) -> int:
    data = _workbook(engine, args)
    if data is None:
        return 2
    with session(engine) as s:
        project = restore(s, data, file_name=args.file.name, by=args.user)
    print(f"已从 {args.file.name} 恢复项目「{project.name}」")
    return 0


def _add_project(engine, args) -> int:
    data = _workbook(engine, args)
    if data is None:
        return 2
    with session(engine) as s:
        project = import_project(s, data, args.file.name, by=args.user)
    print(f"已新增项目「{project.name}」（{project.year} 年度），编号 {project.id}")
    return 0


def _import(engine, args) -> int:
    data = _workbook(engine, args)
    if data is None:
        return 2
    with session(engine) as s:
        project = find_project(s, args.project)
        result = import_workbook(s, project, data, file_name=args.file.name, uploaded_by=args.user, isolated=True)
    print(describe(args.file.name, result))
    for warning in result.warnings:
        print(f"提示：{warning.text()}")
    return 0


def _attach(engine, args) -> int:
    data = _workbook(engine, args)
    if data is None:
        return 2
    with session(engine) as s:
        project = find_project(s, args.project)
        upload = evidence.Upload(args.indicator, args.file.name, data, args.user, args.note)
        item = evidence.attach(s, project, upload, role=evidence.COMMAND_LINE)
    print(f"已为第 {item.seq} 项指标「{item.indicator}」上传佐证材料「{item.file_name}」（{item.size:,} 字节）")
    return 0


def _attachments(engine, args) -> int:
    upgrade_schema(engine)
    with session(engine) as s:
        project = find_project(s, args.project)
        items = evidence.listing(s, project.id, args.indicator)
    if args.json:
        fields = ("file_name", "size", "sha256", "uploaded_by")
        listed = [
            {
                "indicator": i.seq,
                **{f: getattr(i, f) for f in fields},
                "uploaded_at": moment(i.uploaded_at),
                "note": i.note,
            }
            for i in items
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=1))
        return 0
    for i in items:
        when = moment(i.uploaded_at)
        print("\t".join([str(i.seq), i.indicator, i.file_name, f"{i.size:,} 字节", i.uploaded_by, when, i.note]))
    print(f"共 {len(items)} 个佐证材料")
    return 0


COMMANDS = {
    "init": _init,
    "create-user": _create_user,
    "export-all": _export_all,
    "restore": _restore,
    "import": _import,
    "add-project": _add_project,
    "attach": _attach,
    "attachments": _attachments,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(args.db)
    try:
        return COMMANDS[args.command](engine, args)
    except WorkbookRejected as err:
        print(
            f"{'恢复' if args.command == 'restore' else '导入'}失败，未写入任何数据。"
            f"共 {how_many(err.problems)} 个问题：",
            file=sys.stderr,
        )
        for item in err.problems:
            print(f"  [{item.code}] {item.text()}", file=sys.stderr)
        return 1
    except FileRefused as err:
        print(f"未保存：{err}", file=sys.stderr)
        return 1
    except (LookupError, SchemaMismatch) as err:
        print(str(err), file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
