import pandas as pd
from streamlit.testing.v1 import AppTest

from data_model.db import ROOT
from tests.pages.conftest import login


def test_login_with_a_wrong_password_is_refused_in_chinese(app_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("leader")
    at.text_input[1].input("wrong-password")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == ["用户名或密码不正确"]
    assert "user" not in at.session_state


def test_leader_sees_all_twenty_indicators_after_login(app_url):
    at = login("leader")
    table = pd.concat([df.value for df in at.dataframe if "序号" in df.value.columns])  # one table per 一级指标
    assert len(table) == 20
    assert table.loc[table["序号"] == 7, "实际完成值"].item() == "15 套"
    assert at.metric[0].value == "87.99"
    assert at.metric[1].value == "良"
