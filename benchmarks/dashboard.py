"""The staff dashboard on a big history: page latency, CSV export speed and worker memory.

Seeds a database of its own (<name>_dashbench, created afresh) with
``flask demo --donors 200000 --donations 1000000``, serves it with gunicorn (2 workers), signs
in as staff and times each page; then exports every donation as CSV from a fresh server,
beside ``psql \\copy`` of the same SELECT, reading the worker's peak RSS.

    .venv/bin/python benchmarks/dashboard.py                  # everything
    .venv/bin/python benchmarks/dashboard.py --reuse          # keep the seeded database
    .venv/bin/python benchmarks/dashboard.py --reuse --in-process   # export only, no server

Needs PostgreSQL (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test) and psql.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaigns.config import normalize_database_url  # noqa: E402
from tests.databases import fresh_postgres_database, sibling_database_url  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "bench-password-2026"
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
TARGET_MS, TARGET_SHARE, TARGET_MB = 200, 0.30, 150


def bench_url(base_url: str, fresh: bool) -> str:
    if fresh:
        return fresh_postgres_database(base_url, "dashbench")
    return sibling_database_url(base_url, "dashbench")


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def seed(env: dict[str, str], donors: int, donations: int) -> float:
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [*FLASK, "demo", "--donors", str(donors), "--donations", str(donations)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - started


def vacuum(url: str) -> float:
    """What autovacuum would soon do anyway, done now so every run starts alike."""
    started = time.perf_counter()
    subprocess.run(["psql", libpq(url), "-qc", "VACUUM (ANALYZE)"], check=True)
    return time.perf_counter() - started


def create_staff(env: dict[str, str], url: str) -> None:
    command = [*FLASK, "staff", "create", EMAIL, "--role", "admin", "--password-stdin"]
    done = subprocess.run(
        command, cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, capture_output=True
    )
    if done.returncode == 0 or "already exists" in done.stderr:
        return
    # Before `flask staff create` existed: the row itself.
    from werkzeug.security import generate_password_hash

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO staff (email, name, password_hash, role, active, session_version,"
                " created_at) VALUES (:email, 'Bench', :hash, 'admin', true, 1, now())"
                " ON CONFLICT (email) DO NOTHING"
            ),
            {"email": EMAIL, "hash": generate_password_hash(PASSWORD)},
        )
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with two workers on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = ["gunicorn", "--workers", str(workers), "--timeout", "600"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", *command, "--bind", f"127.0.0.1:{self.port}", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/staff/login", timeout=10).read()
                return
            except OSError:  # refused while booting, or an HTTP error from the app
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                found.append(int(status.parent.name))
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def sign_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/staff/login").read().decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("no csrf_token on the login page")
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": match.group(1)}
    landed = opener.open(base + "/staff/login", urllib.parse.urlencode(form).encode())
    if "/staff/login" in landed.geturl():
        raise RuntimeError("could not sign in")
    return opener


def time_page(
    opener: urllib.request.OpenerDirector, url: str, count: int
) -> tuple[str, list[float]]:
    timings = []
    for attempt in range(count + 3):  # three to warm up
        started = time.perf_counter()
        try:
            response = opener.open(url, timeout=60)
            response.read()
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}", []
        if attempt >= 3:
            timings.append((time.perf_counter() - started) * 1000)
    return "ok", timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        busiest = connection.scalar(
            sa.text("SELECT id FROM donor ORDER BY gift_count DESC LIMIT 1")
        )
        surname = connection.scalar(
            sa.text("SELECT split_part(name, ' ', -1) FROM donor ORDER BY id LIMIT 1 OFFSET 777")
        )
    engine.dispose()
    return [
        ("overview", "/staff/"),
        ("donors, first page", "/staff/donors"),
        ("donors, page 2000", "/staff/donors?page=2000"),
        (f"donors, q={surname}", f"/staff/donors?q={urllib.parse.quote(surname)}"),
        ("donor with most gifts", f"/staff/donors/{busiest}"),
    ]


def export_select_sql() -> str:
    from campaigns.reports.exports import donations_export_select
    from campaigns.reports.filters import DonationFilter

    # The app's default STRIPE_DASHBOARD_URL, as the served export uses.
    statement = donations_export_select(DonationFilter(), "https://dashboard.stripe.com/test")
    return str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )


def psql_ceiling(url: str) -> tuple[int, float]:
    """Rows and seconds for psql to copy the export's own SELECT out as CSV, read as it comes."""
    command = [
        "psql",
        libpq(url),
        "-c",
        f"\\copy ({export_select_sql()}) to stdout with csv header",
    ]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE) as psql:
        assert psql.stdout is not None
        lines = sum(block.count(b"\n") for block in iter(lambda: psql.stdout.read(1 << 20), b""))
    if psql.returncode:
        raise RuntimeError("psql failed")
    return lines - 1, time.perf_counter() - started


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A memory figure of a process from /proc: VmRSS now, or VmHWM, its peak so far."""
    match = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match.group(1)) / 1024 if match else 0.0


class Sampler(threading.Thread):
    """The largest resident size each process reaches while the sampler runs."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.peaks = dict.fromkeys(pids, 0.0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            for pid in self.peaks:
                self.peaks[pid] = max(self.peaks[pid], rss_mb(pid))

    def stop(self) -> dict[int, float]:
        self.done.set()
        self.join()
        return self.peaks


