"""绩效自评 page: the evaluator judges, explains deviations, finalizes and downloads; the leader only reads."""

from sqlmodel import delete, select

from data_model.db import make_engine, session
from data_model.models import AssessmentText, Complaint, Project
from tests.pages.app import click, labelled, open_as

SHORT_OF_WEIGHT = (7, 14, 16, 20)  # the sample year's indicators scoring below their weight


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def pick(at, seq: int) -> None:
    at.selectbox(key="assess_indicator").select_index(seq - 1)
    at.run()


def submit(at, form: str, label: str) -> None:
    click(at, f"FormSubmitter:{form}-{label}")


def test_evaluator_judges_mechanisms_explains_deviations_and_finalizes(fresh_url):
    at = open_as("evaluator", "assessment.py")
    assert metrics(at) == {"总分（暂定）": "87.98", "评价等级": "良", "定稿前待完善": "5 项"}
    assert at.selectbox(key="assess_indicator").value == 7  # opens on the first thing missing

    pick(at, 18)
    evidence = at.dataframe[1].value
    assert len(evidence) == 3 and list(evidence.columns) == ["制度名称", "印发日期", "文号"]
    labelled(at.number_input, "得分").set_value(9.0)
    submit(at, "judge_18", "保存评定")
    assert [s.value for s in at.success] == ["已保存第 18 项的评定"]
    # 9 of 10 points: no longer pending, but now short of its weight and in want of a reason
    assert metrics(at) == {"总分": "96.98", "评价等级": "优", "定稿前待完善": "5 项"}

    for seq in (*SHORT_OF_WEIGHT, 18):
        pick(at, seq)
        reason = at.text_area(key=f"deviation_text_{seq}")  # the sample's indicator ids are their seq
        assert reason.value  # pre-filled with the facts from the data
        reason.set_value(reason.value + "。原因：……；改进措施：……")
        submit(at, f"deviation_{seq}", "保存偏差原因")
    assert metrics(at)["定稿前待完善"] == "0 项"

    at.button(key="finalize").click()
    at.run()
    [state] = [s.value for s in at.success]
    assert state.startswith("自评已定稿：演示评价人员，")  # by 姓名, not the user name
    assert metrics(at) == {"总分": "96.98", "评价等级": "优", "定稿前待完善": "0 项"}
    assert "finalize" not in [b.key for b in at.button]
    assert [d.label for d in at.download_button] == [
        "下载绩效自评表（.xlsx）",
        "下载绩效自评报告（.docx）",
        "下载绩效运行监控表（.xlsx）",
    ]
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = s.exec(select(Project)).one()
    engine.dispose()
    assert project.finalized_by == "evaluator"


def test_evaluator_finalizing_too_early_is_told_what_is_missing(fresh_url):
    at = open_as("evaluator", "assessment.py")
    at.button(key="finalize").click()
    at.run()
    assert at.error[0].value == (
        "尚不能定稿，还缺：\n\n"
        "- 第 7 项「调解队伍装备保障数」得分低于分值，缺少偏差原因分析及改进措施\n"
        "- 第 14 项「调解阵地建设完成及时性」得分低于分值，缺少偏差原因分析及改进措施\n"
        "- 第 16 项「有效投诉处置率」得分低于分值，缺少偏差原因分析及改进措施\n"
        "- 第 18 项「长效管理机制健全有效性」待评定档次和得分\n"
        "- 第 20 项「用工单位满意度」得分低于分值，缺少偏差原因分析及改进措施"
    )


def test_override_above_the_computed_score_is_refused_and_below_it_is_kept(fresh_url):
    at = open_as("evaluator", "assessment.py")
    pick(at, 14)  # 2 of 3 sites on time: 2.22 of 3.33
    assert "按数据计算得分 2.22 分；如数据质量有问题，可调低得分并说明理由，不能调高。" in [
        m.value for m in at.markdown
    ]
    labelled(at.number_input, "调整后得分").set_value(2.5)
    labelled(at.text_area, "调整理由（必填）").set_value("商圈阵地验收资料不全，酌情调低")
    submit(at, "override_14", "保存调整")
    assert at.error[0].value == "第 14 项「调解阵地建设完成及时性」得分只能调低：按数据计算为 2.22 分，2.50 分高于它"
    labelled(at.number_input, "调整后得分").set_value(2.0)
    submit(at, "override_14", "保存调整")
    assert [s.value for s in at.success] == ["已调整第 14 项的得分"]
    assert metrics(at)["总分（暂定）"] == "87.76"  # 87.98 − 2.22 + 2.00


