"""Plotly figures for the dashboard: Chinese labels and hover texts with units, the status colours, no chart junk.

Pure builders, no Streamlit. Every clickable trace carries what a click picks (a month, a category label, a
budget line) as customdata[0]; the page turns a click into the same choice its widgets offer, and the
figure marks the current choice itself, so chart and widgets stay in step.

Plotly reads tags such as <a href> and <span style> in every text it shows: whatever comes from the data (a
category, a site, a budget line, a unit) goes through `_html` first and shows literally.
"""

import html

import plotly.graph_objects as go

from kpi.drilldown import Series, SitePlan, category_label, value_text
from kpi.formatting import money, percent, quantity
from kpi.metrics import actual_text
from kpi.monitoring import LIGHT_COLOURS, LIGHT_LABELS, Light
from kpi.sources import Breakdown
from kpi.spending import TOTAL, LineSeries

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f3a5f"  # actual values
PATH = "#8a96a3"  # pro-rata paths and planned dates
TARGET = "#5b6770"  # targets and budgets
BAR = "#5b8fc7"  # bars that carry no status
FADED = 0.35  # opacity of what is not picked while something is
AXIS = "rgb(36,36,36)"  # Plotly's simple_white axes, set directly: applying a template costs 0.1 s a figure


def _figure(
    traces: list[dict], title: str, *, large: bool, height: int, percent_axis: bool = False, **layout
) -> go.Figure:
    """The figure of `traces` in the house frame, `layout` merged over it (nested settings merged, as Plotly's
    update does). Built from one dict: Plotly validates it in one pass, about 1.5 ms, where a figure assembled call
    by call (add_scatter, update_layout, …) costs 5–10 ms in its relayout machinery."""
    size = 20 if large else 14
    axis = {"showline": True, "linecolor": AXIS, "ticks": "outside", "zeroline": False, "automargin": True}
    axis |= {"fixedrange": True}  # no zoom, no pan
    frame = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": size + 4}},
        "font": {"family": FONT, "size": size, "color": "#262730"},
        "height": round(height * (1.35 if large else 1)),
        "margin": {"l": 10, "r": 20, "t": 70 if large else 56, "b": 10},
        "template": "none",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left", "title": None},
        "hoverlabel": {"font": {"family": FONT, "size": size}},
        # Plotly finds the point under the pointer (hover, click) on its drag layer, which dragmode=False removes:
        # keep it, with axes that neither zoom nor pan.
        "dragmode": "zoom",
        "yaxis": {"gridcolor": "#ececec", "showgrid": True, **axis} | ({"tickformat": ".0%"} if percent_axis else {}),
        "xaxis": {"showgrid": False, **axis},
    }
    if large:  # 会议模式: markers half as large again, like the fonts
        for trace in traces:
            if trace["type"] == "scatter":
                marker = trace.setdefault("marker", {})
                points = marker.get("size") or 6
                marker["size"] = [s * 1.5 for s in points] if isinstance(points, list) else points * 1.5
    return go.Figure({"data": traces, "layout": _merged(frame, layout)})


def _merged(layout: dict, more: dict) -> dict:
    """`layout` updated by `more` as Plotly's update does: nested settings merged, the others replaced."""
    out = dict(layout)
    for key, value in more.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both else value
    return out


def _html(text: str) -> str:
    return html.escape(text, quote=False)  # Plotly knows &lt; &gt; &amp;, not &quot;


def _marked(colours: list[str], keys: list, picked) -> list[str]:
    """The colours, all but the picked key's faded; all full when none of `keys` is picked.

    Faded colours, not marker opacities: Plotly.js fails to select a bar with text and an opacity array.
    """

    def faded(colour: str) -> str:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgba({red}, {green}, {blue}, {FADED})"

    return [colour if picked not in keys or key == picked else faded(colour) for colour, key in zip(colours, keys)]


def series_figure(series: Series, picked_month: int | None = None, *, large: bool = False) -> go.Figure:
    """The indicator month by month: the actual (points in their status colour), its in-year path, the target."""
    months = [f"{p.month}月" for p in series.points]
    actual = [_html(actual_text(series.metric_key, p.actual, series.unit)) for p in series.points]
    path = _path(
        months,
        series.path,
        [(p.month, p.expected, _series_value(series, p.expected)) for p in series.points],
        f"%{{x}}　{series.path}：%{{customdata[1]}}<extra></extra>",
    )
    done = {
        "type": "scatter",
        "x": months,
        "y": [p.actual for p in series.points],
        "name": "实际完成（累计）" if series.cumulative else "实际完成",
        "mode": "lines+markers",
        "line": {"color": INK, "width": 3},
        "marker": {
            "color": [LIGHT_COLOURS[p.light] for p in series.points],
            "size": [18 if p.month == picked_month else 11 for p in series.points],
            "line": {"color": [INK if p.month == picked_month else "white" for p in series.points], "width": 2},
        },
        "customdata": [[p.month, text, LIGHT_LABELS[p.light]] for p, text in zip(series.points, actual)],
        "hovertemplate": "%{x}　实际完成：%{customdata[1]}（%{customdata[2]}）<extra></extra>",
    }
    title = "按月累计完成情况" if series.cumulative else "各月末完成情况"
    return _figure(
        ([path] if series.cumulative else []) + [_level(months, series.target, _html(series.target_label)), done],
        title + "（点击某月查看当月记录）",
        large=large,
        height=380,
        percent_axis=series.rate,
        xaxis={"type": "category"},
    )


