"""A page on another origin that embeds the banner, as a newsroom's site would.

    python -m campaigns.demo.embed_page --app-url http://127.0.0.1:5000 --port 5001
    then open http://127.0.0.1:5001/?campaign=eoy-2026&placement=top

Query options: ``campaign``, ``placement`` (top, bottom, inline; empty: the campaign's),
``target`` (a selector for inline), ``frame=1`` (the iframe instead of the script),
``twice=1`` (the script tag twice), ``hostile=1`` (CSS that tries to break the banner) and
``csp=1`` (a strict Content-Security-Policy, as careful sites send).
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PLACEMENTS = ("", "top", "bottom", "inline")
SLOT = "#banner-slot"

# Rules a careless or hostile site might ship: none of them may reach inside the banner.
HOSTILE_CSS = """
html { font-size: 4px !important; }
* { font: italic 40px/3 serif !important; color: #0f0 !important; letter-spacing: 4px !important;
    box-sizing: content-box !important; text-transform: uppercase !important; }
campaign-banner, [data-placement] { display: none !important; position: static !important;
    opacity: 0 !important; transform: scale(0) !important; z-index: -1 !important; }
section, p, a, button, span, div { background: #f0f !important; border: 9px dashed red !important; }
"""

ARTICLE = """
<p>Reader-funded reporting keeps the city council honest. This week our reporters read two
thousand pages of budget documents so that you don't have to.</p>
<p>The transit authority's new schedule cuts late-night service on six routes; riders told us
what that means for night-shift workers, students and anyone without a car.</p>
<p>Meanwhile the library board voted to extend weekend hours at four branches, paid for by a
grant that runs out next spring. We asked what happens then.</p>
"""


def host_page(app_url: str, query: dict[str, str]) -> str:
    """The host page's HTML for the given query options (every value escaped)."""
    campaign = escape(query.get("campaign", ""))
    placement = query.get("placement", "")
    if placement not in PLACEMENTS:
        placement = ""
    target = query.get("target", SLOT if placement == "inline" else "")
    attributes = f'data-campaign="{campaign}"'
    if placement:
        attributes += f' data-placement="{placement}"'
    if target:
        attributes += f' data-target="{escape(target)}"'
    script = f'<script async src="{escape(app_url)}/widget.js" {attributes}></script>'
    # An inline banner needs its room kept from the first paint, or the article would move.
    slot = '<div id="banner-slot" class="reserved"></div>' if placement == "inline" else ""
    if query.get("frame") == "1":
        slot = (
            f'<iframe src="{escape(app_url)}/embed/{campaign}" title="Our year-end campaign" '
            'class="reserved"></iframe>'
        )
        script = ""
    scripts = script * (2 if query.get("twice") == "1" else 1)
    hostile = f"<style>{HOSTILE_CSS}</style>" if query.get("hostile") == "1" else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City News</title>
<link rel="stylesheet" href="/site.css">
{hostile}
</head>
<body>
<header><nav aria-label="Sections"><a href="/">City News</a> <a href="/">Politics</a></nav></header>
<main>
<h1>What the new budget means for you</h1>
{slot}
{ARTICLE}
<p><button type="button" id="host-button">Host button</button>
<output id="host-output">0</output></p>
{ARTICLE}
</main>
<footer><p>City News</p></footer>
{scripts}
<script src="/site.js"></script>
</body>
</html>
"""


# Styles and script of the host's own, kept out of the page so a strict CSP can allow them.
SITE_CSS = """
body { margin: 0; font: 17px/1.6 Georgia, serif; color: #222; background: #fff; }
header, main, footer { max-width: 720px; margin: 0 auto; padding: 0 16px; }
.reserved { display: block; box-sizing: border-box; width: 100%; height: 240px; margin: 16px 0;
  border: 0; }
"""
SITE_JS = """
document.getElementById("host-button").addEventListener("click", function () {
  var out = document.getElementById("host-output");
  out.textContent = String(Number(out.textContent) + 1);
});
"""


def _csp(app_url: str) -> str:
    return (
        f"default-src 'self'; script-src 'self' {app_url}; connect-src {app_url}; "
        f"frame-src {app_url}; style-src 'self'; img-src 'self'"
    )


class _Handler(BaseHTTPRequestHandler):
    app_url = ""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/site.css":
            self._send(200, "text/css", SITE_CSS)
        elif url.path == "/site.js":
            self._send(200, "text/javascript", SITE_JS)
        elif url.path == "/favicon.ico":
            self._send(204, "image/x-icon", "")
        elif url.path == "/":
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            headers = {"Content-Security-Policy": _csp(self.app_url)} if "csp" in query else {}
            self._send(200, "text/html; charset=utf-8", host_page(self.app_url, query), headers)
        else:
            self._send(404, "text/plain", "not found")

    def _send(
        self, status: int, content_type: str, body: str, headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a test run needs no request log


def make_server(app_url: str, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A host-page server for ``app_url`` (port 0: any free port); call ``serve_forever``."""
    handler = type("DemoHandler", (_Handler,), {"app_url": app_url.rstrip("/")})
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(app_url: str) -> ThreadingHTTPServer:
    """Start a host-page server on a free loopback port in a daemon thread."""
    server = make_server(app_url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app-url", default="http://127.0.0.1:5000")
    parser.add_argument("--port", type=int, default=5001)
    args = parser.parse_args()
    server = make_server(args.app_url, port=args.port)
    print(f"Host page on http://127.0.0.1:{args.port}/ embedding {args.app_url}/widget.js")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
