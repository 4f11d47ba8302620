"""运行监控 page: the evaluator reviews the proposed 完成目标可能性, changes one with a reason, analyses a deviation
and downloads the form; the leader only reads; staff are refused."""

from sqlmodel import select

from data_model.db import make_engine, session
from data_model.models import AuditLog, MonitorEntry
from tests.pages.app import click, open_as

KEY = "20_20241231"  # 用工单位满意度 (the sample's indicator ids are their seq) as of the sample year's end


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_evaluator_changes_a_likelihood_with_its_reason_and_analyses_the_deviation(fresh_url):
    at = open_as("evaluator", "monitor.py")
    assert at.title[0].value == "运行监控"
    table = at.dataframe[0].value
    assert len(table) == 20 and table["完成目标可能性"].notna().all()
    assert metrics(at) == {
        "截至统计日执行数（万元）": "14.48",
        "执行率": "96.53%",
        "确定能": "15 项",
        "有可能": "4 项",  # 7 (15 of 16 sets), 16 (97.5 %), 18 (awaiting judgment), 20 (83.33 % against 85 %)
        "不可能": "1 项",  # 14: 2 of 3 sites on time
    }
    at.selectbox(key="monitor_indicator").select_index(19)
    at.run()
    assert at.caption[-1].value.startswith("按预计：有可能（")  # 83.33 % against ≥85 %: within 10 %
    at.radio(key=f"monitor_likelihood_{KEY}").set_value("unlikely")
    click(at, f"FormSubmitter:monitor_{KEY}-保存")
    assert at.error[0].value == (
        "第 20 项「用工单位满意度」的完成目标可能性按预计为「有可能」，改为「不可能」须填写理由"
    )

    at.text_input(key=f"monitor_reason_{KEY}").input("年内不再开展调查")
    at.multiselect(key=f"monitor_causes_{KEY}").select("项目管理")
    at.text_area(key=f"monitor_cause_text_{KEY}").input("用工单位对调解时效不满")
    at.text_area(key=f"monitor_suggestion_{KEY}").input("缩短调解周期")
    click(at, f"FormSubmitter:monitor_{KEY}-保存")
    assert [s.value for s in at.success] == ["已保存第 20 项的运行监控填报"]
    assert (metrics(at)["有可能"], metrics(at)["不可能"]) == ("3 项", "2 项")
    row = at.dataframe[0].value.iloc[19]
    assert (row["按预计"], row["完成目标可能性"], row["偏差原因分析"], row["相关建议或举措"]) == (
        "有可能",
        "不可能（已调整）",
        "【项目管理】用工单位对调解时效不满",
        "缩短调解周期",
    )

    assert at.download_button(key="download_monitor").label == "下载绩效运行监控表（.xlsx）"
    engine = make_engine(fresh_url)
    with session(engine) as s:
        [entry] = s.exec(select(MonitorEntry)).all()
        [logged] = s.exec(select(AuditLog).where(AuditLog.action == "monitor_entry")).all()
    engine.dispose()
    assert (entry.likelihood, entry.likelihood_reason, entry.edited_by) == ("unlikely", "年内不再开展调查", "evaluator")
    assert logged.username == "evaluator" and "不可能" in logged.detail


def test_leader_reads_the_monitoring_form_without_editing_it(app_url):
    at = open_as("leader", "monitor.py")
    assert len(at.dataframe[0].value) == 20
    assert not at.radio and not at.text_area and not at.get("form")
    assert [d.label for d in at.download_button] == ["下载绩效运行监控表（.xlsx）"]


def test_staff_may_not_open_the_monitoring_form(app_url):
    at = open_as("staff", "monitor.py")
    assert at.error[0].value == "您没有权限访问此页面。如需访问，请联系管理员。"
