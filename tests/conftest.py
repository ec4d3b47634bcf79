"""Fixtures: one migrated database per run, one rolled-back transaction per test."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.globals import app_ctx
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import orm

from campaigns import create_app
from campaigns.extensions import db as _db
from campaigns.models import Campaign
from tests.databases import fresh_database, is_postgres
from tests.factories import make_campaign
from tests.payments.stripe_events import WEBHOOK_SECRET

# Shared fixtures, defined once each: every test folder sees them, none imports them. A plugin
# comes after those it imports, so that pytest rewrites the asserts of each.
pytest_plugins = [
    "tests.fixtures.browser",
    "tests.fixtures.mail",
    "tests.fixtures.sandbox",
    "tests.fixtures.staff",
    "tests.fixtures.web",
    "tests.fixtures.donor_portal",
]

# Connections a committing app may hold at once: enough for the most threads a test starts.
COMMITTING_POOL_SIZE = 20

SETTINGS = {
    "STRIPE_SECRET_KEY": "sk_test_ledger",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    # Nothing listens there: a test that reaches Stripe without a sandbox fails fast.
    "STRIPE_API_BASE": "http://127.0.0.1:9",
    "STRIPE_MAX_NETWORK_RETRIES": 0,
}


class RequestClient(FlaskClient):
    """Each request in an empty context, as in production: its own app context, ``g`` and
    database session, even while the test itself holds an app context for its queries."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def _app() -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": fresh_database("main"),
            "SECRET_KEY": "test-secret",
            "PUBLIC_URL": "http://donate.example.org",
            **SETTINGS,
            "OVERVIEW_CACHE_SECONDS": 0,
        }
    )
    app.test_client_class = RequestClient
    with app.app_context():
        flask_migrate.upgrade()  # the real migrations build the schema the tests run on
    yield app
    with app.app_context():
        _db.engine.dispose()


def current_app_context() -> object:
    """The scope of ``db.session`` in Flask-SQLAlchemy: one session per app context, so each
    request (which pushes its own) gets a session of its own, as in production."""
    return app_ctx._get_current_object()


@pytest.fixture
def app(_app: Flask) -> Iterator[Flask]:
    """The app, with every commit made during the test rolled back after it."""
    with _app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        # Plain SQLAlchemy sessions on the test's connection, each commit a released savepoint.
        # (Flask-SQLAlchemy's own Session picks the app's engine whatever ``bind`` it is given,
        # so ``db.session.configure(bind=connection)`` would commit for real.)
        factory = orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        real_session = _db.session
        _db.session = orm.scoped_session(factory, scopefunc=current_app_context)
        try:
            yield _app
        finally:
            _db.session.remove()
            _db.session = real_session
            outer.rollback()
            connection.close()


@pytest.fixture
def db(app: Flask) -> Iterator[orm.scoped_session[orm.Session]]:
    """The test's database session, inside an app context."""
    with app.app_context():
        yield _db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def campaign(db) -> Campaign:
    """A live USD campaign, slug ``eoy-test`` (see ``make_campaign``)."""
    return make_campaign()


@pytest.fixture(scope="module")
def committing_app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app on a migrated database of the test module's own, where commits are real: for
    concurrent transactions, which savepoints on one shared connection cannot show."""
    name = request.module.__name__.removeprefix("tests.").replace(".", "_")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": fresh_database(name),
            "SQLALCHEMY_ENGINE_OPTIONS": (
                {"pool_size": COMMITTING_POOL_SIZE} if is_postgres() else {}
            ),
            **SETTINGS,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()
