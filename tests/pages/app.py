"""Driving the app in page tests: sign in as a demo user, open a page, click a button."""

from streamlit.testing.v1 import AppTest

from data_model.db import ROOT
from tests.data_model.accounts import PASSWORDS, USERNAMES


def login_form() -> AppTest:
    """The app as a new browser session sees it: the login form."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    """Fill in the login form and submit it."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="FormSubmitter:login-登录").click().run()


def login(role: str) -> AppTest:
    """The app, signed in through the login form as the demo user of `role`."""
    at = sign_in(login_form(), USERNAMES[role], PASSWORDS[role])
    at.run()  # AppTest shows the run that called st.rerun(); the next run is the signed-in app
    assert not at.exception, at.exception
    return at


def open_as(role: str, page: str) -> AppTest:
    """The page script `page` of pages/views/, opened by the demo user of `role`."""
    at = login(role).switch_page(f"pages/views/{page}").run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    """Click the button `key` (a form's submit button is FormSubmitter:{form}-{label}) and run the app."""
    at.button(key=key).click()
    at.run()
    assert not at.exception, at.exception
    return at


def labelled(widgets, label: str):
    """The one widget labelled `label`, for inputs that take no key: a key would make Streamlit keep what the
    widget showed before when its default follows the data (a withdrawn score, a lock set elsewhere)."""
    [widget] = [w for w in widgets if w.label == label]
    return widget
