"""总览's figures: the score by 一级指标 and the budget, and the total month by month. Pure builders, no Streamlit,
in kpi.charts' frame and colours; each clickable trace carries what a click picks as customdata[0] (a part's name,
a month), as kpi.charts' figures do."""

import plotly.graph_objects as go

from kpi.charts import BAR, INK, PATH, TARGET, _frame, _html, _marked
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
    fig = go.Figure()
    fig.add_bar(
        x=[part.weight for part in parts],
        y=labels,
        orientation="h",
        name="分值",
        marker={"color": AVAILABLE},
        text=[f"{part.score:.2f} / {part.weight:.2f}" for part in parts],  # at the end of what is available
        textposition="outside",
        cliponaxis=False,
        customdata=customdata,
        hovertemplate=hover,
    )
    fig.add_bar(
        x=[part.score for part in parts],
        y=labels,
        orientation="h",
        name="得分",
        marker={"color": _marked([BAR] * len(names), names, picked)},
        width=0.5,
        customdata=customdata,
        hovertemplate=hover,
    )
    fig = _frame(fig, "得分构成（点击查看该类指标）", large=large, height=120 + 52 * len(parts))
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    fig.update_xaxes(
        range=[0, max(part.weight for part in parts) * 1.6], showgrid=False, showticklabels=False, ticks=""
    )
    return fig


def totals_figure(months: list[MonthTotal], picked_month: int | None = None, *, large: bool = False) -> go.Figure:
    """The total score at each month end; 暂定 points hollow, the grade floors (优 良 中) dotted behind them."""
    x = [m.month for m in months]
    fig = go.Figure()
    fig.add_scatter(
        x=x,
        y=[m.total for m in months],
        mode="lines",
        line={"color": INK, "width": 3},
        showlegend=False,
        hoverinfo="skip",
    )
    for provisional, name in ((False, "总分"), (True, "总分（暂定：尚有定性指标待评定）")):
        shown = [m for m in months if m.provisional is provisional]
        if not shown:
            continue
        fig.add_scatter(
            x=[m.month for m in shown],
            y=[m.total for m in shown],
            name=name,
            mode="markers",
            marker={
                "symbol": "circle-open" if provisional else "circle",
                "color": INK,
                "size": [(24 if large else 18) if m.month == picked_month else (15 if large else 11) for m in shown],
                "line": {"width": 3},
            },
            customdata=[
                [
                    m.month,
                    f"{m.total:.2f}",
                    m.grade + ("（暂定）" if provisional else ""),
                    f"{m.as_of.month}月{m.as_of.day}日",
                ]
                for m in shown
            ],
            hovertemplate="截至%{customdata[3]}　总分 %{customdata[1]}，%{customdata[2]}<extra></extra>",
        )
    for floor, grade in GRADES:
        # add_shape, not add_hline (the same line), which costs several milliseconds more a line
        fig.add_shape(
            type="line",
            xref="x domain",
            x0=0,
            x1=1,
            yref="y",
            y0=floor,
            y1=floor,
            line={"color": PATH, "dash": "dot", "width": 1},
        )
        fig.add_annotation(
            x=1, xref="paper", xanchor="left", y=floor, text=f"{grade} {floor}", showarrow=False, font={"color": TARGET}
        )
    fig = _frame(fig, "总分逐月变化（点击某月按该月统计）", large=large, height=360)
    low = min([m.total for m in months] + [GRADES[-1][0]])
    fig.update_yaxes(range=[max(0, low - 10), 100], dtick=10)
    # Month numbers under the axis, 月 once as its title: twelve labels stay upright in half a page.
    fig.update_xaxes(tickvals=x, ticktext=[str(month) for month in x], title={"text": "月份", "standoff": 4})
    fig.update_layout(margin={"r": 60})
    return fig
