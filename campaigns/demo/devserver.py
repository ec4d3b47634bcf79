"""``python -m campaigns.demo.devserver``: the app for development, the Stripe sandbox beside it.

The app serves on 127.0.0.1:``PORT`` (5000). When no STRIPE_SECRET_KEY is set, the offline
sandbox starts on 127.0.0.1:``STRIPE_SANDBOX_PORT`` (12111) and sends its webhooks to the app,
so a donation with 4242 4242 4242 4242 works end to end on a fresh machine. The background
worker runs beside them; without MAIL_SERVER it keeps emails at /dev/mailbox, where the receipt
of that donation shows up. A port already in use stops everything before anything starts.

The children stop when this process stops, however it stops. TERM, INT and HUP stop them in
order (TERM, then KILL after 10 s). On Linux each child also asks the kernel to send it TERM
when this process dies (``PR_SET_PDEATHSIG``), which covers SIGKILL and crashes: the kernel
keeps that promise without anything of ours left running, and without the children having to
watch for it. Each child runs in a session of its own, so a Ctrl-C or a closed terminal
reaches this process alone, and it stops the children's whole process groups.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from ..config import ConfigError, DevServerSettings, dev_server_settings

ROOT = Path(__file__).resolve().parents[2]  # the checkout, where app.py is
# The background worker `make run` starts beside the app.
WORKER = ("-m", "flask", "--app", "app", "worker", "--interval", "1")
STOP_TIMEOUT = 10.0  # seconds a child gets to leave after TERM, before KILL
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> Callable[[], None] | None:
    """On Linux, a ``preexec_fn`` that makes the child get TERM when this process dies.

    The kernel sends it when the thread that started the child ends, so start children from
    the main thread, and before other threads run (``preexec_fn`` runs between fork and exec).
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the forked child only calls it
    parent = os.getpid()

    def arm() -> None:
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            os._exit(127)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own modules
        [sys.executable, *args],
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=die_with_parent(),  # safe: the dev server runs no threads
    )


def taken_ports(settings: DevServerSettings) -> list[str]:
    """Why the servers can't start on their ports: one sentence per problem, or none."""
    ports = [("PORT", settings.port, "the app")]
    if settings.start_sandbox:
        ports.append(("STRIPE_SANDBOX_PORT", settings.sandbox_port, "the Stripe sandbox"))
    if len({port for _, port, _ in ports}) < len(ports):
        return [f"PORT and STRIPE_SANDBOX_PORT are both {settings.port}: choose two ports."]
    problems = []
    for name, port, what in ports:
        with socket.socket() as probe:
            # As the servers will bind: reusing a port that only has connections in TIME_WAIT.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((settings.host, port))
            except OSError as exc:
                reason = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror
                problems.append(
                    f"Port {port} on {settings.host} ({name}, for {what}) is {reason}: stop "
                    f"what holds it, or choose another, e.g. {name}={port + 1} make run"
                )
    return problems


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def _wait_for_any(children: Sequence[subprocess.Popen[bytes]]) -> int:
    """Wait until one child exits; its exit status (a failure if a signal ended it)."""
    while True:
        for child in children:
            code = child.poll()
            if code is not None:
                if code != 0:
                    args = child.args
                    command = " ".join(args[1:]) if isinstance(args, list) else str(args)
                    print(f"{command} exited with {code}: stopping the others", file=sys.stderr)
                return code if code >= 0 else 1
        time.sleep(0.2)


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)  # the child leads its own group: it and its children


def stop_children(children: Sequence[subprocess.Popen[bytes]]) -> None:
    """TERM each child's process group, then KILL what is still there after STOP_TIMEOUT."""
    for child in children:
        if child.poll() is None:  # not reaped yet, so its pid (and group id) is still its own
            _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def main() -> int:
    try:
        settings = dev_server_settings()
    except ConfigError as exc:
        print(f"devserver: {exc}", file=sys.stderr)
        return 2
    problems = taken_ports(settings)
    if problems:
        for problem in problems:
            print(f"devserver: {problem}", file=sys.stderr)
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit)
    children: list[subprocess.Popen[bytes]] = []
    try:
        if settings.start_sandbox:
            print(
                f"No STRIPE_SECRET_KEY: starting the Stripe sandbox on {settings.sandbox_url}",
                flush=True,
            )
            children.append(
                _spawn(
                    "-m",
                    "campaigns.sandbox",
                    "--host",
                    settings.host,
                    "--port",
                    str(settings.sandbox_port),
                    "--webhook-url",
                    f"{settings.app_url}/stripe/webhook",
                    "--webhook-secret",
                    settings.webhook_secret,
                )
            )
        children.append(
            _spawn(
                "-m",
                "flask",
                "--app",
                "app",
                "run",
                "--host",
                settings.host,
                "--port",
                str(settings.port),
            )
        )
        children.append(_spawn(*WORKER))
        if settings.mailbox:
            print(f"No MAIL_SERVER: emails are kept at {settings.app_url}/dev/mailbox", flush=True)
        return _wait_for_any(children)
    except KeyboardInterrupt:
        return 0
    finally:
        stop_children(children)


if __name__ == "__main__":
    raise SystemExit(main())
