"""佐证材料 in the documents and the backup: the 自评表's mark, the `kpi export --evidence` folder, and a backup that
carries every file byte for byte (the listing with its SHA-256 identical after the round trip)."""

import io
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from data_model import evidence
from data_model.__main__ import main as data_model_main
from data_model.backup import ARCHIVE_FOLDER, ARCHIVE_WORKBOOK
from data_model.db import make_engine, session
from data_model.evidence import Item
from data_model.problems import WorkbookRejected
from data_model.projects import find_project
from kpi import assessment, export
from kpi.__main__ import main as kpi_main
from kpi.backup import export_all, restore, write_backup
from kpi.evidence import NAME_BYTES, folder_name, preview
from tests.data_model import files
from tests.data_model.test_evidence import url_of

PHOTO, REPORT, RULES = files.jpeg(), files.pdf(), files.docx("长效机制")


@pytest.fixture
def attached(db, project):
    """The seed project with three files on two indicators, by staff and an evaluator."""
    evidence.attach(db, project, evidence.Upload(8, "签到表.jpg", PHOTO, "staff", "第一场"), role="staff")
    evidence.attach(db, project, evidence.Upload(6, "验收报告.pdf", REPORT, "evaluator"), role="evaluator")
    plan = evidence.Upload(8, "活动方案.docx", RULES, "staff", record=("普法活动", "劳动法进园区"))
    evidence.attach(db, project, plan, role="staff")
    return project


def listed(db, project) -> list[tuple]:
    return [item[1:] for item in evidence.listing(db, project.id)]  # all but the id


def test_the_form_marks_each_indicator_with_evidence_under_its_name(db, attached):
    sheet = load_workbook(io.BytesIO(export.workbook(assessment.load(db, attached)))).active
    third = {row[0].row: row[2].value for row in sheet.iter_rows(min_row=13, max_row=32)}
    marked = {row: text for row, text in third.items() if "佐证材料" in text}
    assert sorted(marked.values()) == [
        "普法宣传活动完成情况\n（附佐证材料 2 份）",
        "调解阵地建设完成数\n（附佐证材料 1 份）",
    ]


@pytest.mark.parametrize(
    ("file_name", "indicator", "expected"),
    [
        ("签到表.jpg", "普法宣传活动完成情况", "007-普法宣传活动完成情况-签到表.jpg"),
        ('a/b\\c:d*e?"f<g>h|.PDF', "“以案定补”个案补贴成本", "007-“以案定补”个案补贴成本-a_b_c_d_e_f_g_h_.PDF"),
        ("..pdf", "调解阵地建设完成数", "007-调解阵地建设完成数-_.pdf"),
        ("\x00\x1f.png", "x", "007-x-_.png"),
    ],
)
def test_folder_names_are_numbered_and_safe(file_name, indicator, expected):
    item = Item(1, 8, indicator, file_name, 1, "a", "image/jpeg", "", "staff", None, None, None)
    assert folder_name(7, item) == expected


def test_a_long_name_is_cut_to_what_file_systems_hold_keeping_its_extension():
    item = Item(1, 8, "指" * 200, "长" * 200 + ".pdf", 1, "a", "application/pdf", "", "staff", None, None, None)
    name = folder_name(12, item)
    assert len(name.encode()) <= NAME_BYTES and name.startswith("012-指") and name.endswith("长.pdf")


def test_export_evidence_writes_every_file_named_by_its_number_indicator_and_name(engine, attached, tmp_path, capsys):
    folder = tmp_path / "佐证材料"
    out = ["--out", str(tmp_path / "绩效自评表.xlsx"), "--evidence", str(folder), "--as-of", "2024-12-31"]
    assert kpi_main(["export", *out, "--db", url_of(engine)]) == 0
    assert capsys.readouterr().out.endswith(f"已将 3 个佐证材料写入 {folder}\n")
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == {
        "001-调解阵地建设完成数-验收报告.pdf": REPORT,
        "002-普法宣传活动完成情况-签到表.jpg": PHOTO,
        "003-普法宣传活动完成情况-活动方案.docx": RULES,
    }


