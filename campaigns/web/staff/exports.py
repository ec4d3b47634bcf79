"""CSV exports, streamed in constant memory, and the LYBUNT/SYBUNT lists they come from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import Response, abort, render_template, request, stream_with_context

from ...models import Role
from ...reports.exports import donations_csv, donors_csv, newsletter_csv
from ...reports.paging import page_of
from ...reports.retention import lybunt, lybunt_csv, sybunt, sybunt_csv
from ...staff_accounts.audit import record
from .access import me, requires
from .blueprint import bp
from .donors import donation_filter, page_number

RETENTION = {"lybunt": (lybunt, lybunt_csv), "sybunt": (sybunt, sybunt_csv)}


def _csv_download(
    name: str, action: str, details: dict[str, Any], chunks: Iterator[str]
) -> Response:
    """Audit the export (committed before the first byte goes out), then stream it."""
    record(action, name, details, me())  # committed by the request before the body streams
    filename = f"{name}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/donations.csv")
@requires(Role.STAFF)
def donations_export() -> Response:
    criteria = donation_filter()
    filters = {k: v for k, v in request.args.items() if v}
    return _csv_download(
        "donations", "export.donations", {"filters": filters}, donations_csv(criteria)
    )


@bp.get("/donors.csv")
@requires(Role.STAFF)
def donors_export() -> Response:
    search = request.args.get("q", "")[:200] or None
    return _csv_download("donors", "export.donors", {"q": search}, donors_csv(search))


@bp.get("/newsletter.csv")
@requires(Role.STAFF)
def newsletter_export() -> Response:
    return _csv_download("newsletter-opt-ins", "export.newsletter", {}, newsletter_csv())


def _year() -> int | None:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2200 else None


@bp.get("/retention")
@requires(Role.VIEWER)
def retention() -> str:
    kind = request.args.get("list", "lybunt")
    kind = kind if kind in RETENTION else "lybunt"
    listing, _ = RETENTION[kind]
    year = _year() or date.today().year
    return render_template(
        "staff/retention.html", kind=kind, year=year, page=page_of(listing(year), page_number())
    )


@bp.get("/retention/<kind>.csv")
@requires(Role.STAFF)
def retention_export(kind: str) -> Response:
    if kind not in RETENTION:
        abort(404)
    _, export = RETENTION[kind]
    year = _year()
    return _csv_download(kind, f"export.{kind}", {"year": year}, export(year))
