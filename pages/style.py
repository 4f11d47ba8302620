"""How every page looks beyond what Streamlit's options set: its own English texts put into Chinese, tables sized
for their content, and 会议模式's large type for a projector."""

import json
import math
import unicodedata

import pandas as pd
import streamlit as st

# Streamlit's own texts that no option sets, each overridden here (and only here) by the page script below, which
# rewrites them in the page's text, title and aria-label wherever Streamlit draws them:
#   st.file_uploader   「Upload」 button, 「20MB per file • XLSX」 limit, the input's 「file upload」 label, and once a
#                      file is chosen 「Remove <file>」 on its cross and 「Add files」 (screen-reader labels)
#   st.multiselect     「Select all」 first option, 「Clear all」 / 「Delete」 on chosen months, 「No results」
#   st.selectbox       「Open」 / 「Clear」 on the arrow and cross, 「No results」
#   st.number_input    「Decrement」 / 「Increment」 on its − and + (screen-reader labels)
#   st.date_input      「year, 完成时限」 and its month and day parts, 「Choose date」 on the calendar (screen-reader)
#   help= on a widget  「Help for 统计截至」 screen-reader label on the ⓘ
#   st.text_input      「Show password」 / 「Hide password」 on the eye of a password field
#   st.dataframe       「Download as CSV」, 「Search」, 「Fullscreen」, 「Show/hide columns」 (the toolbar is hidden
#                      below as well: the pages that export offer a Chinese 「导出 Excel」 button instead)
#   headings, sidebar  「Link to heading」, 「Sidebar」, 「App pages」, 「Collapse sidebar」, 「Expand sidebar」,
#                      「View 3 more」 / 「View less」 (app.py lists every page expanded, should it show anyway)
#   st.dialog, alerts  「Close」, 「Dismiss」
# Each entry: a whole text (regular expression, anchored) and its Chinese.
CHINESE = {
    r"Upload": "上传文件",
    r"(\d+)\s*MB per file(?: • (.+))?": "单个文件不超过 $1 MB（$2）",
    r"file upload": "选择文件",
    r"Remove (.+)": "移除 $1",
    r"Add files": "添加文件",
    r"Decrement": "减少",
    r"Increment": "增加",
    r"year, (.+)": "$1：年",
    r"month, (.+)": "$1：月",
    r"day, (.+)": "$1：日",
    r"Choose date": "选择日期",
    r"Select all": "全选",
    r"Clear all": "全部清除",
    r"Delete": "删除",
    r"Clear": "清除",
    r"Open": "展开选项",
    r"No results": "没有匹配的选项",
    r"Help for (.+)": "$1：说明",
    r"Show password": "显示输入的字符",
    r"Hide password": "隐藏输入的字符",
    r"Download as CSV": "下载为 CSV",
    r"Search": "搜索",
    r"Fullscreen": "全屏",
    r"Close fullscreen": "退出全屏",
    r"Show/hide columns": "显示或隐藏列",
    r"Link to heading": "标题链接",
    r"Sidebar": "侧边栏",
    r"App pages": "页面导航",
    r"Collapse sidebar": "收起侧边栏",
    r"Expand sidebar": "展开侧边栏",
    r"View (\d+) more": "显示其余 $1 项",
    r"View less": "收起",
    r"Close": "关闭",
    r"Dismiss": "关闭",
}

_TRANSLATE = """<script>
if (!window.kpiChinese) {
  window.kpiChinese = true;
  const rules = Object.entries(%s).map(([from, to]) => [new RegExp('^' + from + '$'), to]);
  const chinese = text => {
    const trimmed = text.trim();
    for (const [from, to] of rules) {
      if (from.test(trimmed)) return trimmed.replace(from, to).replace('（）', '');
    }
    return null;
  };
  const fix = root => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = chinese(node.data);
      if (text !== null) node.data = text;
    }
    for (const el of [root, ...root.querySelectorAll('[aria-label], [title]')]) {
      for (const name of ['aria-label', 'title']) {
        const value = el.getAttribute && el.getAttribute(name);
        const text = value && chinese(value);
        if (text) el.setAttribute(name, text);
      }
    }
  };
  fix(document.body);
  new MutationObserver(changes => {
    for (const change of changes) {
      if (change.type === 'characterData') {
        const text = chinese(change.target.data);
        if (text !== null) change.target.data = text;
      } else if (change.type === 'attributes') {
        fix(change.target);
      } else {
        change.addedNodes.forEach(node => fix(node.nodeType === 1 ? node : node.parentNode));
      }
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'title'],
  });
}
</script>""" % json.dumps(CHINESE, ensure_ascii=False)

