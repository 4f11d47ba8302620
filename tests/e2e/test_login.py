"""Signing in through the browser: the session cookie is out of reach of the page's scripts, and survives a refresh."""

from playwright.sync_api import expect


def session_cookie(page) -> dict:
    """The kpi_session cookie as the browser keeps it, once the page has fetched it (within ten seconds)."""
    for _ in range(100):
        if found := [c for c in page.context.cookies() if c["name"] == "kpi_session"]:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("the browser never received the kpi_session cookie")


def test_the_session_cookie_is_http_only_and_keeps_the_login_across_a_refresh(login):
    page = login("leader")
    cookie = session_cookie(page)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
    assert "kpi_session" not in page.evaluate("document.cookie")  # no script in the page can read the token
    page.reload()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()  # still signed in
    expect(page.get_by_role("heading", name="2024年浦锦街道劳动关系项目")).to_be_visible()
