"""总览's figures: the score by 一级指标 and the budget, and the total month by month. Pure builders, no Streamlit,
in kpi.charts' frame and colours; each clickable trace carries what a click picks as customdata[0] (a part's name,
a month), as kpi.charts' figures do."""

import plotly.graph_objects as go

from kpi.charts import BAR, INK, PATH, TARGET, _figure, _html, _marked
from kpi.formatting import percent
from kpi.scoring import GRADES
from kpi.trend import MonthTotal, Part

AVAILABLE = "#e3e7ec"  # the points available, behind the points achieved


def composition_figure(parts: list[Part], picked: str | None = None, *, large: bool = False) -> go.Figure:
    """Each part's points achieved over its points available, one bar each; the picked part stands out."""
    names = [part.name for part in parts]
    labels = [_html(name) for name in names]
    shares = [percent(part.score / part.weight if part.weight else None) for part in parts]
    customdata = [[part.name, f"{part.score:.2f}", f"{part.weight:.2f}", share] for part, share in zip(parts, shares)]
    hover = "%{y}<br>得分 %{customdata[1]} / 分值 %{customdata[2]}（%{customdata[3]}）<extra></extra>"
    bars = {"type": "bar", "y": labels, "orientation": "h", "customdata": customdata, "hovertemplate": hover}
    available = bars | {
        "x": [part.weight for part in parts],
        "name": "分值",
        "marker": {"color": AVAILABLE},
        "text": [f"{part.score:.2f} / {part.weight:.2f}" for part in parts],  # at the end of what is available
        "textposition": "outside",
        "cliponaxis": False,
    }
    achieved = bars | {
        "x": [part.score for part in parts],
        "name": "得分",
        "marker": {"color": _marked([BAR] * len(names), names, picked)},
        "width": 0.5,
    }
    return _figure(
        [available, achieved],
        "得分构成（点击查看该类指标）",
        large=large,
        height=120 + 52 * len(parts),
        barmode="overlay",
        bargap=0.35,
        yaxis={"autorange": "reversed", "showgrid": False, "ticks": ""},
        xaxis={
            "range": [0, max(part.weight for part in parts) * 1.6],
            "showgrid": False,
            "showticklabels": False,
            "ticks": "",
        },
    )


def totals_figure(months: list[MonthTotal], picked_month: int | None = None, *, large: bool = False) -> go.Figure:
    """The total score at each month end; 暂定 points hollow, the grade floors (优 良 中) dotted behind them."""
    x = [m.month for m in months]
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": [m.total for m in months],
            "mode": "lines",
            "line": {"color": INK, "width": 3},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    ]
    for provisional, name in ((False, "总分"), (True, "总分（暂定：尚有定性指标待评定）")):
        shown = [m for m in months if m.provisional is provisional]
        if not shown:
            continue
        traces.append(
            {
                "type": "scatter",
                "x": [m.month for m in shown],
                "y": [m.total for m in shown],
                "name": name,
                "mode": "markers",
                "marker": {
                    "symbol": "circle-open" if provisional else "circle",
                    "color": INK,
                    "size": [
                        (24 if large else 18) if m.month == picked_month else (15 if large else 11) for m in shown
                    ],
                    "line": {"width": 3},
                },
                "customdata": [
                    [
                        m.month,
                        f"{m.total:.2f}",
                        m.grade + ("（暂定）" if provisional else ""),
                        f"{m.as_of.month}月{m.as_of.day}日",
                    ]
                    for m in shown
                ],
                "hovertemplate": "截至%{customdata[3]}　总分 %{customdata[1]}，%{customdata[2]}<extra></extra>",
            }
        )
    floor_line = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y"}
    floor_label = {"x": 1, "xref": "paper", "xanchor": "left", "showarrow": False, "font": {"color": TARGET}}
    low = min([m.total for m in months] + [GRADES[-1][0]])
    return _figure(
        traces,
        "总分逐月变化（点击某月按该月统计）",
        large=large,
        height=360,
        shapes=[
            floor_line | {"y0": floor, "y1": floor, "line": {"color": PATH, "dash": "dot", "width": 1}}
            for floor, _ in GRADES
        ],
        annotations=[floor_label | {"y": floor, "text": f"{grade} {floor}"} for floor, grade in GRADES],
        yaxis={"range": [max(0, low - 10), 100], "dtick": 10},
        # Month numbers under the axis, 月 once as its title: twelve labels stay upright in half a page.
        xaxis={"tickvals": x, "ticktext": [str(month) for month in x], "title": {"text": "月份", "standoff": 4}},
        margin={"r": 60},
    )
