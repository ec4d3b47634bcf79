"""Server-rendered SVG charts (pygal): light pages, no build step, readable without colour."""

from __future__ import annotations

from itertools import accumulate

import pygal
from markupsafe import Markup
from pygal.style import Style

from ..money import to_major
from .overview import CampaignOverview

# Dark, distinct series that also differ by dash pattern and marker, for readers without colour.
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5360",
    colors=("#1e6b3a", "#b3261e", "#1a56db", "#6b4c9a"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


def _config(chart: pygal.Graph, title: str) -> pygal.Graph:
    chart.config.js = []  # no tooltip script from a CDN: the table beside each chart has the data
    chart.config.disable_xml_declaration = True
    chart.config.explicit_size = False
    chart.config.title = title
    return chart


def cumulative_chart(overview: CampaignOverview) -> Markup:
    """Raised so far against the goal line, with last year's campaign when one is linked."""
    currency = overview.campaign.currency
    chart = _config(
        pygal.Line(
            style=STYLE,
            show_dots=False,
            width=800,
            height=320,
            x_label_rotation=0,
            show_minor_x_labels=False,
            value_formatter=lambda v: f"{v:,.0f}",
        ),
        "Raised against the goal",
    )
    totals = list(accumulate(day.amount for day in overview.days))
    chart.x_labels = [day.day.strftime("%b %d") for day in overview.days]
    chart.x_labels_major = chart.x_labels[:: max(len(chart.x_labels) // 8, 1)]
    chart.add(
        "Raised", [float(to_major(total, currency)) for total in totals], stroke_style={"width": 3}
    )
    goal = float(to_major(overview.campaign.goal_amount, currency))
    chart.add("Goal", [goal] * len(totals), stroke_style={"dasharray": "8, 6", "width": 2})
    if overview.previous_days:
        previous = list(accumulate(day.amount for day in overview.previous_days))
        chart.add(
            "Last year",
            [float(to_major(total, currency)) for total in previous],
            stroke_style={"dasharray": "2, 4", "width": 2},
        )
    return Markup(chart.render(is_unicode=True))  # noqa: S704 - pygal escapes every label


def daily_chart(overview: CampaignOverview) -> Markup:
    currency = overview.campaign.currency
    chart = _config(
        pygal.Bar(
            style=STYLE,
            width=800,
            height=260,
            show_legend=False,
            show_minor_x_labels=False,
            value_formatter=lambda v: f"{v:,.0f}",
        ),
        "Raised per day",
    )
    chart.x_labels = [day.day.strftime("%b %d") for day in overview.days]
    chart.x_labels_major = chart.x_labels[:: max(len(chart.x_labels) // 8, 1)]
    chart.add("Raised", [float(to_major(day.amount, currency)) for day in overview.days])
    return Markup(chart.render(is_unicode=True))  # noqa: S704 - pygal escapes every label


def source_chart(overview: CampaignOverview) -> Markup:
    currency = overview.campaign.currency
    chart = _config(
        pygal.HorizontalBar(
            style=STYLE, width=800, height=260, value_formatter=lambda v: f"{v:,.0f}"
        ),
        "Gifts by source and banner variant",
    )
    for row in overview.by_source[:8]:
        label = f"{row.source} {row.variant}".strip()
        chart.add(label, [float(to_major(row.amount, currency))])
    return Markup(chart.render(is_unicode=True))  # noqa: S704 - pygal escapes every label
