"""The units of work: one per request, committed below 400 and rolled back otherwise, and
SQLite writers that queue for the write lock instead of failing."""

from __future__ import annotations

import contextvars
import threading

import flask_migrate
import pytest
from flask import Blueprint, abort
from sqlalchemy import func, select

from campaigns import create_app
from campaigns.db import checkpoint
from campaigns.extensions import db
from campaigns.models import AuditEntry
from campaigns.staff_accounts.audit import record
from tests.databases import fresh_database, is_postgres

WRITERS = 8


@pytest.fixture(scope="module")
def boundary_app():
    probe = Blueprint("probe", __name__)

    def note(action: str) -> None:
        # Read, then write: the pattern that a deferred SQLite transaction can't upgrade.
        db.session.scalar(select(func.count()).select_from(AuditEntry))
        record(action, "probe", {}, None)
        db.session.flush()

    @probe.post("/probe/ok")
    def ok() -> str:
        note("probe.ok")
        return "ok"

    @probe.post("/probe/refused")
    def refused() -> tuple[str, int]:
        note("probe.refused")
        return "no", 422

    @probe.post("/probe/missing")
    def missing() -> str:
        note("probe.missing")
        abort(404)

    @probe.post("/probe/crash")
    def crash() -> str:
        note("probe.crash")
        raise RuntimeError("a bug after the write")

    @probe.post("/probe/checkpoint")
    def half() -> tuple[str, int]:
        note("probe.before-checkpoint")
        checkpoint()
        note("probe.after-checkpoint")
        return "gave up after the checkpoint", 503

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": fresh_database("boundary"),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": WRITERS + 2} if is_postgres() else {},
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": False,  # a crash answers 500, as in production
        }
    )
    app.register_blueprint(probe)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def post(app, path: str) -> int:
    client = app.test_client()
    return contextvars.Context().run(client.post, path).status_code


def test_only_a_successful_answer_keeps_what_the_view_wrote(boundary_app) -> None:
    before = actions(boundary_app)
    assert post(boundary_app, "/probe/refused") == 422
    assert post(boundary_app, "/probe/missing") == 404
    assert post(boundary_app, "/probe/crash") == 500
    assert actions(boundary_app) == before
    assert post(boundary_app, "/probe/ok") == 200
    assert actions(boundary_app) == [*before, "probe.ok"]


def test_a_checkpoint_keeps_what_came_before_it_only(boundary_app) -> None:
    before = actions(boundary_app)
    assert post(boundary_app, "/probe/checkpoint") == 503
    assert actions(boundary_app) == [*before, "probe.before-checkpoint"]


def test_concurrent_writers_all_succeed(boundary_app) -> None:
    """On SQLite, read-then-write requests at once used to fail with "database is locked"."""
    before = len(actions(boundary_app))
    barrier = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def writer() -> None:
        barrier.wait()
        for _ in range(5):
            statuses.append(post(boundary_app, "/probe/ok"))

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * (WRITERS * 5)
    assert len(actions(boundary_app)) == before + WRITERS * 5


@pytest.mark.skipif(is_postgres(), reason="SQLite's journal mode")
def test_sqlite_runs_in_write_ahead_logging(boundary_app) -> None:
    with boundary_app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
