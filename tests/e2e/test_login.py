"""Signing in through the browser: the session cookie is out of reach of the page's scripts, and survives a refresh."""

from playwright.sync_api import expect

from tests.e2e.browser import session_cookie


def test_the_session_cookie_is_http_only_and_keeps_the_login_across_a_refresh(login):
    page = login("leader")
    cookie = session_cookie(page)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
    assert "kpi_session" not in page.evaluate("document.cookie")  # no script in the page can read the token
    page.reload()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()  # still signed in
    expect(page.get_by_role("heading", name="2024年浦锦街道劳动关系项目")).to_be_visible()
