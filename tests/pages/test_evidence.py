"""佐证材料 on 指标详情 and in 绩效自评's 逐项评定: staff attach a photo and preview it, a leader only reads and
downloads, an evaluator attaches and removes their own file, and a refused file says why with nothing stored."""

from sqlmodel import func, select

from data_model.db import make_engine, session
from data_model.models import Evidence
from tests.data_model import files
from tests.pages.app import click, open_as

JPEG, PDF = "image/jpeg", "application/pdf"


def detail(role: str, seq: int = 8):
    at = open_as(role, "indicator.py")
    at.selectbox(key="detail_seq").set_value(seq).run()
    assert not at.exception, at.exception
    return at


def attach(at, seq: int, name: str, data: bytes, mime: str, note: str = ""):
    at.file_uploader(key=f"evidence_file_{seq}").set_value((name, data, mime))
    at.text_input(key=f"evidence_note_{seq}").input(note)
    return click(at, f"FormSubmitter:evidence_attach_{seq}-上传")


def listed(at) -> list[str]:
    return [m.value for m in at.markdown if "上传人：" in m.value]


def stored(url: str) -> int:
    engine = make_engine(url)
    with session(engine) as s:
        count = s.exec(select(func.count()).select_from(Evidence)).one()
    engine.dispose()
    return count


def test_staff_attach_a_photo_on_the_indicator_and_preview_it(fresh_url):
    at = detail("staff")
    assert [c.value for c in at.caption if "暂无" in c.value] == ["该指标暂无佐证材料。"]
    at = attach(at, 8, "签到表.jpg", files.jpeg(), JPEG, note="第一场普法活动签到")
    assert [s.value for s in at.success] == ["已上传佐证材料「签到表.jpg」"]
    [line] = listed(at)
    assert line.startswith("**签到表.jpg**　0.7 KB　上传人：演示工作人员　")
    assert [c.value for c in at.caption if c.value.startswith("说明")] == ["说明：第一场普法活动签到"]
    at.toggle(key=f"evidence_preview_{1}").set_value(True).run()
    [image] = at.get("image")
    assert image.captions == ["签到表.jpg"]
    assert [b.label for b in at.get("download_button")] == ["下载"]
    assert stored(fresh_url) == 1


def test_a_pdf_previews_its_first_page(fresh_url):
    at = attach(detail("staff", 6), 6, "验收报告.pdf", files.pdf(pages=3), PDF)
    at.toggle(key="evidence_preview_1").set_value(True).run()
    assert [image.captions for image in at.get("image")] == [["验收报告.pdf（第 1 页）"]]


def test_a_disguised_program_is_refused_on_the_page_and_nothing_is_stored(fresh_url):
    at = attach(detail("staff"), 8, "签到表.pdf", files.exe(), PDF)
    assert [e.value for e in at.error] == ["文件「签到表.pdf」的内容是可执行程序，不是PDF文件，为安全起见不能上传"]
    assert stored(fresh_url) == 0


def test_a_leader_sees_and_downloads_evidence_but_neither_attaches_nor_removes(fresh_url):
    attach(detail("staff"), 8, "签到表.jpg", files.jpeg(), JPEG)
    at = detail("leader")
    assert len(listed(at)) == 1
    assert not at.file_uploader
    assert [b.label for b in at.button if b.key and b.key.startswith("evidence_remove")] == []
    assert [b.label for b in at.get("download_button")] == ["下载"]


def test_an_evaluator_attaches_and_removes_own_files_in_the_assessment_but_not_staffs(fresh_url):
    attach(detail("staff"), 8, "签到表.jpg", files.jpeg(), JPEG)
    at = open_as("evaluator", "assessment.py")
    at.selectbox(key="assess_indicator").select_index(7).run()
    at = attach(at, 8, "活动方案.docx", files.docx(), "application/octet-stream")
    assert [s.value for s in at.success] == ["已上传佐证材料「活动方案.docx」"]
    assert [line.split("　")[0] for line in listed(at)] == ["**签到表.jpg**", "**活动方案.docx**"]
    assert [b.key for b in at.button if b.key and b.key.startswith("evidence_remove")] == ["evidence_remove_2"]
    at = click(at, "evidence_remove_2")
    assert [s.value for s in at.success] == ["已删除佐证材料「活动方案.docx」"]
    assert stored(fresh_url) == 1


def test_staff_link_a_file_to_one_of_the_records_behind_the_indicator(fresh_url):
    at = detail("staff")
    picker = at.selectbox(key="evidence_record_8")
    first = picker.options[0]
    assert first.startswith("普法活动「") and len(picker.options) == 7  # the sample year's 7 events
    picker.set_value(("普法活动", first.removeprefix("普法活动「").removesuffix("」")))
    at = attach(at, 8, "签到表.jpg", files.jpeg(), JPEG)
    assert [c.value for c in at.caption if c.value.startswith("关联记录")] == [f"关联记录：{first}"]
    engine = make_engine(fresh_url)
    with session(engine) as s:
        assert s.exec(select(Evidence.record_sheet, Evidence.record_key)).all() == [
            ("普法活动", first.removeprefix("普法活动「").removesuffix("」"))
        ]
    engine.dispose()
