"""The December 31 rush, on one machine: do donors get through, and does the ledger add up?

Starts, against one fresh database (SQLite or PostgreSQL):

- two app servers (gunicorn, 2 sync workers each, on two free loopback ports), as two hosts
  behind a load balancer would be: donors and banner readers alternate between them;
- N background workers (WORKER_COMMAND);
- the Stripe sandbox as Stripe, with its fault injection on (every event delivered twice,
  each batch newest first, held back a second). It sends every webhook to the first app
  server: the sandbox sends one at a time from one thread, as Stripe does to one endpoint, so
  a second target would add no concurrency;
- banner readers on ``GET /api/campaigns/<slug>`` (wrk, or a Python loop without it), while
- N donors pay at once through the sandbox's hosted checkout: one-time and monthly, some
  declined for good, some declined and then paid, some disputed. Afterwards a few gifts are
  refunded and disputes closed won or lost, as staff and banks would.

It reports HTTP responses by status on every surface (target: no 5xx), webhook
acknowledgements and events applied per second, the lag from a donor's card being accepted
to the campaign's total including the gift (polled in the database, not the cached API), and
the ledger against the sandbox's own record of what was paid, refunded and disputed (target:
0 cents, every paid gift counted once). Exits 1 when a target is missed.

    .venv/bin/python benchmarks/rush_drill.py --database sqlite --donors 200
    .venv/bin/python benchmarks/rush_drill.py --database postgres --donors 200 \\
        --database-url postgresql://postgres@127.0.0.1:5432/test

PostgreSQL: like the other benchmarks it makes ``<name>_rush`` afresh beside the database of
--database-url (DATABASE_URL); with --in-place it empties that database itself instead (its name
must contain test, bench or drill).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.rush_traffic import (  # noqa: E402
    BannerLoad,
    BannerReaders,
    SandboxRecords,
    Visit,
    donate,
    plan_donors,
)
from campaigns.config import normalize_database_url  # noqa: E402
from campaigns.demo.devserver import die_with_parent, stop_children  # noqa: E402
from campaigns.models import Campaign, Donation, StripeEvent  # noqa: E402
from tests.databases import fresh_postgres_database  # noqa: E402

# The background worker: `flask --app app <this>`.
WORKER_COMMAND = ("worker", "--interval", "0.5")
SLUG = "rush"
SECRET_KEY = "sk_test_rush_drill"
WEBHOOK_SECRET = "whsec_rush_drill"
FAULTS = {"duplicate": 1, "reorder": True, "delay_seconds": 1}
POLL_SECONDS = 0.1  # how often the lag watcher reads the database


@dataclass
class Options:
    database_url: str
    donors: int = 30
    concurrency: int = 0  # donors at once; 0: all of them
    workers: int = 2
    banner_seconds: float = 20.0
    banner_connections: int = 8
    donor_seconds: float = 300.0  # the donors' time limit, all together
    settle_seconds: float = 90.0  # how long the ledger may take to catch up afterwards


@dataclass
class Report:
    backend: str
    options: Options
    visits: list[Visit]
    banner: BannerLoad
    webhook_statuses: Counter[int]
    acks_per_second: float
    queue_waits: list[float]
    events: int
    events_per_second: float
    event_clock: str
    lags: list[float]
    unseen: int
    ledger_total: int
    sandbox_total: int
    mismatches: list[str]
    counted: int
    paid_payments: int
    donors_seconds: float
    settled_seconds: float
    server_errors: Counter[str] = field(default_factory=Counter)
    emails: str = ""
    event_statuses: str = ""

    @property
    def diff(self) -> int:
        return self.ledger_total - self.sandbox_total

    def statuses(self) -> dict[str, Counter[int]]:
        """Responses by status on each surface (0: no answer)."""
        surfaces: dict[str, Counter[int]] = {}
        for visit in self.visits:
            for step, status in visit.statuses:
                surfaces.setdefault(step, Counter())[status] += 1
        surfaces["banner API"] = Counter(self.banner.statuses)
        if self.banner.no_answer:
            surfaces["banner API"][0] += self.banner.no_answer
        surfaces["webhooks"] = self.webhook_statuses
        return surfaces

    @property
    def five_xx(self) -> int:
        return sum(
            count
            for counter in self.statuses().values()
            for status, count in counter.items()
            if status >= 500
        )

    @property
    def failed_donors(self) -> list[Visit]:
        return [visit for visit in self.visits if visit.error]

    @property
    def counted_once(self) -> bool:
        return not self.mismatches and self.counted == self.paid_payments

    @property
    def met(self) -> bool:
        return self.five_xx == 0 and self.diff == 0 and self.counted_once

    def table(self) -> str:
        o = self.options
        donors = self.visits
        monthly = sum(v.donor.monthly for v in donors)
        plans = Counter(v.donor.plan for v in donors)
        lines = [
            f"rush drill on {self.backend}: 2 app servers x 2 gunicorn sync workers, "
            f"{o.workers} x `flask --app app {' '.join(WORKER_COMMAND)}`, {os.cpu_count()} CPUs",
            f"sandbox faults {FAULTS}; webhooks to app server 1",
            f"donors: {len(donors)} ({len(donors) - monthly} one-time, {monthly} monthly; "
            + ", ".join(f"{count} {plan}" for plan, count in sorted(plans.items()))
            + f"), {o.concurrency or len(donors)} at once, done in {self.donors_seconds:.1f} s"
            + f"; banner readers: {self.banner.tool}, {o.banner_connections} connections, "
            f"{self.banner.requests / max(self.banner.seconds, 0.001):.0f} req/s",
            "",
            f"{'responses':<18}{'total':>7}{'2xx':>7}{'3xx':>7}{'4xx':>7}{'5xx':>7}{'none':>7}",
        ]
        for surface, counter in self.statuses().items():
            by_class: Counter[int] = Counter()
            for status, count in counter.items():
                by_class[status // 100] += count
            lines.append(
                f"{surface:<18}{sum(counter.values()):>7}"
                + "".join(f"{by_class[k]:>7}" for k in (2, 3, 4, 5, 0))
            )
        lag = (
            f"p50 {percentile(self.lags, 50):.2f} s, p99 {percentile(self.lags, 99):.2f} s, "
            f"max {max(self.lags):.2f} s"
            if self.lags
            else "none measured"
        )
        lines += [
            "",
            f"{'webhook acks':<30}{self.acks_per_second:>8.1f} /s (the sandbox sends one at a "
            f"time; events waited p50 {percentile(self.queue_waits or [0.0], 50):.1f} s, "
            f"max {max(self.queue_waits or [0.0]):.1f} s for their first delivery)",
            f"{'events applied':<30}{self.events_per_second:>8.1f} /s "
            f"({self.events} event rows, by {self.event_clock}"
            + (f"; {self.event_statuses})" if self.event_statuses else ")"),
            f"{'payment to thermometer':<30}{lag} (with the {FAULTS['delay_seconds']} s delay)"
            + (f"; {self.unseen} paid gifts never seen" if self.unseen else ""),
            f"{'ledger vs sandbox':<30}{self.ledger_total} - {self.sandbox_total} = "
            f"{self.diff} cents; {self.counted} gifts counted for {self.paid_payments} "
            f"paid payments{'' if not self.mismatches else '; ' + '; '.join(self.mismatches[:5])}",
            f"{'settled':<30}{self.settled_seconds:.1f} s after the last donor, refunds and "
            "disputes included" + (f"; emails {self.emails}" if self.emails else ""),
        ]
        if self.failed_donors:
            reasons = Counter(visit.error for visit in self.failed_donors)
            lines.append(f"donors who failed: {len(self.failed_donors)}: {dict(reasons)}")
        if self.server_errors:
            lines.append("errors in the servers' logs:")
            lines += [f"  {count:>5} x {line}" for line, count in self.server_errors.most_common(8)]
        lines.append(
            f"targets: no 5xx {'met' if self.five_xx == 0 else f'MISSED ({self.five_xx})'}; "
            f"ledger diff 0 {'met' if self.diff == 0 else 'MISSED'}; "
            f"every paid gift counted once {'met' if self.counted_once else 'MISSED'}"
        )
        return "\n".join(lines)


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(percent) - 1]


# --- the database -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database(backend: str, url: str, workdir: Path, in_place: bool) -> str:
    """A new SQLite file; ``<name>_rush`` beside the PostgreSQL database of ``url``, made
    afresh as every benchmark's is; or, ``in_place``, that database itself emptied."""
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'rush.sqlite3'}"
    if not in_place:
        return fresh_postgres_database(url, "rush")
    target = sa.make_url(normalize_database_url(url))
    if not re.search(r"test|bench|drill", target.database or ""):
        raise SystemExit(f"refusing to empty {target.database!r}: name a test database")
    engine = sa.create_engine(target)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return target.render_as_string(hide_password=False)


