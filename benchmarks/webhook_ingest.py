"""Webhook ingestion on PostgreSQL: acknowledgements per second with 1 and 8 senders, then
events applied per second by the worker.

Beside each acknowledgement figure, the ceiling: a bare INSERT of the same inbox rows (same
columns, payload and indexes), one transaction each, from as many connections. Then the
worker (``flask worker --once``, ``--apply-workers`` processes) applies every stored event;
its rate is taken from the first to the last ``applied_at``, and the totals are checked.
Last, the read side of the totals decision: running counters against a SUM over the gifts.

    .venv/bin/python benchmarks/webhook_ingest.py --events 2000

Needs PostgreSQL (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test); it works in
a database of its own, <name>_bench, created afresh.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import stripe

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.databases import fresh_postgres_database  # noqa: E402

SECRET = "whsec_bench"


def bench_database(base_url: str) -> str:
    return fresh_postgres_database(base_url, "bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(env: dict[str, str], gifts: int) -> tuple[int, list[int]]:
    """Migrate, then add a campaign and ``gifts`` pending one-time gifts; returns their ids."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    from datetime import UTC, datetime, timedelta

    from campaigns import create_app
    from campaigns.db import unit_of_work
    from campaigns.fundraising.campaigns import CampaignDraft, create_campaign
    from campaigns.models import Donation, DonationStatus, Frequency

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    now = datetime.now(UTC)
    with app.app_context(), unit_of_work() as session:
        campaign = create_campaign(
            CampaignDraft(
                slug="bench",
                title="Benchmark",
                goal_amount=10**9,
                currency="usd",
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=30),
            )
        )
        rows = [
            Donation(
                campaign_id=campaign.id,
                amount=2500,
                currency="usd",
                frequency=Frequency.ONE_TIME,
                status=DonationStatus.PENDING,
                name=f"Donor {i}",
                email=f"donor{i}@example.org",
            )
            for i in range(gifts)
        ]
        session.add_all(rows)
        session.flush()
        return campaign.id, [row.id for row in rows]


def signed_events(donation_ids: list[int], tag: str) -> list[tuple[str, bytes, str]]:
    events = []
    for donation_id in donation_ids:
        event_id = f"evt_bench_{tag}_{donation_id}"
        body = json.dumps(
            {
                "id": event_id,
                "object": "event",
                "api_version": "2026-10-28.endive",
                "created": int(time.time()),
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": "checkout.session.completed",
                "data": {
                    "object": {
                        "id": f"cs_bench_{donation_id}",
                        "object": "checkout.session",
                        "mode": "payment",
                        "status": "complete",
                        "payment_status": "paid",
                        "amount_total": 2500,
                        "currency": "usd",
                        "customer": f"cus_{donation_id}",
                        "payment_intent": f"pi_bench_{donation_id}",
                        "metadata": {"donation_id": str(donation_id), "campaign": "bench"},
                    }
                },
            }
        )
        header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
        events.append((event_id, body.encode(), header))
    return events


