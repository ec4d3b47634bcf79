"""The rush drill's traffic: donors through the hosted checkout, banner readers, Stripe's records.

Everything here speaks plain HTTP to the app servers and the sandbox, as browsers, a CDN and
Stripe's dashboard would; nothing imports the app.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

CARDS = {
    "paid": "4242424242424242",
    "declined": "4000000000000002",  # generic_decline
    "disputed": "4000000000000259",  # paid, then disputed
}
AMOUNTS = ("10", "25", "50", "100", "250", "35.50")
TIMEOUT = 30.0  # seconds for any one request


@dataclass(frozen=True)
class Donor:
    """What one donor does: how much, how often, with which card, on which app server."""

    index: int
    server: str
    amount: str
    monthly: bool
    cover_fees: bool
    plan: str  # paid, declined (gives up), retried (declined, then a good card), disputed

    @property
    def pays(self) -> bool:
        return self.plan != "declined"


def plan_donors(count: int, servers: list[str]) -> list[Donor]:
    """A fixed mix: a quarter monthly, 1 in 10 declined for good, 1 in 10 declined then paid,
    1 in 20 disputed, a third covering the fee; donors alternate between the servers."""
    donors = []
    for i in range(count):
        plan = {3: "declined", 7: "retried"}.get(i % 10, "paid")
        if i % 20 == 9:
            plan = "disputed"
        donors.append(
            Donor(
                index=i,
                server=servers[i % len(servers)],
                amount=AMOUNTS[i % len(AMOUNTS)],
                monthly=i % 4 == 1,
                cover_fees=i % 3 == 0,
                plan=plan,
            )
        )
    return donors


@dataclass
class Visit:
    """What happened to one donor: each response by step, and when the card was accepted."""

    donor: Donor
    statuses: list[tuple[str, int]] = field(default_factory=list)
    session_id: str | None = None
    paid_at: float | None = None  # wall clock just before the checkout submit that paid
    thanked: bool = False
    error: str | None = None


class _Stay(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, to see each step's status."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One donor's browser: cookies kept, redirects seen, every response recorded."""

    def __init__(self, visit: Visit) -> None:
        self.visit = visit
        self.opener = urllib.request.build_opener(
            _Stay, urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def open(self, step: str, url: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """``(status, Location, body)``; status 0 when no answer came within TIMEOUT."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=TIMEOUT) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except OSError as error:
            self.visit.statuses.append((step, 0))
            raise RuntimeError(f"{step}: no answer from {url} ({error})") from error
        self.visit.statuses.append((step, status))
        return status, headers.get("Location", ""), body.decode(errors="replace")


def _csrf_token(html: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        match = re.search(r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the donate page")
    return match.group(1)


def donate(donor: Donor, slug: str) -> Visit:
    """Donate page, form, the sandbox's hosted checkout (declines included), the thanks page."""
    visit = Visit(donor)
    browser = Browser(visit)
    try:
        page = f"{donor.server}/campaigns/{slug}/donate"
        status, _, html = browser.open("donate page", page)
        if status != 200:
            raise RuntimeError(f"donate page answered {status}")
        form = {
            "csrf_token": _csrf_token(html),
            "amount": donor.amount,
            "frequency": "monthly" if donor.monthly else "one_time",
            "name": f"Donor {donor.index}",
            "email": f"donor{donor.index}@example.org",
            "source": "banner",
            "variant": "a",
        }
        if donor.cover_fees:
            form["cover_fees"] = "y"
        status, checkout, _ = browser.open("donate form", page, form)
        if status != 303:
            raise RuntimeError(f"donate form answered {status}")
        visit.session_id = checkout.rstrip("/").rsplit("/", 1)[-1]
        status, _, _ = browser.open("checkout page", checkout)
        if status != 200:
            raise RuntimeError(f"checkout page answered {status}")
        cards = {
            "paid": ["paid"],
            "declined": ["declined"],
            "retried": ["declined", "paid"],
            "disputed": ["disputed"],
        }[donor.plan]
        thanks = ""
        for card in cards:
            submitted = time.time()
            status, thanks, body = browser.open(
                "checkout submit",
                checkout,
                {
                    "email": f"donor{donor.index}@example.org",
                    "cardNumber": CARDS[card],
                    "cardExpiry": "12 / 34",
                    "cardCvc": "123",
                    "billingName": f"Donor {donor.index}",
                },
            )
            if card == "declined":
                if status != 200 or "declined" not in body:
                    raise RuntimeError(f"a declined card answered {status}")
                continue
            if status != 303:
                raise RuntimeError(f"checkout submit answered {status}")
            visit.paid_at = submitted
        if thanks:
            # The success URL names the public address; this donor's server stands behind it.
            parts = urllib.parse.urlsplit(thanks)
            status, _, _ = browser.open("thanks page", f"{donor.server}{parts.path}?{parts.query}")
            visit.thanked = status == 200
    except Exception as error:  # one donor's failure is a finding, not the end of the drill
        visit.error = str(error)
    return visit


# --- banner readers --------------------------------------------------------------------------

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do io.write(string.format("status %d %d\\n", status, count)) end
  io.write(string.format("socket errors %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class BannerLoad:
    """Readers of ``GET /api/campaigns/<slug>``: statuses, requests per second, no answers."""

    tool: str
    statuses: Counter[int] = field(default_factory=Counter)
    no_answer: int = 0
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class BannerReaders:
    """wrk (with a Lua script counting statuses), one per server; a Python loop without it."""

    def __init__(self, urls: list[str], seconds: float, connections: int, workdir: Path) -> None:
        self.urls, self.seconds, self.connections = urls, seconds, connections
        self.load = BannerLoad("wrk" if shutil.which("wrk") else "python loop")
        self._processes: list[subprocess.Popen[str]] = []
        self._threads: list[threading.Thread] = []
        self._script = workdir / "statuses.lua"
        self._lock = threading.Lock()

    def spawn(self, popen: Callable[..., subprocess.Popen[str]]) -> None:
        """Start wrk now (before any thread runs: see campaigns.demo.devserver)."""
        if self.load.tool != "wrk":
            return
        self._script.write_text(WRK_SCRIPT)
        per_server = max(self.connections // len(self.urls), 1)
        for url in self.urls:
            command = ["wrk", "-t1", f"-c{per_server}", f"-d{max(int(self.seconds), 1)}s"]
            command += ["--timeout", "10s", "-s", str(self._script), url]
            self._processes.append(popen(command))

    def start_threads(self, stop: threading.Event) -> None:
        if self.load.tool == "wrk":
            return
        for url in self.urls:
            for _ in range(max(self.connections // len(self.urls), 1)):
                thread = threading.Thread(target=self._read, args=(url, stop), daemon=True)
                thread.start()
                self._threads.append(thread)

    def _read(self, url: str, stop: threading.Event) -> None:
        deadline = time.monotonic() + self.seconds
        for _ in range(100_000):
            if stop.is_set() or time.monotonic() > deadline:
                return
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                with self._lock:
                    self.load.no_answer += 1
                continue
            with self._lock:
                self.load.statuses[status] += 1

    def finish(self) -> BannerLoad:
        """Wait for the readers (bounded by their duration) and add up what they saw."""
        self.load.seconds = self.seconds
        for thread in self._threads:
            thread.join(timeout=self.seconds + 15)
        for process in self._processes:
            try:
                output, _ = process.communicate(timeout=self.seconds + 30)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.M):
                self.load.statuses[int(status)] += int(count)
            errors = re.search(r"^socket errors (\d+)$", output, re.M)
            self.load.no_answer += int(errors.group(1)) if errors else 0
        return self.load


# --- the sandbox as Stripe's own record --------------------------------------------------------


class SandboxRecords:
    """The sandbox's API and control endpoints: faults, refunds, and what it says was paid."""

    def __init__(self, base: str, secret_key: str) -> None:
        self.base, self.secret_key = base, secret_key

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.secret_key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def events(self) -> list[dict[str, Any]]:
        """Every event the sandbox made, newest first (at most 1,000 pages of 100)."""
        found: list[dict[str, Any]] = []
        query = "limit=100"
        for _ in range(1000):
            page = self.call("GET", f"/v1/events?{query}")
            found.extend(page["data"])
            if not page["has_more"]:
                break
            query = f"limit=100&starting_after={page['data'][-1]['id']}"
        return found

    def deliveries(self) -> list[dict[str, Any]]:
        """Every webhook delivery (duplicates included) with its attempts and event's time."""
        return [
            {**delivery, "created": event["created"]}
            for event in self.call("GET", "/_sandbox/events")
            for delivery in event["deliveries"]
        ]

    def paid(self) -> dict[str, int]:
        """What each paid payment intent comes to: the charge, less refunds and a lost dispute."""
        events = self.events()
        charges = {e["data"]["object"]["id"] for e in events if e["type"] == "charge.succeeded"}
        disputes = {
            e["data"]["object"]["id"] for e in events if e["type"] == "charge.dispute.created"
        }
        lost: Counter[str] = Counter()
        for dispute_id in disputes:
            dispute = self.call("GET", f"/v1/disputes/{dispute_id}")
            if dispute["status"] == "lost":
                lost[dispute["charge"]] += dispute["amount"]
        net = {}
        for charge_id in charges:
            charge = self.call("GET", f"/v1/charges/{charge_id}")
            amount = charge["amount"] - charge["amount_refunded"] - lost[charge_id]
            net[charge["payment_intent"]] = max(amount, 0)
        return net
