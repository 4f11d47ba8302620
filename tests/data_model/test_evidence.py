"""佐证材料: attaching by content, listing without content, downloading byte for byte, each refusal with its message
and nothing stored, the role rules, removal audited and refused while final; and the two commands."""

import hashlib
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func
from sqlmodel import select

from data_model import evidence
from data_model.__main__ import main
from data_model.audit import local_time
from data_model.models import AuditLog, Evidence, Project
from data_model.problems import FileRefused
from data_model.sniff import MAX_BYTES
from kpi import assessment
from tests.data_model import files

KINDS = [
    ("签到表.jpg", files.jpeg(), "image/jpeg"),
    ("现场照片.PNG", files.png(), "image/png"),
    ("验收报告.pdf", files.pdf(), "application/pdf"),
    ("长效机制.docx", files.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("调查问卷汇总.xlsx", files.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("电子凭证.ofd", files.ofd(), "application/ofd"),
]


def stored(db) -> int:
    return db.exec(select(func.count()).select_from(Evidence)).one()


def attach(db, project, name: str, data: bytes, seq: int = 8, by: str = "staff", role: str | None = "staff", note=""):
    return evidence.attach(db, project, evidence.Upload(seq, name, data, by, note), role=role)


@pytest.mark.parametrize(("name", "data", "mime"), KINDS)
def test_an_accepted_file_is_listed_with_its_facts_and_downloads_byte_for_byte(db, project, name, data, mime):
    item = attach(db, project, name, data, note="  第一场活动  ")
    assert evidence.listing(db, project.id) == [item]
    assert item._replace(id=0, uploaded_at=None) == evidence.Item(
        0, 8, "普法宣传活动完成情况", name, len(data), hashlib.sha256(data).hexdigest(), mime, "第一场活动", "staff",
        None, None, None,
    )  # fmt: skip
    assert (datetime.now(timezone.utc) - item.uploaded_at).total_seconds() < 60
    assert evidence.content(db, project.id, item.id) == data


def test_a_name_keeps_no_folder_a_browser_or_shell_put_before_it(db, project):
    item = attach(db, project, "C:\\fakepath\\..\\签到表.jpg", files.jpeg())
    other = attach(db, project, "../../etc/照片.png", files.png())
    assert [item.file_name, other.file_name] == ["签到表.jpg", "照片.png"]


def encrypted_pdf() -> bytes:
    data = files.pdf()
    return data.replace(b"trailer", b"trailer\n<< /Encrypt 9 0 R >>", 1)


def ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + stream.encode("utf-16-le") + b"\x00" * 64


ONLY = "只接受 PDF、JPEG/PNG 图片、Word（.docx）、Excel（.xlsx）和 OFD 文件"
SAVE_AS = "未保存；请用原程序打开后另存，再上传"
LOCKED = "设置了密码（已加密），审阅人无法打开，未保存；请取消密码后再上传"
REFUSALS = [
    ("空白.pdf", b"", "文件「空白.pdf」是空文件（0 字节），未保存；请选择正确的文件"),
    (
        "扫描件.pdf",
        b"%PDF-1.7\n" + b"0" * MAX_BYTES + b"\n%%EOF",
        "文件「扫描件.pdf」大小 20.0 MB，超过上限 20.0 MB，未保存；请压缩或拆分后再上传",
    ),
    (
        "程序.exe",
        files.exe(),
        f"文件「程序.exe」的类型（.exe）不能作为佐证材料；{ONLY}",
    ),
    ("说明", files.pdf(), f"文件「说明」的类型（无扩展名）不能作为佐证材料；{ONLY}"),
    ("验收报告.pdf", files.exe(), "文件「验收报告.pdf」的内容是可执行程序，不是PDF文件，为安全起见不能上传"),
    (
        "照片.jpg",
        b"#!/bin/sh\nrm -rf /\n",
        ("文件「照片.jpg」的内容是可执行程序，不是JPEG 图片文件，为安全起见不能上传"),
    ),
    (
        "验收报告.pdf",
        files.jpeg(),
        "文件「验收报告.pdf」的内容是JPEG 图片，与扩展名「.pdf」不符，未保存；请改正扩展名或选择正确的文件",
    ),
    (
        "汇总.docx",
        files.xlsx(),
        "文件「汇总.docx」的内容是Excel（.xlsx），与扩展名「.docx」不符，未保存；请改正扩展名或选择正确的文件",
    ),
    ("照片.png", b"just some text", f"文件「照片.png」的内容不是有效的PNG 图片文件，{SAVE_AS}"),
    (
        "制度.docx",
        files.zipped({"readme.txt": b"hello"}),
        f"文件「制度.docx」的内容不是有效的Word（.docx）文件，{SAVE_AS}",
    ),
    (
        "制度.docx",
        files.encrypted_zip_docx(),
        f"文件「制度.docx」{LOCKED}",
    ),
    (
        "制度.docx",
        ole2("EncryptedPackage"),
        f"文件「制度.docx」{LOCKED}",
    ),
    ("验收报告.pdf", encrypted_pdf(), f"文件「验收报告.pdf」{LOCKED}"),
    (
        "制度.docx",
        ole2("WordDocument"),
        ("文件「制度.docx」是旧版 Office 文件（.doc / .xls），未保存；请另存为 .docx 或 .xlsx 后再上传"),
    ),
    (
        "制度.docx",
        files.corrupt_docx(),
        "文件「制度.docx」已损坏或不完整（「word/document.xml」无法解压），未保存；请用原程序重新保存后再上传",
    ),
    (
        "制度.docx",
        files.docx()[:-200],
        "文件「制度.docx」已损坏或不完整（压缩包目录无法读取），未保存；请用原程序重新保存后再上传",
    ),
    (
        "验收报告.pdf",
        files.pdf()[:-40],
        "文件「验收报告.pdf」已损坏或不完整（缺少 PDF 文件结尾），未保存；请用原程序重新保存后再上传",
    ),
    (
        "照片.jpg",
        files.jpeg()[:20],
        "文件「照片.jpg」已损坏或不完整（图片数据无法读取），未保存；请用原程序重新保存后再上传",
    ),
    (
        "台账.xlsx",
        files.zipped({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\x00macro"}),
        "文件「台账.xlsx」含有宏，为安全起见不能上传；请另存为不含宏的 .docx 或 .xlsx 后再上传",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSALS)
def test_a_refused_file_says_why_and_nothing_is_stored(db, project, name, data, message):
    with pytest.raises(FileRefused) as refused:
        attach(db, project, name, data)
    assert str(refused.value) == message
    assert stored(db) == 0
    assert db.exec(select(AuditLog).where(AuditLog.action == "evidence_add")).all() == []


def test_the_same_content_twice_on_one_indicator_is_already_there_but_another_indicator_may_have_it(db, project):
    first = attach(db, project, "签到表.jpg", files.jpeg())
    with pytest.raises(FileRefused) as again:
        attach(db, project, "签到表（副本）.jpg", files.jpeg(), by="evaluator", role="evaluator")
    assert str(again.value) == (
        "指标「普法宣传活动完成情况」已有相同内容的佐证材料「签到表.jpg」"
        f"（staff，{local_time(first.uploaded_at)} 上传），无需重复上传"
    )
    assert attach(db, project, "签到表.jpg", files.jpeg(), seq=13).seq == 13
    assert [(i.seq, i.file_name) for i in evidence.listing(db, project.id)] == [(8, "签到表.jpg"), (13, "签到表.jpg")]


def test_an_unknown_indicator_or_file_is_refused(db, project):
    with pytest.raises(FileRefused, match="^项目中没有序号为 21 的指标$"):
        attach(db, project, "签到表.jpg", files.jpeg(), seq=21)
    with pytest.raises(FileRefused, match=r"^佐证材料（编号 99）不存在或已被删除$"):
        evidence.content(db, project.id, 99)


def test_lists_select_the_metadata_never_the_content(db, project, engine):
    attach(db, project, "签到表.jpg", files.jpeg())
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    evidence.listing(db, project.id)
    evidence.counts(db, project.id)
    assert statements and not any("content" in statement for statement in statements)


@pytest.mark.parametrize(
    ("role", "allowed"), [("leader", False), ("staff", True), ("evaluator", True), ("admin", True)]
)
def test_staff_evaluators_and_admins_attach_and_a_leader_is_refused(db, project, role, allowed):
    if allowed:
        assert attach(db, project, "签到表.jpg", files.jpeg(), by=role, role=role).uploaded_by == role
    else:
        with pytest.raises(FileRefused, match="^领导不能上传佐证材料；如需上传，请联系工作人员或评价人员$"):
            attach(db, project, "签到表.jpg", files.jpeg(), by=role, role=role)
    assert stored(db) == int(allowed)


@pytest.mark.parametrize(
    ("by", "role", "allowed"),
    [("staff", "staff", True), ("admin", "admin", True), ("evaluator", "evaluator", False), ("other", "staff", False)],
)
def test_only_the_uploader_or_an_admin_removes_a_file_and_removing_is_audited(db, project, by, role, allowed):
    item = attach(db, project, "签到表.jpg", files.jpeg())
    if not allowed:
        with pytest.raises(FileRefused, match="^只有上传人（staff）或管理员可以删除佐证材料「签到表.jpg」$"):
            evidence.remove(db, project, item.id, by=by, role=role)
        assert stored(db) == 1
        return
    evidence.remove(db, project, item.id, by=by, role=role)
    assert stored(db) == 0
    [entry] = db.exec(select(AuditLog).where(AuditLog.action == "evidence_remove")).all()
    assert (entry.username, entry.project_id, entry.detail) == (
        by,
        project.id,
        f"删除第 8 项指标的佐证材料「签到表.jpg」（staff 上传，SHA-256 {item.sha256}）",
    )


def test_a_final_self_assessment_keeps_its_files_until_it_is_reopened(db, project):
    item = attach(db, project, "签到表.jpg", files.jpeg())
    final = db.get(Project, project.id)
    final.finalized_by, final.finalized_at = "evaluator", datetime(2025, 1, 15, tzinfo=timezone.utc)
    db.add(final)
    db.commit()
    with pytest.raises(FileRefused) as refused:
        evidence.remove(db, project, item.id, by="admin", role="admin")
    assert str(refused.value) == (
        "自评已定稿，佐证材料「签到表.jpg」不能删除；自评重新打开（修改任一评定、偏差原因或自评文字）后才能删除"
    )
    assert stored(db) == 1
    assessment.set_summary(db, project, "全年完成普法活动 7 场。", by="evaluator")  # any change reopens it
    evidence.remove(db, project, item.id, by="staff", role="staff")
    assert stored(db) == 0


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_attach_and_attachments_on_the_command_line(engine, project, tmp_path, capsys):
    photo, program = tmp_path / "签到表.jpg", tmp_path / "验收报告.pdf"
    photo.write_bytes(files.jpeg())
    program.write_bytes(files.exe())
    db = url_of(engine)
    assert main(["attach", str(photo), "--indicator", "8", "--note", "第一场", "--user", "staff", "--db", db]) == 0
    said = f"已为第 8 项指标「普法宣传活动完成情况」上传佐证材料「签到表.jpg」（{len(files.jpeg()):,} 字节）\n"
    assert capsys.readouterr().out == said
    assert main(["attach", str(program), "--indicator", "3", "--db", db]) == 1
    assert (
        capsys.readouterr().err == "未保存：文件「验收报告.pdf」的内容是可执行程序，不是PDF文件，为安全起见不能上传\n"
    )
    assert main(["attachments", "--json", "--db", db]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed.pop("uploaded_at").endswith("+08:00")
    assert listed == {
        "indicator": 8,
        "file_name": "签到表.jpg",
        "size": len(files.jpeg()),
        "sha256": hashlib.sha256(files.jpeg()).hexdigest(),
        "uploaded_by": "staff",
        "note": "第一场",
    }
    assert main(["attachments", "--indicator", "3", "--db", db]) == 0
    assert capsys.readouterr().out == "共 0 个佐证材料\n"
