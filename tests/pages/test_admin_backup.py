"""数据备份: the admin generates the current project's backup and downloads it; other roles are refused."""

from data_model import evidence
from data_model.db import make_engine, session
from data_model.projects import find_project
from tests.data_model import files
from tests.pages.app import click, open_as


def test_the_admin_downloads_the_current_projects_backup(app_url):
    at = open_as("admin", "admin_backup.py")
    assert at.title[0].value == "数据备份"
    assert "2024年浦锦街道劳动关系项目" in at.markdown[0].value
    assert "python -m data_model restore" in at.markdown[1].value
    assert not at.get("download_button")
    click(at, "make_backup")
    [button] = at.get("download_button")
    assert button.label == "下载备份"
    assert button.proto.url.endswith(
        ".xlsx"
    )  # the workbook (kpi.backup, tested in tests/data_model) waits for the browser


def test_staff_cannot_open_the_backup_page(app_url):
    at = open_as("staff", "admin_backup.py")
    assert at.error[0].value == "您没有权限访问此页面。如需访问，请联系管理员。"
    assert not at.get("download_button")


def test_a_project_with_evidence_is_backed_up_as_a_zip(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        evidence.attach(s, find_project(s), evidence.Upload(8, "签到表.jpg", files.jpeg(), "staff"), role="staff")
    engine.dispose()
    at = click(open_as("admin", "admin_backup.py"), "make_backup")
    [button] = at.get("download_button")
    assert button.proto.url.endswith(".zip")