def send(port: int, events: list[tuple[str, bytes, str]], senders: int) -> float:
    """Post every event, ``senders`` at a time on keep-alive connections; events per second."""
    chunks = [events[i::senders] for i in range(senders)]

    def run(chunk: list[tuple[str, bytes, str]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _, body, header in chunk:
            connection.request(
                "POST",
                "/stripe/webhook",
                body=body,
                headers={"Content-Type": "application/json", "Stripe-Signature": header},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"webhook answered {response.status}")
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(run, chunks))
    return len(events) / (time.perf_counter() - started)


def ceiling(url: str, events: list[tuple[str, bytes, str]], connections: int) -> float:
    """A bare INSERT of the same event rows, one transaction each: what the database allows."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as setup:
        setup.execute("DROP TABLE IF EXISTS event_ceiling")
        setup.execute("CREATE TABLE event_ceiling (LIKE stripe_event INCLUDING ALL)")
    chunks = [events[i::connections] for i in range(connections)]
    barrier = threading.Barrier(connections)

    def run(chunk: list[tuple[str, bytes, str]]) -> None:
        with psycopg.connect(dsn, autocommit=True) as connection:
            barrier.wait()
            for event_id, body, _ in chunk:
                connection.execute(
                    "INSERT INTO event_ceiling (id, type, created, status, object_key, payload,"
                    " received_via, received_at, attempts, next_attempt_at, last_error,"
                    " ignored_reason) VALUES (%s, 'checkout.session.completed', 0, 'received',"
                    " %s, %s, 'webhook', now(), 0, now(), '', '')",
                    (event_id, event_id, body.decode()),
                )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(run, chunks))
    return len(events) / (time.perf_counter() - started)


def _applied(url: str, tag: str) -> tuple[int, Any, Any]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return connection.execute(
            "SELECT count(*), min(applied_at), max(applied_at) FROM stripe_event"
            " WHERE status = 'applied' AND id LIKE %s",
            (f"evt_bench_{tag}_%",),
        ).fetchone()


def _workers(env: dict[str, str], count: int, *args: str) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "flask", "--app", "app", "worker", "--batch", "50", *args]
    return [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]


def apply_stored(
    url: str, env: dict[str, str], workers: int, tags: list[str], expected: int
) -> None:
    """``workers`` processes of ``flask worker --once`` drain what the senders stored."""
    started = time.perf_counter()
    for process in _workers(env, workers, "--once"):
        if process.wait(timeout=900) != 0:
            raise RuntimeError(f"worker exited with {process.returncode}")
    wall = time.perf_counter() - started
    rows = [_applied(url, tag) for tag in tags]
    applied = sum(row[0] for row in rows)
    if applied != expected:
        raise RuntimeError(f"{applied} of {expected} events applied")
    span = (max(row[2] for row in rows) - min(row[1] for row in rows)).total_seconds()
    print(
        f"  stored, then drained by {workers} worker(s): {applied / span:.0f} events/s "
        f"(first to last applied_at, {span:.1f} s; {applied / wall:.0f}/s counting start-up)"
    )


def apply_while_sending(
    url: str, env: dict[str, str], port: int, workers: int, events: list[tuple[str, bytes, str]]
) -> None:
    """``workers`` looping workers apply while 8 senders post: acknowledgements and applies."""
    processes = _workers(env, workers, "--interval", "0.05")
    try:
        time.sleep(3)  # let them start
        started = time.perf_counter()
        acks = send(port, events, 8)
        deadline = time.monotonic() + 600
        while (done := _applied(url, "live"))[0] < len(events) and time.monotonic() < deadline:
            time.sleep(0.2)
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    applied, first, last = done
    span = (last - first).total_seconds()
    print(
        f"  while 8 senders post ({acks:.0f} acks/s), {workers} worker(s): {applied} applied, "
        f"{applied / span:.0f} events/s (first to last applied_at); all applied "
        f"{wall:.1f} s after the first post ({len(events) / wall:.0f}/s end to end)"
    )


def totals_read(url: str, campaign_id: int, gifts: int, reads: int = 200) -> None:
    """Median time to read a campaign's total: running counter against SUM over its gifts."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO donation (campaign_id, amount, fee_amount, currency, frequency, status,"
            " counted_amount, counted, name, email, anonymous, dedication, comment, newsletter,"
            " source, variant, created_at, updated_at)"
            " SELECT %s, 2500, 0, 'usd', 'one_time', 'paid', 2500, true, '', '', false, '', '',"
            " false, '', '', now(), now() FROM generate_series(1, %s)",
            (campaign_id, gifts),
        )
        connection.execute("ANALYZE donation")
        queries = {
            "counter": "SELECT raised_amount FROM campaign WHERE id = %s",
            "aggregate": "SELECT sum(counted_amount) FROM donation"
            " WHERE campaign_id = %s AND counted",
        }
        medians = {}
        for name, sql in queries.items():
            timings = []
            for _ in range(reads):
                started = time.perf_counter()
                connection.execute(sql, (campaign_id,)).fetchone()
                timings.append(time.perf_counter() - started)
            medians[name] = statistics.median(timings) * 1000
    print(f"\ntotals read with {gifts:,} more gifts in the campaign (median of {reads}):")
    for name, ms in medians.items():
        print(f"  {name:<10} {ms:8.3f} ms")
    print(f"  aggregate / counter: {medians['aggregate'] / medians['counter']:.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--apply-workers", type=int, default=4, help="`flask worker` processes")
    parser.add_argument("--aggregate-rows", type=int, default=500_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()

    url = bench_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "CAMPAIGNS_ENV": "production",
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_WEBHOOK_SECRET": SECRET,
    }
    campaign_id, ids = seed(env, 3 * args.events)
    runs = {
        1: signed_events(ids[: args.events], "one"),
        8: signed_events(ids[args.events : 2 * args.events], "eight"),
    }
    live = signed_events(ids[2 * args.events :], "live")

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
    )
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"webhook ingestion, {args.events} checkout.session.completed events per run, "
            f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL"
        )
        print(f"{'senders':>8} {'acks/s':>10} {'bare INSERT/s':>14} {'of ceiling':>11}")
        for senders, events in runs.items():
            rate = send(port, events, senders)
            top = ceiling(url, events, senders)
            print(f"{senders:>8} {rate:>10.0f} {top:>14.0f} {rate / top:>10.0%}")
        with psycopg.connect(dsn) as connection:
            raised_before = connection.execute(
                "SELECT raised_amount FROM campaign WHERE id = %s", (campaign_id,)
            ).fetchone()[0]
        print(f"campaign total after the acknowledgements alone: {raised_before}")
        print("\nthe worker (flask worker), applying:")
        apply_stored(url, env, args.apply_workers, ["one", "eight"], 2 * args.events)
        apply_while_sending(url, env, port, args.apply_workers, live)
    finally:
        server.terminate()
        server.wait(timeout=10)

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        raised, count = connection.execute(
            "SELECT raised_amount, donation_count FROM campaign WHERE id = %s", (campaign_id,)
        ).fetchone()
    expected = 2500 * 3 * args.events
    print(
        f"campaign total after the worker: {raised} over {count} gifts "
        f"({'exact' if raised == expected and count == 3 * args.events else 'WRONG'})"
    )
    totals_read(url, campaign_id, args.aggregate_rows)


if __name__ == "__main__":
    main()
