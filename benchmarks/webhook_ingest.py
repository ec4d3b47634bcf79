"""Webhook ingestion on PostgreSQL: events per second with 1 and 8 concurrent senders.

Beside each figure, the ceiling: a bare INSERT of the same event rows, one transaction each,
from as many connections. Then the read side of the totals decision: the campaign's running
counters against a SUM over its gifts.

    .venv/bin/python benchmarks/webhook_ingest.py --events 2000

Needs PostgreSQL (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test); it works in
a database of its own, <name>_bench, created afresh.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
            for event_id, _, _ in chunk:
                connection.execute(
                    "INSERT INTO event_ceiling (id, type, created, outcome, received_via,"
                    " received_at) VALUES (%s, 'checkout.session.completed', 0, 'applied',"
                    " 'webhook', now())",
                    (event_id,),
                )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(run, chunks))
    return len(events) / (time.perf_counter() - started)


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
    campaign_id, ids = seed(env, 2 * args.events)
    runs = {
        1: signed_events(ids[: args.events], "one"),
        8: signed_events(ids[args.events :], "eight"),
    }

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
        print(f"{'senders':>8} {'events/s':>10} {'bare INSERT/s':>14} {'of ceiling':>11}")
        for senders, events in runs.items():
            rate = send(port, events, senders)
            top = ceiling(url, events, senders)
            print(f"{senders:>8} {rate:>10.0f} {top:>14.0f} {rate / top:>10.0%}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        raised, count = connection.execute(
            "SELECT raised_amount, donation_count FROM campaign WHERE id = %s", (campaign_id,)
        ).fetchone()
    expected = 2500 * 2 * args.events
    print(
        f"\ncampaign total after ingestion: {raised} over {count} gifts "
        f"({'exact' if raised == expected and count == 2 * args.events else 'WRONG'})"
    )
    totals_read(url, campaign_id, args.aggregate_rows)


if __name__ == "__main__":
    main()
