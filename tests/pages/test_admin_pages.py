"""The 管理 pages and 指标填报, driven as an admin and a staff member would."""

from datetime import date

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from data_model.db import make_engine, session
from data_model.models import Indicator, ManualValue, Project, User
from tests.data_model.meilong import INDICATORS, NAME, performance_table
from tests.pages.app import click, login_form, open_as, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stored(url: str, *columns, where=()):
    engine = make_engine(url)
    with session(engine) as s:
        rows = s.exec(select(*columns).where(*where)).all()
    engine.dispose()
    return rows


def users_table(at: AppTest) -> dict[str, tuple[str, str]]:
    table = at.dataframe[-1].value
    return {row["用户名"]: (row["角色"], row["状态"]) for _, row in table.iterrows()}


def fill_new_user(at: AppTest, username: str, password: str, again: str) -> AppTest:
    at.text_input(key="new_username").input(username)
    at.text_input(key="new_name").input("张三")
    at.selectbox(key="new_role").select("evaluator")
    at.text_input(key="new_password_1").input(password)
    at.text_input(key="new_password_2").input(again)
    return click(at, "FormSubmitter:create_user-创建用户")


def test_an_admin_creates_an_account_that_can_then_sign_in(fresh_url):
    at = fill_new_user(open_as("admin", "admin_users.py"), "zhangsan", "zhang-pass-2024", "zhang-pass-2024")
    assert [s.value for s in at.success] == ["已创建用户「zhangsan」（评价人员）"]
    assert users_table(at)["zhangsan"] == ("评价人员", "正常")
    newcomer = sign_in(login_form(), "zhangsan", "zhang-pass-2024").run()
    assert newcomer.session_state["user"].role == "evaluator"


def test_a_mistyped_second_password_creates_nothing(fresh_url):
    at = fill_new_user(open_as("admin", "admin_users.py"), "lisi", "lisi-pass-2024", "lisi-pass-2025")
    assert [e.value for e in at.error] == ["两次输入的密码不一致"]
    assert stored(fresh_url, User.username, where=[User.username == "lisi"]) == []


def test_an_admin_changes_a_role_and_disables_an_account_but_not_their_own(fresh_url):
    at = open_as("admin", "admin_users.py")
    at.selectbox(key="role_user").select("leader")
    at.selectbox(key="role_new").select("evaluator")
    click(at, "FormSubmitter:change_role-修改角色")
    at.selectbox(key="status_user").select("staff")
    click(at, "disable")
    assert [s.value for s in at.success] == ["「staff」已停用"]
    assert {name: users_table(at)[name] for name in ("leader", "staff")} == {
        "leader": ("评价人员", "正常"),
        "staff": ("工作人员", "已停用"),
    }
    at.selectbox(key="status_user").select("admin")
    click(at, "disable")
    assert [e.value for e in at.error] == ["不能停用自己的账号"]


