"""The evaluator in the browser: deviation reasons, judging indicator 18, finalizing, and the two downloads opened."""

import io
import re

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.browser import download, idle, metric, open_page, shot

# Each deviation reason comes pre-filled with the facts; waiting for them also waits for the picked indicator's form.
DRAFTS = {
    7: "完成 15 套，较目标少 1 套",
    14: "按期建成 2 家，应建成 3 家，1 家逾期",
    16: "有效投诉 40 件，已办结 39 件，1 件未办结",
    20: "调查用工单位 60 家次，满意 50 家次，满意度 83.33%，低于目标 85.00%",
}
REASON = "第四季度新建的商圈调解站因场地移交推迟 22 天建成；已建立阵地建设周报制度，逐月跟踪进度。"


def pick_indicator(page, seq: int) -> None:
    page.get_by_role("combobox", name="选择指标").click()
    page.keyboard.type(f"{seq}. ")  # the list shows its first options only; typing narrows it
    page.get_by_role("option", name=re.compile(rf"^{seq}\. ")).click()
    expect(page.get_by_role("combobox", name="选择指标")).to_have_value(re.compile(rf"^{seq}\. "))
    idle(page)


def saved(page, text: str) -> None:
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text(text, exact=True)).to_be_visible()
    idle(page)


def test_evaluator_explains_deviations_judges_finalizes_and_downloads_both_files(login):
    page = login("evaluator")
    open_page(page, "绩效自评")
    expect(metric(page, "定稿前待完善")).to_have_text("5 项")
    shot(page, "evaluator-1-assessment")

    for seq, draft in DRAFTS.items():
        pick_indicator(page, seq)
        reason = page.get_by_role("textbox", name="偏差原因分析及改进措施")
        expect(reason).to_have_count(1)  # the previous indicator's form is gone once the run is over
        expect(reason).to_have_value(re.compile("^" + re.escape(draft)))
        if seq == 14:
            reason.fill(REASON)
            shot(page, "evaluator-2-deviation-reason")
        page.get_by_role("button", name="保存偏差原因").click()
        saved(page, f"已保存第 {seq} 项的偏差原因分析及改进措施")

    pick_indicator(page, 18)
    judge = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="保存评定"))
    expect(judge.get_by_role("combobox", name="档次")).to_have_value("达成年度指标")
    judge.get_by_role("spinbutton", name="得分").fill("10")
    judge.get_by_role("textbox", name="评定依据").fill("已印发劳动关系矛盾联调联处等 3 项制度，运行有效。")
    shot(page, "evaluator-3-judge")
    judge.get_by_role("button", name="保存评定").click()
    saved(page, "已保存第 18 项的评定")
    expect(metric(page, "定稿前待完善")).to_have_text("0 项")

    idle(page)
    page.get_by_role("button", name="定稿", exact=True).click()
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="自评已定稿：演示评价人员")).to_be_visible()
    expect(metric(page, "总分")).to_have_text("97.98")  # 87.98 and the 10 points judged for indicator 18
    expect(metric(page, "评价等级")).to_have_text("优")
    shot(page, "evaluator-4-finalized")

    name, content = download(page, "下载绩效自评表（.xlsx）")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert name == "绩效自评表.xlsx"
    assert sheet["A1"].value == "财政项目支出绩效自评表（2024年度）"  # final: no 暂定
    assert {"总分", "97.98", "评价等级", "优", REASON} <= cells

    name, content = download(page, "下载绩效自评报告（.docx）")
    text = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert name == "绩效自评报告.docx"
    assert text[0] == "2024年浦锦街道劳动关系项目\n绩效自评报告"
    assert any(line.startswith("项目自评总分 97.98 分，评价等级为“优”。") for line in text)
    assert any(line.startswith("本自评已于") and line.endswith("定稿（演示评价人员）。") for line in text)
