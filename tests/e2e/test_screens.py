"""Every page, as every role sees it, on a laptop and on a projector: no card or table cut, no English word.

One server and one browser: each role signs in once, opens each page of its menu at 1280×720 and at 1920×1080,
and every problem found on any page is listed at once. The pages are saved under screenshots/screens-*.png, and
the leadership pages once more in 会议模式.
"""

import re

from playwright.sync_api import expect

from tests.e2e.browser import expect_heading, idle, shot

SIZES = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
ROLES = ("leader", "staff", "evaluator", "admin")
# Streamlit's own English texts (widgets, tooltips, screen-reader labels) that must never reach the user.
ENGLISH = (
    "Upload",
    "per file",
    "Browse files",
    "Drag and drop",
    "Select all",
    "Clear all",
    "No results",
    "Choose an option",
    "Help for",
    "Show password",
    "Hide password",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Show/hide columns",
    "Link to heading",
    "Sidebar",
    "App pages",
    "Collapse sidebar",
    "View less",
    "more",
    "Expand sidebar",
    "Close",
    "Dismiss",
    "Open",
    "Delete",
    "Clear",
    "file upload",
    "Press Enter",
    "Running",
    "Stop",
    "Deploy",
)
WORD = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")\b")
ROW = 35  # px: st.dataframe's row height, header included
LONG = 60  # a text this long may be cut with an ellipsis (its cell is meant to be opened); a shorter one never

# In the page: every cut metric, the texts, titles and aria-labels of whatever is visible, and every grid cell whose
# text is wider than its column. st.dataframe draws on a canvas, so the grid's own columns, cells and theme are read
# from its React props, and each text is measured in the grid's own font.
SCAN = """long => {
  const visible = el => el.checkVisibility();
  const cut = [];
  for (const el of document.querySelectorAll(
      '[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"]')) {
    if (!visible(el)) continue;
    for (const part of [el, ...el.querySelectorAll('*')]) {
      if (part.scrollWidth > part.clientWidth + 1) { cut.push(el.dataset.testid + ': ' + el.innerText); break; }
    }
  }
  const labels = [];
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    if (!visible(el)) continue;
    for (const name of ['aria-label', 'title']) if (el.getAttribute(name)) labels.push(el.getAttribute(name));
  }
  const cells = [];
  const ctx = document.createElement('canvas').getContext('2d');
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!visible(grid)) continue;
    const canvas = grid.querySelector('canvas');
    if (!canvas) return null;  // redrawn meanwhile: look again
    let fiber = canvas[Object.keys(canvas).find(k => k.startsWith('__reactFiber$'))];
    while (fiber && !(fiber.memoizedProps && fiber.memoizedProps.theme && fiber.memoizedProps.columns)) {
      fiber = fiber.return;
    }
    const {columns, theme, rowHeight, rows, getCellContent} = fiber.memoizedProps;
    const lineHeight = parseFloat(theme.baseFontStyle.split(' ').pop()) * theme.lineHeight;
    const check = (text, font, column, lines) => {
      ctx.font = font;
      const room = (column.width + (column.growOffset || 0) - 2 * theme.cellHorizontalPadding) * lines;
      if (text && text.length < long && ctx.measureText(text).width > room + 1) cells.push(column.title + ': ' + text);
    };
    columns.forEach((column, x) => {
      check(column.title, theme.headerFontFull, column, 1);
      for (let y = 0; y < Math.min(rows, 500); y++) {
        const cell = getCellContent([x, y]);  // what the grid draws: its text, and whether it may wrap
        if (cell.kind !== 'text' && cell.kind !== 'number') continue;
        const lines = cell.allowWrapping ? Math.floor((rowHeight - 2 * theme.cellVerticalPadding) / lineHeight) : 1;
        check(cell.displayData, theme.baseFontFull, column, lines);
      }
    });
  }
  return {cut, labels, text: document.body.innerText, cells};
}"""


DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
  .every(grid => !grid.checkVisibility() || grid.querySelector('canvas'))"""


def problems_on(page, where: str) -> list[str]:
    """What is wrong with the page as drawn now, each line naming the page and size."""
    idle(page)
    page.wait_for_timeout(700)  # the grids draw after the run
    found = None
    while found is None:
        page.wait_for_function(DRAWN)
        found = page.evaluate(SCAN, LONG)
    english = {m for text in [found["text"], *found["labels"]] for m in WORD.findall(text)}
    return (
        [f"{where}: cut {item}" for item in found["cut"]]
        + [f"{where}: English 「{word}」" for word in sorted(english)]
        + [f"{where}: cell cut {item}" for item in found["cells"]]
    )


def menu(page) -> list[str]:
    """The titles of the role's pages (a link reads its icon's name, then its title)."""
    return [
        link.split("\n")[-1].strip()
        for link in page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    ]


def visit(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    idle(page)


def test_every_page_fits_and_speaks_chinese_at_both_sizes_for_every_role(page, login):
    problems = []
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/")
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        problems += problems_on(page, f"登录 {size['width']}")
    for role in ROLES:
        login(role)
        titles = menu(page)
        for size in SIZES:
            page.set_viewport_size(size)
            for title in titles:
                visit(page, title)
                where = f"{role} {title} {size['width']}×{size['height']}"
                problems += problems_on(page, where)
                shot(page, f"screens-{role}-{title}-{size['width']}")
        page.get_by_role("button", name="退出登录").click()
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    assert problems == []


def test_meeting_mode_enlarges_tables_pins_its_exit_and_fits(page, login):
    login("leader")
    problems = []
    for size in SIZES:
        page.set_viewport_size(size)
        for title in ("总览", "指标详情", "预算执行"):
            visit(page, title)
            page.get_by_text("会议模式", exact=True).click()
            idle(page)
            expect(page.get_by_test_id("stSidebar")).to_be_hidden()
            problems += problems_on(page, f"会议模式 {title} {size['width']}")
            # the grid's 14 px text, zoomed: rows and headers read at 20 px at least
            grid = page.get_by_test_id("stDataFrame").first
            assert 14 * grid.evaluate("grid => parseFloat(getComputedStyle(grid).zoom)") >= 20
            frame = page.get_by_test_id("stMainBlockContainer").bounding_box()
            box = grid.bounding_box()
            assert box["x"] + box["width"] <= frame["x"] + frame["width"]  # zoomed, yet within the page
            shot(page, f"screens-meeting-{title}-{size['width']}")
            page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, main.scrollHeight)")
            leave = page.get_by_text("退出会议模式", exact=True)
            expect(leave).to_be_in_viewport()  # pinned: still at hand at the page's foot
            leave.click()
            expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert problems == []

    visit(page, "总览")  # a zoomed row still opens its indicator
    page.get_by_text("会议模式", exact=True).click()
    idle(page)
    warnings = page.get_by_test_id("stDataFrame").first  # below the charts: brought into view first
    warnings.scroll_into_view_if_needed()
    box = warnings.bounding_box()
    page.mouse.click(box["x"] + 16 * 1.6, box["y"] + ROW * 1.6 * 1.5)  # the first warning's row selector
    expect_heading(page, "14. 调解阵地建设完成及时性")


def test_on_a_phone_the_overview_and_detail_stack_their_cards_and_scroll_tables_in_their_frame(page, login):
    login("leader")
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for title, path in (("总览", "/"), ("指标详情", "/indicator")):
        page.goto(path)  # the menu is folded away on a phone; the login cookie keeps the session
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        problems += problems_on(page, f"手机 {title}")
        cards = page.get_by_test_id("stMetric").evaluate_all("cards => cards.map(c => c.getBoundingClientRect().x)")
        assert len(set(cards)) == 1  # one column of cards
        assert (
            page.evaluate("() => document.documentElement.scrollWidth") <= 390
        )  # the page itself never scrolls sideways
        shot(page, f"screens-phone-{title}-390")
    assert problems == []