def test_leader_reads_the_self_assessment_without_editing_it(app_url):
    at = open_as("leader", "assessment.py")
    assert metrics(at)["总分（暂定）"] == "87.98"
    assert len(at.dataframe[0].value) == 20
    assert not at.text_area and not at.number_input
    assert "finalize" not in [b.key for b in at.button]
    assert len(at.download_button) == 3  # 自评表, 自评报告, 运行监控表


def test_evaluator_writes_the_forms_texts_over_their_drafts(fresh_url):
    at = open_as("evaluator", "assessment.py")
    conclusion = at.text_area(key="text_conclusion")
    assert conclusion.value.startswith("项目自评总分 87.98 分，评价等级为“良”。")  # drafted from the data
    assert at.text_area(key="text_system").value.startswith("已建立长效管理机制，印发制度 3 项：")
    conclusion.set_value("项目总体完成较好。")
    at.text_input(key="text_project_lead").set_value("李明")
    submit(at, "texts", "保存自评文字")
    assert [s.value for s in at.success] == ["已保存自评文字"]
    assert (at.text_area(key="text_conclusion").value, at.text_input(key="text_project_lead").value) == (
        "项目总体完成较好。",
        "李明",
    )
    engine = make_engine(fresh_url)
    with session(engine) as s:
        stored = {t.key: (t.text, t.edited_by) for t in s.exec(select(AssessmentText))}
    engine.dispose()
    assert stored == {"conclusion": ("项目总体完成较好。", "evaluator"), "project_lead": ("李明", "evaluator")}


def test_leader_reads_the_forms_texts(app_url):
    at = open_as("leader", "assessment.py")
    texts = [t.value for t in at.text]
    assert any(t.startswith("项目由闵行区浦锦街道办事处主管") for t in texts)  # 组织实施, as drafted


def test_staff_may_not_open_the_self_assessment(app_url):
    at = open_as("staff", "assessment.py")
    assert [e.value for e in at.error] == ["您没有权限访问此页面。如需访问，请联系管理员。"]


def test_evaluator_marks_an_indicator_without_data_not_applicable_and_the_total_is_rescaled(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        s.exec(delete(Complaint))  # no valid complaint all year: 有效投诉处置率 has no data
        s.commit()
    engine.dispose()
    at = open_as("evaluator", "assessment.py")
    assert metrics(at) == {"总分（暂定）": "78.23", "评价等级": "中", "定稿前待完善": "5 项"}
    pick(at, 16)
    labelled(at.text_area, "不适用理由（必填）").set_value("本年度未受理有效投诉")
    submit(at, "not_applicable_16", "标记为不适用")
    assert [s.value for s in at.success] == ["已将第 16 项标记为不适用"]
    assert metrics(at) == {"总分（暂定）": "86.92", "评价等级": "良", "定稿前待完善": "4 项"}
    assert "第 16 项不适用，不计分；总分按适用指标分值 90.00 分折算为百分制" in [c.value for c in at.caption]
    row = at.dataframe[0].value.iloc[15]
    assert (row["状态"], row["评分方式"], row["得分"]) == ("⚪ 不适用", "不适用", 0.0)

    pick(at, 16)
    assert at.button(key="withdraw_16").label == "撤销不适用标记"
    click(at, "withdraw_16")
    assert [s.value for s in at.success] == ["已撤销第 16 项的不适用标记"]
    assert metrics(at)["总分（暂定）"] == "78.23"


def test_the_chosen_indicator_stays_chosen_after_its_judgment_is_saved(fresh_url):
    at = open_as("evaluator", "assessment.py")
    pick(at, 18)
    labelled(at.number_input, "得分").set_value(9.0)
    submit(at, "judge_18", "保存评定")
    assert [s.value for s in at.success] == ["已保存第 18 项的评定"]
    assert at.selectbox(key="assess_indicator").value == 18
    assert at.selectbox(key="assess_indicator").options[17].endswith("（评定，9.00 / 10.00 分）")
