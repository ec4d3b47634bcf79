"""The overview: every live campaign at a glance, with charts and their tables."""

from __future__ import annotations

from flask import current_app, render_template

from ...fundraising.campaigns import list_live_campaigns
from ...models import Role, utcnow
from ...reports.charts import cumulative_chart, daily_chart, source_chart
from ...reports.inbox import inbox_lag
from ...reports.overview import campaign_overview
from .access import requires
from .blueprint import bp


@bp.get("/")
@requires(Role.VIEWER)
def overview() -> str:
    now = utcnow()
    panels = []
    for campaign in list_live_campaigns(now):
        data = campaign_overview(campaign, now)
        panels.append(
            {
                "data": data,
                "cumulative": cumulative_chart(data),
                "daily": daily_chart(data),
                "sources": source_chart(data),
            }
        )
    lag = inbox_lag(now)
    late = lag is not None and lag > current_app.config["EVENT_LAG_WARNING_SECONDS"]
    return render_template(
        "staff/overview.html", panels=panels, events_behind=lag if late else None
    )