def set_weights(at: AppTest, **by_seq: float) -> AppTest:
    at.session_state["weights_1"] = {
        "edited_rows": {int(k[1:]) - 1: {"分值": v} for k, v in by_seq.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.run()


def test_weights_that_do_not_add_up_are_flagged_and_refused(fresh_url):
    at = set_weights(open_as("admin", "admin_settings.py"), s16=12.0)
    off = "分值合计为 102.00 分（含预算执行率 10 分），比 100 分多 2.00 分"
    assert [w.value for w in at.warning] == [off]
    click(at, "save_weights")
    assert [e.value for e in at.error] == [f"分值未保存：{off}"]
    assert stored(fresh_url, Indicator.weight, where=[Indicator.seq == 16]) == [10.0]


def test_weights_that_add_up_and_the_cost_rule_are_saved(fresh_url):
    at = set_weights(open_as("admin", "admin_settings.py"), s16=12.0, s17=8.0)
    assert [c.value for c in at.caption][-1] == "分值合计为 100.00 分。"
    click(at, "save_weights")
    assert [s.value for s in at.success] == ["分值已保存"]
    at.radio(key="cost_rule_1").set_value("deviation")
    click(at, "save_cost_rule")
    assert [s.value for s in at.success][-1] == "计分规则已改为偏离度法"
    assert stored(fresh_url, Indicator.weight, where=[Indicator.seq.in_((16, 17))]) == [12.0, 8.0]
    assert stored(fresh_url, Project.cost_rule) == ["deviation"]


def upload_table(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader(key="performance_table").set_value(("梅陇2025.xlsx", data, XLSX))
    at.run()
    return click(at, "import_project")


def test_a_new_project_is_imported_and_its_manual_indicator_reported_by_staff(fresh_url):
    at = upload_table(open_as("admin", "admin_projects.py"), performance_table())
    assert [s.value for s in at.success] == [f"已导入项目「{NAME}」（2025 年度）"]
    listed = at.dataframe[-1].value
    assert listed[["项目名称", "年度", "指标数", "其中人工填报"]].values.tolist() == [
        [NAME, 2025, 5, 2],
        ["2024年浦锦街道劳动关系项目", 2024, 20, 0],
    ]

    staff = open_as("staff", "manual_entry.py")
    assert staff.sidebar.selectbox(key="project_choice").value.name == NAME
    assert [o for o in staff.selectbox(key="manual_indicator").options] == [
        "3. 劳动关系指导员培训人次（目标 ≥ 200 人次）",
        "4. 企业劳动合同签订率（目标 ≥ 95%）",
    ]
    staff.selectbox(key="manual_indicator").select_index(1)
    staff.selectbox(key="manual_month").select(5)
    staff.number_input(key="manual_amount").set_value(96.5)
    click(staff, "FormSubmitter:manual_value-保存")
    assert [s.value for s in staff.success] == ["已保存2025年5月的数值；同一月份再次保存即为更正。"]
    assert staff.dataframe[-1].value.values.tolist() == [["2025年5月", "96.5%", "演示工作人员"]]
    assert stored(fresh_url, ManualValue.month, ManualValue.value) == [(date(2025, 5, 1), 0.965)]


def test_a_bad_performance_table_is_refused_with_every_problem(fresh_url):
    rows = [
        *INDICATORS[:2],
        [*INDICATORS[2][:5], "人工统计", ""],
        [*INDICATORS[3][:3], "九成五", *INDICATORS[3][4:]],
        INDICATORS[4],
    ]
    at = upload_table(open_as("admin", "admin_projects.py"), performance_table(rows))
    assert [e.value for e in at.error] == ["导入失败，未写入任何数据。共 2 个问题："]
    problems = at.main.markdown[-1].value.splitlines()
    assert problems[0].startswith("- 工作表「绩效目标」第 4 行「计算口径」列：计算口径「人工统计」不存在，应为：")
    assert problems[1] == (
        "- 工作表「绩效目标」第 5 行「年度指标值」列："
        "计算口径「人工填报（取最近一月）」需要数值目标（如 ≥85.00(%)），实际为「九成五」"
    )
    assert stored(fresh_url, Project.name) == ["2024年浦锦街道劳动关系项目"]


def test_a_performance_table_whose_units_do_not_fit_is_refused_naming_the_metric_unit(fresh_url):
    rows = [INDICATORS[0], [*INDICATORS[1][:3], "≥90%", *INDICATORS[1][4:]], *INDICATORS[2:4]]
    rows.append([*INDICATORS[4][:3], "≥90", *INDICATORS[4][4:]])
    at = upload_table(open_as("admin", "admin_projects.py"), performance_table(rows))
    assert [e.value for e in at.error] == ["导入失败，未写入任何数据。共 2 个问题："]
    assert at.main.markdown[-1].value.splitlines() == [
        "- 工作表「绩效目标」第 3 行「年度指标值」列：计算口径「以案定补案件数」以「件」计，"
        "年度指标值「≥90%」的单位应为计数单位（如 家、套、场）或不写单位，不能是 %、元或天",
        "- 工作表「绩效目标」第 6 行「年度指标值」列：计算口径「劳动者满意度」以「%」计，"
        "年度指标值「≥90」的单位应为百分比 %（如 ≥85.00(%)）",
    ]
    assert stored(fresh_url, Project.name) == ["2024年浦锦街道劳动关系项目"]


def test_staff_of_a_project_without_manual_indicators_are_told_so(app_url):
    at = open_as("staff", "manual_entry.py")
    assert [i.value for i in at.info] == [
        "本项目没有需要人工填报的指标，这里无需填写：全部指标都由「上传数据」的月度数据报送表计算。"
        "管理员在绩效目标表中把某个指标的计算口径设为「人工填报」后，它会出现在这里，每月填报一次实际值。"
    ]
    assert not at.get("form")  # nothing to fill in


def test_the_audit_log_shows_who_did_what_and_offers_nothing_to_edit(fresh_url):
    at = open_as("admin", "admin_audit.py")
    newest = at.dataframe[0].value.iloc[0]
    assert (newest["用户"], newest["操作"], newest["详情"]) == ("admin", "登录", "登录成功")
    assert not at.data_editor and [b.label for b in at.get("download_button")] == ["导出 Excel"]
    at.selectbox(key="audit_action").select("upload")
    at.run()
    shown = at.dataframe[0].value
    assert set(shown["操作"]) == {"上传数据"} and set(shown["用户"]) == {"示例数据"} and len(shown) == 13


def test_a_refused_new_user_keeps_everything_typed_and_the_role_chosen(fresh_url):
    at = fill_new_user(open_as("admin", "admin_users.py"), "staff", "zhang-pass-2024", "zhang-pass-2024")
    assert [e.value for e in at.error] == ["用户名「staff」已被使用"]
    typed = {key: at.text_input(key=key).value for key in ("new_username", "new_name", "new_password_1")}
    assert typed == {"new_username": "staff", "new_name": "张三", "new_password_1": "zhang-pass-2024"}
    assert at.selectbox(key="new_role").value == "evaluator"  # never back to 领导 for a careless retry
    at.text_input(key="new_username").input("zhangsan")
    at = click(at, "FormSubmitter:create_user-创建用户")
    assert [s.value for s in at.success] == ["已创建用户「zhangsan」（评价人员）"]
    assert stored(fresh_url, User.role, where=[User.username == "zhangsan"]) == ["evaluator"]


def test_a_new_user_is_listed_at_once_in_every_tab_and_the_form_is_emptied(fresh_url):
    at = fill_new_user(open_as("admin", "admin_users.py"), "zhangsan", "zhang-pass-2024", "zhang-pass-2024")
    for key in ("role_user", "reset_user", "status_user"):
        assert "zhangsan" in at.selectbox(key=key).options
    assert at.text_input(key="new_username").value == ""
    assert at.text_input(key="new_password_1").value == ""