def _path(months: list[str], name: str, points: list[tuple[int, float | None, str]], hover: str) -> dict:
    """The in-year path (序时进度, 按计划应达): a dashed line across the months; each point is (month, value, the
    value as the hover shows it)."""
    return {
        "type": "scatter",
        "x": months,
        "y": [value for _, value, _ in points],
        "name": name,
        "mode": "lines",
        "line": {"color": PATH, "dash": "dash", "width": 2},
        "customdata": [[month, text] for month, _, text in points],
        "hovertemplate": hover,
    }


def _level(months: list[str], value: float, name: str) -> dict:
    """A target or a budget: a dotted level line across the months."""
    line = {"color": TARGET, "dash": "dot", "width": 2}
    return {
        "type": "scatter",
        "x": months,
        "y": [value] * len(months),
        "name": name,
        "mode": "lines",
        "line": line,
        "hoverinfo": "skip",
    }


def _series_value(series: Series, value: float | None) -> str:
    return _html(value_text(series.metric_key, value, series.unit))


def breakdown_figure(b: Breakdown, picked: str | None = None, *, large: bool = False) -> go.Figure:
    """One bar per category, largest or in the sheet's own order from the top; the picked one stands out."""
    names = [name for name, _ in b.items]
    labels = [category_label(b.header, name) for name in names]
    bars = {
        "type": "bar",
        "x": [value for _, value in b.items],
        "y": [_html(name) for name in names],
        "orientation": "h",
        "marker": {"color": _marked([BAR] * len(labels), labels, picked)},
        "text": [_html(quantity(value, b.unit)) for _, value in b.items],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [[label] for label in labels],
        "hovertemplate": f"{b.header}：%{{y}}<br>%{{x:,.0f}} {b.unit}<extra></extra>",
    }
    return _figure(
        [bars],
        f"按{b.header}",
        large=large,
        height=110 + 38 * len(names),
        yaxis={"autorange": "reversed", "showgrid": False, "ticks": ""},
        xaxis={"showgrid": False, "showticklabels": False, "ticks": "", "showline": False},
    )


