"""佐证材料 in the browser: the evaluator attaches a photo in 逐项评定, sees its preview, and finds it in the downloaded
自评报告's 七、佐证材料清单."""

import io
import re

from docx import Document
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.browser import download, idle, open_page, shot
from tests.e2e.test_evaluator import pick_indicator, saved


def photo() -> bytes:
    """A 640 × 480 photo of a sign-in sheet: a white page with ruled lines."""
    image = Image.new("RGB", (640, 480), "#f4efe6")
    draw = ImageDraw.Draw(image)
    for y in range(60, 460, 40):
        draw.line((40, y, 600, y), fill="#555555", width=2)
    draw.rectangle((40, 20, 600, 460), outline="#aa2222", width=4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_evaluator_attaches_a_photo_previews_it_and_finds_it_in_the_report(login):
    page = login("evaluator")
    open_page(page, "绩效自评")
    pick_indicator(page, 8)
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="上传", exact=True))
    form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "普法活动签到表.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    # The file travels to the server on its own request; 上传 before the uploader lists it with its size (it shows a
    # progress bar until then) finds no file.
    chosen = form.get_by_role("region", name="上传佐证材料")
    expect(chosen).to_contain_text(re.compile(r"普法活动签到表\.jpg\s*[\d.]+KB"))
    expect(chosen.get_by_role("button", name="移除 普法活动签到表.jpg")).to_be_visible()  # its label Chinese too
    # So are the screen-reader labels of the form's date above it (完成时限 of 整改措施).
    expect(page.get_by_role("spinbutton", name="完成时限：年")).to_have_count(1)
    expect(page.get_by_role("button", name="选择日期")).to_have_count(1)
    form.get_by_role("textbox", name="说明").fill("第一场普法活动签到表")
    idle(page)
    form.get_by_role("button", name="上传", exact=True).click()
    saved(page, "已上传佐证材料「普法活动签到表.jpg」")
    expect(page.get_by_text(re.compile("^普法活动签到表.jpg　.*上传人：演示评价人员"))).to_be_visible()

    page.get_by_text("预览", exact=True).click()
    preview = page.get_by_test_id("stImage").filter(has_text="普法活动签到表.jpg")
    expect(preview.locator("img")).to_be_visible()
    assert preview.locator("img").evaluate("img => img.naturalWidth") == 640
    shot(page, "evidence-1-preview")

    name, content = download(page, "下载绩效自评报告（.docx）")
    report = Document(io.BytesIO(content))
    [rows] = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in report.tables
        if [cell.text for cell in table.rows[0].cells][:3] == ["序号", "指标", "文件名"]
    ]
    assert name == "绩效自评报告.docx"
    assert rows[1][:5] == ["1", "8. 普法宣传活动完成情况", "普法活动签到表.jpg", "第一场普法活动签到表", "演示评价人员"]
