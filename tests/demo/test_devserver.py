"""`make run`'s dev server as real processes on free loopback ports: ports, refusals, children."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from campaigns.config import ConfigError, dev_server_settings, load_config
from campaigns.demo import devserver
from tests.databases import fresh_database
from tests.fixtures.browser import ROOT, free_port, wait_for_http
from tests.web.forms import input_tag

LINUX = sys.platform.startswith("linux")


# --- settings -------------------------------------------------------------------------------


def test_the_ports_default_to_5000_and_12111(tmp_path) -> None:
    settings = dev_server_settings({})
    assert (settings.port, settings.sandbox_port) == (5000, 12111)
    config = load_config(str(tmp_path), {})
    assert config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert config["STRIPE_API_BASE"] == "http://127.0.0.1:12111"


def test_the_app_follows_port_and_stripe_sandbox_port(tmp_path) -> None:
    env = {"PORT": "8000", "STRIPE_SANDBOX_PORT": "12999"}
    settings = dev_server_settings(env)
    assert (settings.app_url, settings.sandbox_url) == (
        "http://127.0.0.1:8000",
        "http://127.0.0.1:12999",
    )
    config = load_config(str(tmp_path), env)
    assert config["PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert config["STRIPE_API_BASE"] == "http://127.0.0.1:12999"
    # What is set outright wins; with real keys the sandbox port means nothing.
    explicit = load_config(
        str(tmp_path), {**env, "PUBLIC_URL": "https://give.example.org", "STRIPE_API_BASE": "x"}
    )
    assert (explicit["PUBLIC_URL"], explicit["STRIPE_API_BASE"]) == (
        "https://give.example.org",
        "x",
    )
    live = load_config(str(tmp_path), {**env, "STRIPE_SECRET_KEY": "sk_test_real"})
    assert live["STRIPE_API_BASE"] == "https://api.stripe.com"


@pytest.mark.parametrize("value", ["eighty", "0", "65536", "-1", "80.5"])
def test_a_port_that_is_not_a_port_is_refused(tmp_path, value: str) -> None:
    with pytest.raises(ConfigError, match="PORT must be a port number"):
        dev_server_settings({"PORT": value})
    with pytest.raises(ConfigError, match="STRIPE_SANDBOX_PORT must be a port number"):
        load_config(str(tmp_path), {"STRIPE_SANDBOX_PORT": value})


def test_the_dev_server_starts_the_app_the_sandbox_and_the_worker(monkeypatch, capsys) -> None:
    started: list[tuple[str, ...]] = []

    class Child:
        def __init__(self, args: tuple[str, ...]) -> None:
            self.args = args

        def wait(self, timeout: float | None = None) -> int:
            return 0

        def poll(self) -> int:
            return 0

    def spawn(*args: str) -> Child:
        started.append(args)
        return Child(args)

    port, sandbox_port = free_port(), free_port()
    monkeypatch.setattr(devserver, "_spawn", spawn)
    monkeypatch.setattr(devserver.signal, "signal", lambda *args: None)  # keep pytest's own
    for name in ("MAIL_SERVER", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setenv("STRIPE_SANDBOX_PORT", str(sandbox_port))
    assert devserver.main() == 0
    assert devserver.WORKER in started
    assert (
        "-m",
        "campaigns.sandbox",
        "--host",
        "127.0.0.1",
        "--port",
        str(sandbox_port),
        "--webhook-url",
        f"http://127.0.0.1:{port}/stripe/webhook",
        "--webhook-secret",
        "whsec_sandbox",
    ) in started
    assert ("-m", "flask", "--app", "app", "run", "--host", "127.0.0.1", "--port", str(port)) in (
        started
    )
    out = capsys.readouterr().out
    assert f"emails are kept at http://127.0.0.1:{port}/dev/mailbox" in out
    assert f"starting the Stripe sandbox on http://127.0.0.1:{sandbox_port}" in out


# --- real processes -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_env() -> dict[str, str]:
    """The environment `make run` gives the dev server: a migrated database with the demo."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET", "PUBLIC_URL"}
    }
    env.update(
        DATABASE_URL=fresh_database("devserver"), MAIL_SERVER="", CAMPAIGNS_ENV="development"
    )
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def _start(env: dict[str, str], port: int, sandbox_port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "campaigns.demo.devserver"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "STRIPE_SANDBOX_PORT": str(sandbox_port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def ports() -> tuple[int, int]:
    return free_port(), free_port()


@pytest.fixture
def running(demo_env, ports) -> Iterator[subprocess.Popen[str]]:
    """The dev server on two free ports, once the app and the sandbox both answer."""
    port, sandbox_port = ports
    server = _start(demo_env, port, sandbox_port)
    try:
        wait_for_http(f"http://127.0.0.1:{sandbox_port}/", server, timeout=60)
        wait_for_http(f"http://127.0.0.1:{port}/", server, timeout=60)
        yield server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _open(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _demo_slug(database_url: str) -> str:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        slug = connection.execute(sa.text("SELECT slug FROM campaign ORDER BY id LIMIT 1")).scalar()
    engine.dispose()
    assert slug
    return str(slug)


def _paid_sessions(database_url: str) -> set[str]:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT stripe_checkout_session_id FROM donation WHERE status = 'paid'")
        ).scalars()
        found = {str(row) for row in rows if row}
    engine.dispose()
    return found


def test_a_donation_goes_end_to_end_on_the_chosen_ports(running, demo_env, ports) -> None:
    port, sandbox_port = ports
    app, sandbox = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}"
    slug = _demo_slug(demo_env["DATABASE_URL"])
    browser = urllib.request.build_opener(_Stay, urllib.request.HTTPCookieProcessor(CookieJar()))
    status, _, html = _open(browser, f"{app}/campaigns/{slug}/donate")
    assert status == 200
    token = input_tag(html, name="csrf_token")
    assert token
    form = {"csrf_token": token["value"], "amount": "25", "frequency": "one_time"}
    form |= {"name": "Ann Example", "email": "ann@example.org"}
    status, headers, body = _open(browser, f"{app}/campaigns/{slug}/donate", form)
    assert status == 303, body
    checkout = headers["Location"]
    assert checkout.startswith(f"{sandbox}/checkout/cs_")  # the app's Stripe is this sandbox
    card = {"email": "ann@example.org", "cardNumber": "4242424242424242"}
    card |= {"cardExpiry": "12 / 34", "cardCvc": "123", "billingName": "Ann Example"}
    status, headers, body = _open(browser, checkout, card)
    assert status == 303, body
    assert headers["Location"].startswith(f"{app}/campaigns/{slug}/thanks?session_id=cs_")
    session_id = checkout.rsplit("/", 1)[1]
    deadline = time.monotonic() + 30  # the sandbox's webhooks reach the app on its port
    while session_id not in _paid_sessions(demo_env["DATABASE_URL"]):
        assert time.monotonic() < deadline, "the webhook never marked the gift paid"
        time.sleep(0.2)


def _holding(port: int) -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen()
    return holder


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize("taken", ["PORT", "STRIPE_SANDBOX_PORT"])
def test_a_taken_port_stops_everything_before_it_starts(demo_env, ports, taken: str) -> None:
    port, sandbox_port = ports
    held, other = (port, sandbox_port) if taken == "PORT" else (sandbox_port, port)
    with _holding(held):
        server = _start(demo_env, port, sandbox_port)
        _, stderr = server.communicate(timeout=30)
        assert server.returncode == 1
        assert f"Port {held} on 127.0.0.1 ({taken}, " in stderr
        assert "is in use" in stderr
        assert _is_free(other)  # nothing was started on the other port


def test_one_port_for_both_is_refused(demo_env) -> None:
    port = free_port()
    server = _start(demo_env, port, port)
    _, stderr = server.communicate(timeout=30)
    assert server.returncode == 1
    assert f"PORT and STRIPE_SANDBOX_PORT are both {port}" in stderr


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds no port and runs no code


@pytest.mark.skipif(not LINUX, reason="the kernel's parent-death signal is Linux's")
@pytest.mark.parametrize(
    "signum",
    [signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
    ids=lambda signum: signal.Signals(signum).name,
)
def test_the_children_stop_however_the_dev_server_stops(running, ports, signum) -> None:
    children = _children(running.pid)
    assert len(children) == 3  # the sandbox, the app and the worker
    running.send_signal(signum)
    running.wait(timeout=20)
    if signum != signal.SIGKILL:
        assert running.returncode == 0
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in children):
        assert time.monotonic() < deadline, f"still running: {[p for p in children if _alive(p)]}"
        time.sleep(0.1)
    assert all(_is_free(port) for port in ports)


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_a_child_that_dies_stops_the_others(running, ports) -> None:
    children = _children(running.pid)
    sandbox = next(
        pid
        for pid in children
        if re.search(rb"campaigns\.sandbox", Path(f"/proc/{pid}/cmdline").read_bytes())
    )
    os.kill(sandbox, signal.SIGKILL)
    running.wait(timeout=30)
    assert running.returncode == 1
    assert "exited with -9: stopping the others" in (
        running.stderr.read() if running.stderr else ""
    )
    assert not any(_alive(pid) for pid in children)
    assert all(_is_free(port) for port in ports)
