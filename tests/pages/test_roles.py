"""Roles: each role's menu, a refusal for a page typed in by address, and a login that survives a refresh."""

import re
from types import SimpleNamespace

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from data_model.sessions import take_over
from tests.pages.app import click, login, login_form, open_as

LABELS = {"leader": "领导", "staff": "工作人员", "evaluator": "评价人员", "admin": "管理员"}
REFUSAL = "您没有权限访问此页面。如需访问，请联系管理员。"
COMMON = ["总览", "指标详情", "预算执行"]
# role: (home page, {menu section: page titles})
MENUS = {
    "leader": ("总览", {"": [*COMMON, "绩效自评", "运行监控"]}),
    "staff": ("上传数据", {"": [*COMMON, "指标填报"], "数据报送": ["上传数据", "上传记录"]}),
    "evaluator": ("总览", {"": [*COMMON, "绩效自评", "运行监控"]}),
    "admin": (
        "总览",
        {
            "": [*COMMON, "绩效自评", "运行监控"],
            "数据报送": ["上传数据", "上传记录"],
            "管理": ["用户管理", "分值与计分规则", "项目管理", "期间锁定", "操作日志", "数据备份"],
        },
    ),
}


@pytest.fixture
def navigation(monkeypatch):
    """What the frame hands st.navigation on each run: the home page, the menu as the user sees it, and
    every address the app answers (hidden pages included) with the title of the page it opens."""
    seen = []
    real = streamlit.navigation

    def spy(pages, **kwargs):
        sections = pages if isinstance(pages, dict) else {"": pages}
        menu = {name: [p.title for p in group if p.visibility == "visible"] for name, group in sections.items()}
        everything = [p for group in sections.values() for p in group]
        seen.append(
            SimpleNamespace(
                home=next(p.title for p in everything if p.url_path == ""),
                menu={name: titles for name, titles in menu.items() if titles},
                addresses={p.url_path: p.title for p in everything if p.url_path},
            )
        )
        return real(pages, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", spy)
    return seen


@pytest.mark.parametrize("role", MENUS)
def test_each_role_gets_its_own_menu_and_home_page(app_url, navigation, role):
    at = login(role)
    assert (navigation[-1].home, navigation[-1].menu) == MENUS[role]
    assert at.sidebar.markdown[0].value.endswith(f"（{LABELS[role]}）")


def test_before_signing_in_every_address_opens_the_login_form(app_url, navigation):
    at = login_form()
    assert [b.label for b in at.button] == ["登录"]
    signed_out = navigation[-1]
    assert signed_out.home == "登录"
    login("admin")
    every_page = navigation[-1].addresses
    assert set(every_page) <= set(signed_out.addresses) and set(signed_out.addresses.values()) == {"登录"}


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("staff", "admin_users.py"),
        ("staff", "admin_audit.py"),
        ("staff", "admin_settings.py"),
        ("staff", "admin_projects.py"),
        ("leader", "admin_users.py"),
        ("leader", "manual_entry.py"),
        ("evaluator", "admin_audit.py"),
        ("admin", "manual_entry.py"),
    ],
)
def test_a_page_typed_in_by_address_is_refused_to_a_role_without_it(app_url, role, page):
    at = open_as(role, page)
    assert [e.value for e in at.error] == [REFUSAL]
    assert not at.title and not at.dataframe and not at.text_input


@pytest.fixture
def browser(monkeypatch):
    """The cookies a browser sends with its page request, as st.context.cookies reads them."""
    jar = {}
    monkeypatch.setattr(
        "streamlit.runtime.context._get_client_context",
        lambda: SimpleNamespace(cookies=jar, headers=[], remote_ip=None),
    )
    return jar


def refresh(cookies: dict, jar: dict) -> AppTest:
    """A new browser session (a refresh) that sends these cookies."""
    jar.clear()
    jar.update(cookies)
    return login_form()


def signed_in_as(at: AppTest) -> str | None:
    return at.session_state["user"].username if "user" in at.session_state else None


def test_a_login_survives_a_refresh_through_the_cookie_until_logout(fresh_url, browser):
    at = login("evaluator")
    token = at.session_state["token"]
    pages = [h.proto.body for h in at.sidebar.html]
    assert not any(token in body for body in pages)  # the page's scripts never see the token …
    codes = [
        m.group(1)
        for body in pages
        if (m := re.search(r"fetch\('/kpi-session', \{method: 'POST', body: '([\w-]+)'", body))
    ]
    assert [take_over(code) for code in codes * 2] == [
        token,
        None,
    ]  # … only a code the browser redeems once for the cookie
    assert signed_in_as(refresh({"kpi_session": token}, browser)) == "evaluator"
    click(at, "logout")
    after = refresh({"kpi_session": token}, browser)
    assert signed_in_as(after) is None and [b.label for b in after.button] == ["登录"]


@pytest.mark.parametrize(
    "cookie",
    [
        pytest.param(lambda token: token.replace(token.split(".")[0], "YWRtaW4", 1), id="username changed to admin"),
        # the signature's last hex digit, always changed (a fixed "00" left one token in 256 as it was)
        pytest.param(lambda token: token[:-1] + ("1" if token.endswith("0") else "0"), id="signature altered"),
        pytest.param(lambda token: "bGVhZGVy.0.9999999999." + "0" * 64, id="forged from scratch"),
    ],
)
def test_a_tampered_cookie_shows_the_login_form(app_url, browser, cookie):
    token = login("leader").session_state["token"]
    at = refresh({"kpi_session": cookie(token)}, browser)
    assert signed_in_as(at) is None and [t.value for t in at.title] == ["劳动关系项目绩效评价看板"]


def test_an_account_disabled_meanwhile_is_signed_out_at_the_next_click(fresh_url):
    from data_model import admin
    from data_model.db import make_engine, session

    at = login("staff")
    engine = make_engine(fresh_url)
    with session(engine) as s:
        admin.set_disabled(s, "staff", True, by="admin")
    engine.dispose()
    at.run()
    assert signed_in_as(at) is None
    assert [i.value for i in at.info] == ["登录已失效（已超时、已退出或账号已变更），请重新登录。"]