def test_a_backup_carries_every_file_and_the_listing_is_identical_after_restoring(db, attached, tmp_path):
    before = listed(db, attached)
    out = io.BytesIO()
    assert write_backup(db, attached, out) == ".zip"
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert sorted(archive.namelist()) == sorted([ARCHIVE_WORKBOOK, *(ARCHIVE_FOLDER + row[4] for row in before)])
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    data_model_main(["init", "--db", str(target.url)])
    with session(target) as s:
        project = restore(s, out.getvalue(), file_name="备份.zip", by="admin")
        assert listed(s, project) == before
        by_name = {item.file_name: item.id for item in evidence.listing(s, project.id)}
        assert evidence.content(s, project.id, by_name["签到表.jpg"]) == PHOTO
        assert evidence.content(s, project.id, by_name["活动方案.docx"]) == RULES
    target.dispose()


def test_export_all_and_restore_on_the_command_line_give_the_same_listing(engine, attached, tmp_path, capsys):
    source, target = url_of(engine), f"sqlite:///{tmp_path / 'target.db'}"
    assert data_model_main(["export-all", str(tmp_path / "备份.xlsx"), "--db", source]) == 0
    zipped = tmp_path / "备份.zip"
    said = f"已将项目「2024年浦锦街道劳动关系项目」的全部数据备份到 {zipped}（备份为压缩包，含 3 个佐证材料）\n"
    assert capsys.readouterr().out == said
    assert not (tmp_path / "备份.xlsx").exists()
    assert data_model_main(["restore", str(tmp_path / "备份.zip"), "--db", target]) == 0
    assert capsys.readouterr().out == "已从 备份.zip 恢复项目「2024年浦锦街道劳动关系项目」\n"
    listings = []
    for db in (source, target):
        assert data_model_main(["attachments", "--json", "--db", db]) == 0
        listings.append(capsys.readouterr().out)
    assert listings[0] == listings[1] and '"sha256"' in listings[0]


def test_a_backup_without_a_files_content_is_refused_naming_its_row(db, attached, tmp_path):
    out = io.BytesIO()
    write_backup(db, attached, out)
    [photo] = [item for item in evidence.listing(db, attached.id) if item.file_name == "签到表.jpg"]
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive, zipfile.ZipFile(damaged, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name, b"changed" if name == ARCHIVE_FOLDER + photo.sha256 else archive.read(name))
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    data_model_main(["init", "--db", str(target.url)])
    with session(target) as s, pytest.raises(WorkbookRejected) as refused:
        restore(s, damaged.getvalue(), file_name="备份.zip", by="admin")
    assert [p.text() for p in refused.value.problems] == [
        f"工作表「佐证材料」第 3 行「SHA-256」列：备份中没有这个文件的内容（SHA-256 {photo.sha256}），"
        "或内容与 SHA-256 不符；请使用完整的备份压缩包"
    ]
    target.dispose()


def test_a_workbook_backup_of_a_project_without_files_restores_as_before(db, project, tmp_path):
    out = io.BytesIO()
    assert write_backup(db, project, out) == ".xlsx"
    assert out.getvalue()[:2] == b"PK" and load_workbook(io.BytesIO(out.getvalue()))["佐证材料"].max_row == 1
    old = export_all(db, project)  # a single workbook, as every backup was before 佐证材料
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    data_model_main(["init", "--db", str(target.url)])
    with session(target) as s:
        restored = restore(s, old, file_name="备份.xlsx", by="admin")
        assert evidence.listing(s, restored.id) == []
    target.dispose()


def test_an_image_previews_as_itself_and_a_pdf_as_its_first_page():
    assert preview("image/jpeg", PHOTO) == PHOTO
    page = preview("application/pdf", files.pdf(pages=2))
    assert page.startswith(b"\x89PNG") and abs(load_png_width(page) - 800) <= 1  # pdfium rounds the scaled width up
    assert preview("application/pdf", b"%PDF-1.7 broken %%EOF") is None
    assert preview("application/ofd", files.ofd()) is None


def load_png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")


def test_the_sample_self_assessment_has_no_files_and_marks_nothing(sample_url):
    engine = make_engine(sample_url)
    with session(engine) as s:
        sa = assessment.load(s, find_project(s))
    engine.dispose()
    assert sa.files == [] and export.marked(sa) == sa.evaluation.indicators
    assert export.marked(replace(sa, files=[Item(1, 7, "", "a.pdf", 1, "a", "", "", "", None, None, None)]))[
        6
    ].level3 == ("调解队伍装备保障数\n（附佐证材料 1 份）")
