"""A real app process and a real headless Chromium, for tests of what people see."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    sandbox_url: str

    def flask(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a ``flask --app app`` command against the live server's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            input=stdin,
        )


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The app as its own process on loopback, on a database of its own with the demo loaded,
    talking to the Stripe sandbox as another process: production's shape, offline."""
    port, sandbox_port = free_port(), free_port()
    url, sandbox_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}"
    secret = "whsec_live_tests"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database("live"),
        "SECRET_KEY": "live-test-secret",
        "PUBLIC_URL": url,
        "STRIPE_SECRET_KEY": "sk_test_live_tests",
        "STRIPE_API_BASE": sandbox_url,
        "STRIPE_WEBHOOK_SECRET": secret,
    }
    server = LiveServer(url=url, env=env, sandbox_url=sandbox_url)
    server.flask("db", "upgrade")
    server.flask("demo")
    commands = [
        [
            "campaigns.sandbox",
            "--port",
            str(sandbox_port),
            "--webhook-url",
            f"{url}/stripe/webhook",
            "--webhook-secret",
            secret,
        ],
        ["flask", "--app", "app", "run", "--port", str(port), "--no-reload"],
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for command in commands
    ]
    try:
        wait_for_http(sandbox_url + "/", processes[0])
        wait_for_http(url + "/", processes[1])
        yield server
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system, driven by Playwright; skipped where there is none."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests, but no Chromium is installed")
        pytest.skip("no Chromium installed (apt-get install chromium) - browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page; fail on any violation of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"accessibility violations:\n{details}"