_ALWAYS = """<style>
/* Streamlit's English input hint ("Press Enter to submit form") and the grid toolbar (its English tooltips; CSV only)
   are hidden: every word shown is Chinese, and a page that exports offers 「导出 Excel」. */
[data-testid="InputInstructions"], [data-testid="stDataFrame"] [data-testid="stElementToolbar"] { display: none; }
/* A metric's label and delta wrap instead of being cut with an ellipsis. */
[data-testid="stMetricLabel"] :is(div, p), [data-testid="stMetricDelta"] :is(div, p) {
  white-space: normal !important; overflow-wrap: anywhere; text-overflow: clip !important; overflow: visible !important;
}
[data-testid="stMetricLabel"] { height: auto; }
/* A value's type follows the window's width, so that the widest card of a row (150,000.00 元, ≤260 元/人/案) fits
   from 1280 px on, with the sidebar. */
[data-testid="stMetricValue"] :is(div, p) { font-size: clamp(1.25rem, 1.9vw, 2.25rem); overflow: visible !important; }
</style>"""


def frame() -> None:
    """What every page, the login form included, needs before anything is drawn."""
    st.html(_ALWAYS)
    st.html(_TRANSLATE, unsafe_allow_javascript=True)


MEETING_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.5rem 2.5rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, \
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMetric"] [data-testid="stMetricLabel"] p { font-size: 1.4rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] :is(div, p) { font-size: clamp(1.5rem, 2.8vw, 3.4rem); }
/* Tables: the grid draws 14 px text on a canvas, so it is zoomed as a whole to 22 px, rows and headers alike (a click
   still finds its row); its frame keeps the page's width, the grid drawn in it at 1/1.6 of it. */
[data-testid="stMain"] [data-testid="stDataFrame"] { zoom: 1.6; width: 100% !important; }
[data-testid="stMain"] [data-testid="stDataFrameResizable"] { width: 100% !important; }
[data-testid="stMain"] [data-testid="stTable"] { font-size: 1.3rem; }
/* 退出会议模式 stays at hand: pinned to the top right corner while the page scrolls. */
.st-key-meeting_bar {
  position: fixed; top: 0.5rem; right: 1.5rem; z-index: 1000; width: auto;
  background: var(--st-background-color, white); padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  box-shadow: 0 1px 6px rgba(0, 0, 0, 0.2);
}
</style>"""


# st.dataframe sizes a column by its first rows at best and cuts the rest with an ellipsis; `fitted` gives every
# column the width of its longest text instead (the grid draws 14 px text: a Chinese character or an emoji is one
# em, a Latin letter or digit about half), up to WIDEST; a longer text wraps, its rows as tall as it needs.
EM = 14
LINE = EM * 1.4  # the grid's line height
PADDING = 2 * 8 + 6  # the cell's padding either side, and a little air
WIDEST = 420
BAR = 90  # px: a progress bar with its percentage
WRAPPING = 65  # px: the row height from which the grid lets a text wrap (more than 4rem)


def text_width(text: str) -> int:
    """The width of `text` in the grid's 14 px type."""
    return round(sum(EM if unicodedata.east_asian_width(c) in "WF" else 0.6 * EM for c in text))


def _shown(value) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:,.2f}"
    return "" if value is None or value is pd.NA else str(value)


def fitted(frame: pd.DataFrame, column_config: dict | None = None, *, hide_index: bool = True) -> dict:
    """The column_config and row_height giving every column the width of its longest text (its header included);
    texts wider than WIDEST wrap in taller rows. A width already given is kept."""
    config = dict(column_config or {})
    columns = {name: frame[name] for name in frame.columns}
    if not hide_index:
        columns = {"_index": frame.index.to_series(name=frame.index.name or "")} | columns
    lines = 1
    for name, values in columns.items():
        header = values.name if name == "_index" else name
        widest = max([text_width(str(header)), *(text_width(_shown(v)) for v in values)])
        given = config.get(name) or {}
        if (given.get("type_config") or {}).get("type") == "progress":
            widest = max(widest, BAR)
        width = given.get("width") if isinstance(given.get("width"), int) else min(widest + PADDING, WIDEST)
        config[name] = {**given, "width": width}
        if widest > width - PADDING:  # wraps: a tenth more for the breaks between words
            lines = max(lines, math.ceil(widest * 1.1 / (width - PADDING)))
    return {"column_config": config, "row_height": max(WRAPPING, math.ceil(lines * LINE + 8)) if lines > 1 else None}


def table(frame: pd.DataFrame, *, column_config: dict | None = None, hide_index: bool = True, **options) -> None:
    """st.dataframe the width of the page, its columns fitted to their content. `options` go to st.dataframe."""
    st.dataframe(
        frame,
        hide_index=hide_index,
        width="stretch",
        **fitted(frame, column_config, hide_index=hide_index),
        **options,
    )