def prepare(env: dict[str, str]) -> None:
    """Migrate and open a campaign in its final 48 hours, through the app's own commands."""
    now = datetime.now(UTC)
    commands = [
        ["db", "upgrade"],
        ["campaigns", "create", "--slug", SLUG, "--title", "The year-end rush"],
        ["--goal", "1000000", "--currency", "usd", "--timezone", "UTC"],
        ["--starts", (now - timedelta(days=30)).strftime("%Y-%m-%d")],
        ["--ends", (now + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")],
    ]
    for command in (commands[0], [arg for part in commands[1:] for arg in part]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


class Ledger:
    """Reads the app's tables directly (the models only lend their column types)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(normalize_database_url(url))
        with self.engine.connect() as connection:
            self.campaign_id = connection.scalar(
                sa.select(Campaign.id).where(Campaign.slug == SLUG)
            )

    def counted_sessions(self) -> set[str]:
        with self.engine.connect() as connection:
            rows = connection.scalars(
                sa.select(Donation.stripe_checkout_session_id).where(
                    Donation.campaign_id == self.campaign_id, Donation.counted
                )
            )
            return {row for row in rows if row}

    def totals(self) -> tuple[int, int, dict[str, list[int]], int]:
        """The campaign's counters, each payment's counted amounts, the sum over gifts."""
        with self.engine.connect() as connection:
            raised, count = connection.execute(
                sa.select(Campaign.raised_amount, Campaign.donation_count).where(
                    Campaign.id == self.campaign_id
                )
            ).one()
            gifts = connection.execute(
                sa.select(Donation.stripe_payment_intent_id, Donation.counted_amount).where(
                    Donation.campaign_id == self.campaign_id
                )
            ).all()
        by_payment: dict[str, list[int]] = {}
        for payment, amount in gifts:
            if payment:
                by_payment.setdefault(payment, []).append(amount)
        return raised, count, by_payment, sum(amount for _, amount in gifts)

    def event_times(self) -> tuple[str, list[datetime]]:
        """When each event was applied: the inbox's own timestamp if it keeps one."""
        column_name = next(
            (name for name in ("applied_at", "processed_at") if hasattr(StripeEvent, name)),
            "received_at",
        )
        column = getattr(StripeEvent, column_name)
        with self.engine.connect() as connection:
            times = list(connection.scalars(sa.select(column).where(column.is_not(None))))
        return column_name, times

    def event_statuses(self) -> str:
        """Event rows by status, where the inbox keeps one ("applied 40, received 2")."""
        status = getattr(StripeEvent, "status", None)
        if status is None:
            return ""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(status, sa.func.count()).group_by(status))
            return ", ".join(f"{count} {value}" for value, count in rows)

    def emails(self) -> str:
        with contextlib.suppress(sa.exc.SQLAlchemyError), self.engine.connect() as connection:
            query = "SELECT status, count(*) FROM outbox_email GROUP BY status"
            rows = connection.execute(sa.text(query))
            return ", ".join(f"{count} {status}" for status, count in rows)
        return ""


def compare(ledger: Ledger, paid: dict[str, int]) -> tuple[int, int, list[str], int]:
    """The ledger's total, its counted gifts, and where it and the sandbox disagree."""
    raised, count, by_payment, gift_sum = ledger.totals()
    mismatches = []
    for payment, net in sorted(paid.items()):
        counted = by_payment.get(payment, [])
        if counted != [net]:
            mismatches.append(f"{payment}: sandbox {net}, ledger {counted or 'no gift'}")
    for payment in by_payment.keys() - paid.keys():
        if any(by_payment[payment]):
            mismatches.append(f"{payment}: counted {by_payment[payment]}, not paid in the sandbox")
    if gift_sum != raised:
        mismatches.append(f"gifts add up to {gift_sum}, the campaign's counter says {raised}")
    return raised, count, mismatches, sum(1 for net in paid.values() if net > 0)


# --- processes -----------------------------------------------------------------------------------


class Children:
    """Every process the drill starts, each in its own group and (on Linux) dying with it."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.processes: list[subprocess.Popen[Any]] = []

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[Any]:
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        log.close()
        self.processes.append(process)
        return process

    def spawn_piped(self, command: list[str]) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        stop_children(self.processes)

    def errors(self) -> Counter[str]:
        """The exceptions the servers and workers logged, by their last line."""
        found: Counter[str] = Counter()
        pattern = re.compile(r"^([\w.]+(?:Error|Exception)): (.{0,90})", re.M)
        for log in self.logs.glob("*.log"):
            for name, message in pattern.findall(log.read_text(errors="replace")):
                found[f"{log.stem}: {name}: {message}"] += 1
        # A driver's error and SQLAlchemy's wrapper around it are one error: keep the wrapper.
        return Counter(
            {
                line: count
                for line, count in found.items()
                if not any(
                    f"({line.split(': ', 2)[1]}) {line.split(': ', 2)[2]}" in other
                    for other in found
                )
            }
        )


def wait_for(url: str, process: subprocess.Popen[Any], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def start(children: Children, env: dict[str, str], servers: list[str], options: Options) -> None:
    """The sandbox, two app servers and the workers, once the servers answer."""
    sandbox = env["STRIPE_API_BASE"]
    python = [sys.executable, "-m"]
    sandbox_process = children.spawn(
        "sandbox",
        [
            *python,
            *("campaigns.sandbox", "--port", sandbox.rsplit(":", 1)[1]),
            *("--webhook-url", f"{servers[0]}/stripe/webhook", "--webhook-secret", WEBHOOK_SECRET),
        ],
        env,
    )
    apps = [
        children.spawn(
            f"app-{number}",
            [
                *python,
                *("gunicorn", "--workers", "2", "--bind", url.removeprefix("http://")),
                *(
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    "--log-level",
                    "warning",
                    "app:app",
                ),
            ],
            env,
        )
        for number, url in enumerate(servers, 1)
    ]
    for number in range(1, options.workers + 1):
        children.spawn(f"worker-{number}", [*python, "flask", "--app", "app", *WORKER_COMMAND], env)
    wait_for(f"{sandbox}/", sandbox_process)
    for url, process in zip(servers, apps, strict=True):
        wait_for(f"{url}/api/campaigns/{SLUG}", process)


# --- the drill -----------------------------------------------------------------------------------


def watch_lag(ledger: Ledger, seen: dict[str, float], stop: threading.Event, limit: float) -> None:
    """Note when each gift is first counted in the campaign's total (bounded by ``limit``)."""
    deadline = time.monotonic() + limit
    while not stop.is_set() and time.monotonic() < deadline:
        now = time.time()
        with contextlib.suppress(sa.exc.SQLAlchemyError):  # a locked read: try again
            for session in ledger.counted_sessions():
                seen.setdefault(session, now)
        stop.wait(POLL_SECONDS)


def wait_until_counted(visits: list[Visit], seen: dict[str, float], seconds: float) -> None:
    """Until every paid gift is in the total (or ``seconds`` pass): refunds come after."""
    deadline = time.monotonic() + seconds
    paid = {visit.session_id for visit in visits if visit.paid_at and visit.session_id}
    while time.monotonic() < deadline and not paid <= seen.keys():
        time.sleep(0.2)


def act_as_staff(records: SandboxRecords, visits: list[Visit]) -> None:
    """Refund every fourth paid one-time gift (in full or in part), close disputes."""
    one_time = [
        v for v in visits if v.paid_at and not v.donor.monthly and v.donor.plan != "disputed"
    ]
    for number, visit in enumerate(one_time[::4]):
        session = records.call("GET", f"/v1/checkout/sessions/{visit.session_id}")
        refund: dict[str, Any] = {"payment_intent": session["payment_intent"]}
        if number % 2:
            refund["amount"] = 500
        records.call("POST", "/_sandbox/refund", refund)
    disputes = [e for e in records.events() if e["type"] == "charge.dispute.created"]
    for number, event in enumerate(sorted(disputes, key=lambda e: e["id"])):
        outcome = ("lost", "won", None)[number % 3]
        if outcome:
            dispute = event["data"]["object"]["id"]
            records.call("POST", f"/_sandbox/disputes/{dispute}/close", {"status": outcome})


def settle(records: SandboxRecords, ledger: Ledger, seconds: float) -> dict[str, int]:
    """Wait until every delivery is settled and the ledger agrees, or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    paid: dict[str, int] = {}
    while time.monotonic() < deadline:
        states = Counter(delivery["state"] for delivery in records.deliveries())
        if not states["pending"] and not states["in_flight"]:
            paid = records.paid()
            raised, _, mismatches, _ = compare(ledger, paid)
            if not mismatches and raised == sum(paid.values()):
                return paid
        time.sleep(1)
    return paid or records.paid()


def rate(times: list[float]) -> float:
    """Events per second over the span they cover."""
    if len(times) < 2:
        return float(len(times))
    return len(times) / max(max(times) - min(times), 0.001)


def donors_pay(options: Options, servers: list[str]) -> tuple[list[Visit], float]:
    """Every donor at once (or ``concurrency`` at a time), within ``donor_seconds``."""
    donors = plan_donors(options.donors, servers)
    started = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=options.concurrency or len(donors))
    futures = {pool.submit(donate, donor, SLUG): donor for donor in donors}
    wait(futures, timeout=options.donor_seconds)
    pool.shutdown(wait=False, cancel_futures=True)
    visits = []
    for future, donor in futures.items():
        if future.done() and not future.cancelled():
            visits.append(future.result())
        else:
            visits.append(Visit(donor, error="not done within the time limit"))
    return visits, time.monotonic() - started


def run_drill(options: Options, workdir: Path) -> Report:
    """The whole drill; every process it starts is stopped before it returns or raises."""
    backend = sa.make_url(normalize_database_url(options.database_url)).get_backend_name()
    servers = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "CAMPAIGNS_ENV": "development",  # http cookies; emails kept in the mailbox, not sent
        "SECRET_KEY": "rush-drill-secret",
        "PUBLIC_URL": servers[0],  # the address both servers stand behind
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAIL_SERVER": "",
    }
    prepare(env)
    ledger = Ledger(options.database_url)
    records = SandboxRecords(env["STRIPE_API_BASE"], SECRET_KEY)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    children = Children(logs)
    stop = threading.Event()
    try:
        # Every process starts here, in this thread, before any other thread runs.
        start(children, env, servers, options)
        records.call("POST", "/_sandbox/faults", FAULTS)
        readers = BannerReaders(
            [f"{url}/api/campaigns/{SLUG}" for url in servers],
            options.banner_seconds,
            options.banner_connections,
            workdir,
        )
        readers.spawn(children.spawn_piped)

        seen: dict[str, float] = {}
        limit = options.donor_seconds + options.settle_seconds + 60
        watcher = threading.Thread(target=watch_lag, args=(ledger, seen, stop, limit), daemon=True)
        watcher.start()
        readers.start_threads(stop)
        started = time.monotonic()
        visits, donors_seconds = donors_pay(options, servers)
        wait_until_counted(visits, seen, options.settle_seconds)
        act_as_staff(records, visits)
        banner = readers.finish()
        paid = settle(records, ledger, options.settle_seconds)
        settled_seconds = time.monotonic() - started - donors_seconds
        stop.set()
        watcher.join(timeout=10)

        deliveries = records.deliveries()
        attempts = [a for d in deliveries for a in d["attempts"]]
        # How long events waited in the sandbox for their first delivery (whole seconds).
        waits = [d["attempts"][0]["at"] - d["created"] for d in deliveries if d["attempts"]]
        event_clock, event_times = ledger.event_times()
        raised, counted, mismatches, paid_payments = compare(ledger, paid)
        lags, unseen = [], 0
        for visit in visits:
            if visit.paid_at is None or visit.session_id is None:
                continue
            if visit.session_id in seen:
                lags.append(max(seen[visit.session_id] - visit.paid_at, 0.0))
            else:
                unseen += 1
        emails = ledger.emails()
        event_statuses = ledger.event_statuses()
    finally:
        stop.set()
        children.stop()
        ledger.engine.dispose()
    return Report(
        backend=backend,
        options=options,
        visits=visits,
        banner=banner,
        webhook_statuses=Counter(attempt["status"] for attempt in attempts),
        acks_per_second=rate([a["at"] for a in attempts if 200 <= a["status"] < 300]),
        queue_waits=waits,
        events=len(event_times),
        events_per_second=rate([moment.timestamp() for moment in event_times]),
        event_clock=event_clock,
        lags=lags,
        unseen=unseen,
        ledger_total=raised,
        sandbox_total=sum(paid.values()),
        mismatches=mismatches,
        counted=counted,
        paid_payments=paid_payments,
        donors_seconds=donors_seconds,
        settled_seconds=settled_seconds,
        server_errors=children.errors(),
        emails=emails,
        event_statuses=event_statuses,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL: the drill works in <name>_rush beside this database",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="PostgreSQL: empty and use --database-url's own database (a test one)",
    )
    parser.add_argument("--donors", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=0, help="donors at once (0: all)")
    parser.add_argument("--workers", type=int, default=2, help="background workers")
    parser.add_argument("--banner-seconds", type=float, default=30.0)
    parser.add_argument("--banner-connections", type=int, default=8)
    parser.add_argument("--donor-seconds", type=float, default=300.0)
    parser.add_argument("--settle-seconds", type=float, default=120.0)
    parser.add_argument("--keep", action="store_true", help="keep the logs (and SQLite file)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="campaigns-rush-"))
    try:
        options = Options(
            database_url=fresh_database(args.database, args.database_url, workdir, args.in_place),
            donors=args.donors,
            concurrency=args.concurrency,
            workers=args.workers,
            banner_seconds=args.banner_seconds,
            banner_connections=args.banner_connections,
            donor_seconds=args.donor_seconds,
            settle_seconds=args.settle_seconds,
        )
        report = run_drill(options, workdir)
        print(report.table())
        if args.keep or not report.met:
            args.keep = True
            print(f"logs: {workdir / 'logs'}")
        return 0 if report.met else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
