"""The app in Chromium through nginx as deployed (deploy/run-local.sh on the test PostgreSQL database): it works
under the content security policy of the security headers, and the login survives a refresh there."""

import pytest
from playwright.sync_api import expect

from tests.deploy.local import run_local
from tests.e2e.browser import session_cookie


@pytest.fixture
def app_url(tmp_path):
    with run_local(2, tmp_path) as deployment:
        yield deployment.url


def test_the_app_works_behind_nginx_under_its_content_security_policy(page, login):
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    login("leader")
    expect(page.get_by_role("heading", name="2024年浦锦街道劳动关系项目")).to_be_visible()
    page.get_by_role("link", name="指标详情").click()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()  # Plotly draws under the policy
    assert session_cookie(page)["httpOnly"]  # the login's inline script ran and redeemed its one-time code
    page.reload()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert refused == []