def export_over_http(env: dict[str, str]) -> tuple[int, float, str]:
    """Rows and seconds for GET /staff/donations.csv, and the workers' memory around it."""
    server = Server(env)
    try:
        opener = sign_in(server.base)
        workers = server.workers()
        before = {pid: (rss_mb(pid), rss_mb(pid, "VmHWM")) for pid in workers}
        sampler = Sampler(workers)
        sampler.start()
        started = time.perf_counter()
        try:
            response = opener.open(server.base + "/staff/donations.csv", timeout=600)
        except urllib.error.HTTPError as error:
            sampler.stop()
            return 0, 0.0, f"HTTP {error.code}"
        lines = 0
        while block := response.read(1 << 20):
            lines += block.count(b"\n")
        seconds = time.perf_counter() - started
        during = sampler.stop()
        memory = "; ".join(
            f"worker {pid}: RSS {before[pid][0]:.0f} MB before, up to {during[pid]:.0f} MB"
            f" during, VmHWM {before[pid][1]:.0f} -> {rss_mb(pid, 'VmHWM'):.0f} MB"
            for pid in workers
        )
        return lines - 1, seconds, memory
    finally:
        server.stop()


def export_in_process(url: str) -> None:
    """Call donations_csv directly, in this fresh interpreter, and print what it took."""
    from campaigns import create_app
    from campaigns.reports.exports import donations_csv
    from campaigns.reports.filters import DonationFilter

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalize_database_url(url)})
    with app.app_context():
        baseline = rss_mb(os.getpid())
        lines = 0
        started = time.perf_counter()
        for chunk in donations_csv(DonationFilter()):
            lines += chunk.count("\n")
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{lines - 1} {seconds} {baseline} {peak}")


def in_process_figures(url: str) -> tuple[int, float, float, float]:
    """Rows, seconds, RSS before and peak RSS (MB) of an in-process export in its own process."""
    done = subprocess.run(
        [sys.executable, __file__, "--export-child", "--database-url", url],
        check=True,
        capture_output=True,
        text=True,
    )
    rows, seconds, baseline, peak = done.stdout.split()
    return int(rows), float(seconds), float(baseline), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=200_000)
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--in-process", action="store_true", help="only the export, no server")
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    if args.export_child:
        export_in_process(args.database_url)
        return

    url = bench_url(args.database_url, fresh=not args.reuse)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "CAMPAIGNS_ENV": "development"}
    if not args.reuse:
        seconds = seed(env, args.donors, args.donations)
        print(f"seed: {args.donors:,} donors, {args.donations:,} gifts in {seconds:.0f} s")
        print(f"vacuum and analyze: {vacuum(url):.0f} s")

    rows, ceiling_s = psql_ceiling(url)
    ceiling = rows / ceiling_s
    print(
        f"\nexport ceiling, psql \\copy of the same SELECT: {rows:,} rows in {ceiling_s:.1f} s"
        f" = {ceiling:,.0f} rows/s"
    )
    done, seconds, baseline, peak = in_process_figures(url)
    print(
        f"export in process (donations_csv): {done:,} rows in {seconds:.1f} s ="
        f" {done / seconds:,.0f} rows/s ({done / seconds / ceiling:.0%} of psql);"
        f" process RSS {baseline:.0f} MB before, peak {peak:.0f} MB"
    )
    if args.in_process:
        return

    create_staff(env, url)
    server = Server(env)
    results = []
    try:
        opener = sign_in(server.base)
        for label, path in pages(url):
            state, timings = time_page(opener, server.base + path, args.requests)
            results.append((label, state, timings))
    finally:
        server.stop()
    print(f"\n{'page':<32} {'p50 ms':>8} {'p95 ms':>8}  target p95 <= {TARGET_MS} ms")
    for label, state, timings in results:
        if not timings:
            print(f"{label:<32} {state:>17}")
            continue
        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        verdict = "ok" if p95 <= TARGET_MS else "SLOW"
        print(f"{label:<32} {p50:8.1f} {p95:8.1f}  {verdict}")

    done, seconds, memory = export_over_http(env)
    if not seconds:
        print(f"\nGET /staff/donations.csv: {memory}")
        return
    share = done / seconds / ceiling
    print(
        f"\nGET /staff/donations.csv: {done:,} rows in {seconds:.1f} s = {done / seconds:,.0f}"
        f" rows/s, {share:.0%} of psql (target >= {TARGET_SHARE:.0%})"
        f" {'ok' if share >= TARGET_SHARE else 'SLOW'}"
    )
    print(f"memory (target <= {TARGET_MB} MB): {memory}")


if __name__ == "__main__":
    main()