def sites_figure(sites: list[SitePlan], as_of, picked: str | None = None, *, large: bool = False) -> go.Figure:
    """Site by site: the planned completion date and, once built, the actual one in its status colour."""
    labels = [category_label("阵地名称", s.name) for s in sites]
    names = [_html(s.name) for s in sites]
    spans = [
        {
            "type": "scatter",
            "x": [s.planned_on, s.completed_on],
            "y": [name, name],
            "mode": "lines",
            "line": {"color": "#c8cdd2", "width": 4},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for name, s in zip(names, sites)
        if s.completed_on
    ]
    planned = {
        "type": "scatter",
        "x": [s.planned_on for s in sites],
        "y": names,
        "name": "计划完成日期",
        "mode": "markers",
        "marker": {
            "symbol": "circle-open",
            "size": 16,
            "color": _marked([PATH] * len(labels), labels, picked),
            "line": {"width": 3},
        },
        "customdata": [[label, f"{s.planned_on:%Y-%m-%d}"] for label, s in zip(labels, sites)],
        "hovertemplate": "%{y}<br>计划完成：%{customdata[1]}<extra></extra>",
    }
    built = [(label, name, s) for label, name, s in zip(labels, names, sites) if s.completed_on]
    completed = {
        "type": "scatter",
        "x": [s.completed_on for _, _, s in built],
        "y": [name for _, name, _ in built],
        "name": "实际完成日期",
        "mode": "markers",
        "marker": {
            "size": 16,
            "color": _marked([LIGHT_COLOURS[s.light] for _, _, s in built], [label for label, _, _ in built], picked),
        },
        "customdata": [[label, f"{s.completed_on:%Y-%m-%d}", s.status] for label, _, s in built],
        "hovertemplate": "%{y}<br>实际完成：%{customdata[1]}（%{customdata[2]}）<extra></extra>",
    }
    return _figure(
        spans + [planned, completed],
        "调解阵地逐家建设进度（点击查看该阵地记录）",
        large=large,
        height=150 + 60 * len(sites),
        **_marker(as_of, f"统计截至 {as_of:%m月%d日}", dash="dot", width=1),
        yaxis={"autorange": "reversed", "showgrid": False},
        xaxis={"tickformat": "%-m月", "dtick": "M1", "showgrid": True, "gridcolor": "#f3f3f3"},
    )


def _marker(x, text: str, *, dash: str, width: int) -> dict:
    """The layout of a vertical line at `x` (统计截至, 序时进度) labelled above the plot."""
    line = {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1}
    label = {"x": x, "y": 1, "yref": "paper", "yanchor": "bottom", "text": text, "showarrow": False}
    return {
        "shapes": [line | {"line": {"color": TARGET, "dash": dash, "width": width}}],
        "annotations": [label | {"font": {"color": TARGET}}],
    }


def _wrapped(name: str, width: int = 12) -> str:
    return "<br>".join(_html(name[i : i + width]) for i in range(0, len(name), width))


def budget_lines_figure(
    lines: list[LineSeries], elapsed: float, picked: str | None = None, *, large: bool = False
) -> go.Figure:
    """Each budget line's execution rate against the elapsed share of the year (序时进度); overruns in red."""
    bars = {
        "type": "bar",
        "x": [line.execution_rate or 0 for line in lines],
        "y": [_wrapped(line.name) for line in lines],
        "orientation": "h",
        "marker": {
            "color": _marked([LIGHT_COLOURS[line.light] for line in lines], [line.name for line in lines], picked)
        },
        "text": [
            percent(line.execution_rate) + (f"　超支 {money(line.overrun)} 元" if line.overrun else "")
            for line in lines
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [[line.name, money(line.planned), money(line.spent), _html(line.name)] for line in lines],
        "hovertemplate": (
            "%{customdata[3]}<br>预算 %{customdata[1]} 元<br>已支出 %{customdata[2]} 元<br>"
            "执行率 %{x:.2%}<extra></extra>"
        ),
    }
    return _figure(
        [bars],
        "各预算明细执行率（点击查看该明细的月度支出）",
        large=large,
        height=120 + 64 * len(lines),
        **_marker(elapsed, f"序时进度 {percent(elapsed)}", dash="dash", width=2),
        yaxis={"autorange": "reversed", "showgrid": False, "ticks": ""},
        xaxis={
            "tickformat": ".0%",
            "range": [0, max(1.15, *(line.execution_rate or 0 for line in lines)) + 0.1],
            "showgrid": True,
            "gridcolor": "#ececec",
        },
    )


def budget_month_figure(line: LineSeries, picked_month: int | None = None, *, large: bool = False) -> go.Figure:
    """A budget line month by month: spend in the month, cumulative spend against the pro-rata path and the budget."""
    months = [f"{m.month}月" for m in line.months]
    keys = [m.month for m in line.months]
    spent = {
        "type": "bar",
        "x": months,
        "y": [m.spent for m in line.months],
        "name": "当月支出",
        "marker": {"color": _marked([BAR] * len(keys), keys, picked_month)},
        "customdata": [[m.month, money(m.spent)] for m in line.months],
        "hovertemplate": "%{x}　当月支出 %{customdata[1]} 元<extra></extra>",
    }
    path = _path(
        months,
        "序时进度",
        [(m.month, m.expected, money(m.expected)) for m in line.months],
        "%{x}　序时进度 %{customdata[1]} 元<extra></extra>",
    )
    cumulative = {
        "type": "scatter",
        "x": months,
        "y": [m.cumulative for m in line.months],
        "name": "累计支出",
        "mode": "lines+markers",
        "line": {"color": INK, "width": 3},
        "marker": {
            "size": 10,
            "color": [LIGHT_COLOURS[Light.RED] if m.cumulative > line.planned + 0.005 else INK for m in line.months],
        },
        "customdata": [
            [m.month, money(m.cumulative), percent(m.cumulative / line.planned if line.planned else None)]
            for m in line.months
        ],
        "hovertemplate": "%{x}　累计支出 %{customdata[1]} 元（%{customdata[2]}）<extra></extra>",
    }
    title = "全部预算" if line.name == TOTAL else _html(line.name)
    return _figure(
        [spent, path, _level(months, line.planned, f"预算 {money(line.planned)} 元"), cumulative],
        f"{title}：按月支出（点击某月查看当月凭证）",
        large=large,
        height=400,
        yaxis={"tickformat": ",.0f"},
        xaxis={"type": "category"},
    )
