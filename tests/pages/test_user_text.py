"""Text users typed is shown as they typed it: no Markdown in it becomes a link, an image, emphasis or a heading."""

from datetime import date

import pytest
from sqlmodel import select

from data_model.db import make_engine, session
from data_model.models import Project
from data_model.projects import find_project
from kpi import assessment
from pages.common import escaped
from tests.pages.app import login, open_as

ACTION = "[点我](http://x) ![](http://x/a.png)"
SHOWN = "[点我\\](http\u2060\\://x) ![\\](http\u2060\\://x/a.png)"  # an invisible word joiner keeps an address text


@pytest.mark.parametrize(
    ("typed", "markdown"),
    [
        (ACTION, SHOWN),
        ("**加粗** _斜体_ `代码` ~~删除~~", "\\*\\*加粗\\*\\* \\_斜体\\_ \\`代码\\` \\~\\~删除\\~\\~"),
        (
            '<img src="http://x/a.png"> &lt; $x^2$ | 表 |',
            '\\<img src="http\u2060\\://x/a.png"\\> \\&lt; \\$x^2\\$ \\| 表 \\|',
        ),
        ("www.example.com 或 admin@example.com", "www\u2060.example.com 或 admin\\@\u2060example.com"),
        (":red[红字] :material/home:", "\\:red[红字] \\:material/home\\:"),
        (
            "# 标题\n- 列表\n1. 编号\n===\n    代码",
            "\\# 标题\n\\- 列表\n1\\. 编号\n\\===\n\u00a0\u00a0\u00a0\u00a0代码",
        ),
        # Plain text is left as it is, so that it reads the same wherever it is quoted
        ("=3.00(家)", "=3.00(家)"),
        ("≤260 元/人/案", "≤260 元/人/案"),
        ("2024-12.xlsx", "2024-12.xlsx"),
        ("-5 套", "-5 套"),
        ("得分应在 [2.00, 2.67) 分之间", "得分应在 [2.00, 2.67) 分之间"),
    ],
)
def test_markup_in_user_text_is_escaped_and_plain_text_left_alone(typed, markdown):
    assert escaped(typed) == markdown


def test_a_corrective_action_and_a_judgment_reason_show_literally_on_the_assessment_page(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = find_project(s)
        assessment.add_action(s, project, 7, action=ACTION, owner="**王芳**", due_on=date(2025, 3, 31), by="evaluator")
        assessment.override(s, project, 7, score=3.0, reason="见 <https://x> 与 ![图](http://x/b.png)", by="evaluator")
    engine.dispose()
    at = open_as("evaluator", "assessment.py")
    assert at.selectbox(key="assess_indicator").value == 7
    [line] = [m.value for m in at.markdown if "责任人" in m.value]
    assert line.startswith(f"{SHOWN}　责任人：\\*\\*王芳\\*\\*　完成时限：")
    [caption] = [c.value for c in at.caption if c.value.startswith("调整：")]
    assert caption.endswith("。见 \\<https\u2060\\://x\\> 与 ![图\\](http\u2060\\://x/b.png)")


def test_a_project_name_with_markup_is_the_overview_title_as_typed(fresh_url):
    engine = make_engine(fresh_url)
    with session(engine) as s:
        project = s.exec(select(Project)).one()
        project.name = "# [浦锦](http://x) **劳动关系**"
        s.add(project)
        s.commit()
    engine.dispose()
    at = login("leader")
    assert at.title[0].value == "\\# [浦锦\\](http\u2060\\://x) \\*\\*劳动关系\\*\\*"
