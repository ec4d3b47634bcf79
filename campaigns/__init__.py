"""campaigns: a self-hosted fundraising campaign tracker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from . import models  # noqa: F401 - registers the tables before Flask-Migrate looks
from .config import configured_instance_path, load_config
from .db import init_app as init_units_of_work
from .extensions import csrf, limiter, login_manager, migrate
from .extensions import db as sqlalchemy_db  # ``campaigns.db`` is the unit-of-work module
from .paths import MIGRATIONS, STATIC, TEMPLATES
from .payments import stripe_api


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides what the environment says (tests use it)."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        # Unset, Flask's own choice: instance/ in a checkout, <prefix>/var/campaigns-instance
        # when installed.
        instance_path=configured_instance_path(),
    )
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    sqlalchemy_db.init_app(app)
    migrate.init_app(app, sqlalchemy_db, directory=str(MIGRATIONS), render_as_batch=True)
    init_units_of_work(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    stripe_api.init_app(app)

    from .cli import register_cli
    from .web import register_web

    register_web(app)
    register_cli(app)
    return app
