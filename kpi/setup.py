"""Creating the schema, the seed project and (optionally) the sample year, idempotently."""

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from data_model.auth import DEMO_USERS, ensure_demo_users
from data_model.db import ROOT, create_schema, session
from data_model.importer import ImportResult, counts_text, import_workbook
from data_model.models import Project
from kpi.projects import build_project, create_project

SAMPLE_DIR = ROOT / "sample_data"
SEED_TABLE = SAMPLE_DIR / "performance_table.xlsx"
SAMPLE_USER = "示例数据"


def sample_workbooks() -> list[Path]:
    """The baseline year's statistics first, then the twelve months in order."""
    folder = SAMPLE_DIR / "2024"
    return sorted(folder.glob("baseline-*.xlsx")) + sorted(folder.glob("2024-*.xlsx"))


def init_database(engine: Engine, *, sample: bool = False) -> Iterator[str]:
    """Create what is missing and say what was done, one Chinese line at a time."""
    create_schema(engine)
    data = SEED_TABLE.read_bytes()
    with session(engine) as s:
        name = build_project(data)[0].name
        project = s.exec(select(Project).where(Project.name == name)).first()
        if project is None:
            project = create_project(s, data)
            yield f"已创建项目「{project.name}」（{project.year} 年度）"
        else:
            yield f"项目「{project.name}」已存在，未重复创建"
        if sample:
            created = ensure_demo_users(s)
            if created:
                yield "已创建演示账号：" + "、".join(f"{u}（密码 {p}）" for u, _, _, p in DEMO_USERS if u in created)
            for path in sample_workbooks():
                result = import_workbook(s, project, path.read_bytes(), file_name=path.name, uploaded_by=SAMPLE_USER)
                yield describe(path.name, result)


def describe(file_name: str, result: ImportResult) -> str:
    if result.same_as is not None:
        return f"{file_name}：与第 {result.same_as.id} 批（{result.same_as.file_name}）内容相同，未重复导入"
    return f"{file_name}：已导入为第 {result.batch.id} 批；{counts_text(result.counts)}"
