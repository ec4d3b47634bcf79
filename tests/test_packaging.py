"""The wheel built from this checkout, installed in a fresh virtualenv elsewhere, runs the app."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

from campaigns import create_app
from campaigns.config import configured_instance_path
from campaigns.web.widget_bundle import build_bundle

ROOT = Path(__file__).resolve().parents[1]

# Run by the fresh virtualenv's Python: which campaigns it imports, where its instance folder
# goes, and whether its email templates and an instance-folder override render.
PROBE = """
import importlib.metadata, json, os
import campaigns
from campaigns.emails.compose import compose

LINK = "https://donate.example.org/my-giving/t"
configured = campaigns.create_app()
with configured.app_context():
    email = compose("giving_link", link=LINK, minutes=60, name="Ada")
del os.environ["INSTANCE_PATH"]
print(json.dumps({
    "module": campaigns.__file__,
    "distribution": str(importlib.metadata.distribution("campaigns").locate_file("")),
    "instance": configured.instance_path,
    "default_instance": campaigns.create_app().instance_path,
    "subject": email.subject,
    "html": email.html,
}))
"""


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def fresh_virtualenv(path: Path, wheel: Path) -> Path:
    """A virtualenv holding the wheel alone; the dev environment lends it the dependencies."""
    venv.EnvBuilder(with_pip=False).create(path)
    python = path / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python)
    run(*pip, "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=path)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=path)
    # Plain path lines: the dev environment's own .pth files (among them the editable install
    # pointing at this checkout) are not processed, so `import campaigns` finds the wheel's.
    lent = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(site.strip()) / "dev-dependencies.pth").write_text("\n".join(lent) + "\n")
    return python


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            get(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"gunicorn never answered:\n{log.read_text()}")


def test_the_wheel_runs_the_app_outside_the_checkout(tmp_path: Path) -> None:
    assert not tmp_path.is_relative_to(ROOT)
    build = ("wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index")
    run(sys.executable, "-m", "pip", *build, "--wheel-dir", tmp_path / "dist", ROOT, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("campaigns-*.whl")
    python = fresh_virtualenv(tmp_path / "venv", wheel)

    work, instance = tmp_path / "work", tmp_path / "instance"
    work.mkdir()
    # Nothing of this test run's settings: the app's defaults, with the instance folder (and so
    # the SQLite database and email overrides) in a temporary directory.
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env["INSTANCE_PATH"] = str(instance)
    (instance / "templates" / "emails").mkdir(parents=True)
    (instance / "templates" / "emails" / "giving_link.txt").write_text(
        "Subject: Your link, from the instance folder\n\n{{ link }}\n"
    )

    probe = json.loads(run(python, "-c", PROBE, cwd=work, env=env))
    site = tmp_path / "venv" / "lib"
    assert Path(probe["module"]).is_relative_to(site)
    assert Path(probe["distribution"]).is_relative_to(site)
    assert probe["instance"] == str(instance)
    assert probe["default_instance"] == str(tmp_path / "venv" / "var" / "campaigns-instance")
    assert probe["subject"] == "Your link, from the instance folder"
    assert "https://donate.example.org/my-giving/t" in probe["html"]  # the shipped HTML part

    flask = (python, "-m", "flask", "--app", "campaigns")
    run(*flask, "db", "upgrade", cwd=work, env=env)
    assert (instance / "campaigns.sqlite3").is_file()
    loaded = run(*flask, "demo", cwd=work, env=env)
    match = re.search(r"Loaded demo campaign (\S+) ->", loaded)
    assert match, loaded
    assert "Usage:" in run(*flask, "stripe-sandbox", "--help", cwd=work, env=env)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # gunicorn serves on this socket: no port to race for
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    log = tmp_path / "gunicorn.log"
    gunicorn = ("-m", "gunicorn", "--workers", "1", "--bind", f"fd://{listener.fileno()}")
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(python), *gunicorn, "campaigns:create_app()"],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
    listener.close()  # gunicorn holds its own copy
    try:
        wait_for(base + "/", server, log)
        status, kind, body = get(base + "/")
        home = body.decode()
        assert (status, kind) == (200, "text/html; charset=utf-8")
        assert home.startswith("<!doctype html>")
        assert f'href="/campaigns/{match[1]}"' in home
        assert "Urgent End Of Year Fundraising Campaign" in home
        assert 'href="/static/site.css' in home
        status, _, page = get(f"{base}/campaigns/{match[1]}")
        assert status == 200 and b"Urgent End Of Year Fundraising Campaign" in page

        status, kind, css = get(base + "/static/site.css")
        assert (status, kind) == (200, "text/css; charset=utf-8")
        assert css == (ROOT / "static" / "site.css").read_bytes()
        status, kind, script = get(base + "/widget.js")
        assert (status, kind) == (200, "text/javascript; charset=utf-8")
        assert script == build_bundle(ROOT / "static" / "widget").script
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
    assert code == 0, log.read_text()


def test_a_checkout_keeps_its_own_folders(monkeypatch) -> None:
    monkeypatch.delenv("INSTANCE_PATH", raising=False)
    app = create_app()
    assert app.template_folder == str(ROOT / "templates")
    assert app.static_folder == str(ROOT / "static")
    assert app.instance_path == str(ROOT / "instance")


def test_instance_path_setting(tmp_path, monkeypatch) -> None:
    assert configured_instance_path({}) is None
    assert configured_instance_path({"INSTANCE_PATH": " "}) is None
    assert configured_instance_path({"INSTANCE_PATH": str(tmp_path)}) == str(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert configured_instance_path({"INSTANCE_PATH": "var/campaigns"}) == str(
        tmp_path / "var" / "campaigns"
    )
