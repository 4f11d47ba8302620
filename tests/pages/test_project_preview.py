"""项目管理 previews a performance table before importing it: each target's direction, the inferred ones marked for
the admin to confirm, and afterwards the project list counts them."""

from streamlit.testing.v1 import AppTest

from tests.data_model.meilong import INDICATORS, NAME, performance_table
from tests.pages.app import click, open_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The meilong table as a published one prints it: no operators on two targets, no 计算口径 on a qualitative row.
PRINTED = [
    INDICATORS[0],
    [*INDICATORS[1][:3], "100个案件", *INDICATORS[1][4:]],
    INDICATORS[2],
    [*INDICATORS[3][:3], "95%", *INDICATORS[3][4:]],
    INDICATORS[4],
    ["效益指标", "可持续影响指标", "劳动关系协调机制", "效果明显", "", "", ""],
]


def preview(at: AppTest):
    at.file_uploader(key="performance_table").set_value(("梅陇2025.xlsx", performance_table(PRINTED), XLSX))
    return at.run()


def test_the_preview_marks_inferred_directions_and_the_project_list_counts_them(fresh_url):
    at = preview(open_as("admin", "admin_projects.py"))
    shown = at.dataframe[1].value  # after the 计算口径 in their expander
    assert shown[["序号", "年度指标值", "比较方向", "比较方向来源", "计算口径"]].values.tolist() == [
        [1, "≤300 元/人/案", "≤", "表中填写", "以案定补个案补贴成本"],
        [2, "≥100个案件", "≥", "推断，请确认", "以案定补案件数"],
        [3, "≥200 人次", "≥", "表中填写", "人工填报（各月累计）"],
        [4, "≥95%", "≥", "推断，请确认", "人工填报（取最近一月）"],
        [5, "≥90.00(%)", "≥", "表中填写", "劳动者满意度"],
        [6, "效果明显", "定性", "表中填写", "人工评定"],
    ]
    assert [w.value for w in at.warning] == [
        "第 2、4 项的年度指标值没有比较符号，比较方向为推断（推断，请确认）；"
        "如不符，请在绩效目标表中写明比较符号后重新上传。"
    ]
    at = click(at, "import_project")
    assert [s.value for s in at.success] == [f"已导入项目「{NAME}」（2025 年度）"]
    listed = at.dataframe[-1].value
    assert listed[["项目名称", "比较方向为推断"]].values.tolist() == [[NAME, 2], ["2024年浦锦街道劳动关系项目", 0]]
