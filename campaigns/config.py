"""Settings, read from the environment: the only module that looks at ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see load_config


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


def normalize_database_url(url: str) -> str:
    """Point plain ``postgres://`` URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance_path: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from environment variables."""
    env = os.environ if environ is None else environ
    app_env = env.get("CAMPAIGNS_ENV", "development").strip().lower()
    if app_env not in {"development", "production"}:
        raise ConfigError(f"CAMPAIGNS_ENV must be 'development' or 'production', not {app_env!r}")

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if app_env == "production":
            raise ConfigError("SECRET_KEY must be set when CAMPAIGNS_ENV=production")
        secret_key = DEV_SECRET_KEY

    default_db = "sqlite:///" + str(Path(instance_path) / "campaigns.sqlite3")
    timezone = env.get("DEFAULT_TIMEZONE", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"DEFAULT_TIMEZONE {timezone!r} is not a known time zone") from exc

    return {
        "CAMPAIGNS_ENV": app_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(env.get("DATABASE_URL", default_db)),
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "DEFAULT_TIMEZONE": timezone,
        "ORGANIZATION_NAME": env.get("ORGANIZATION_NAME", "Independent Media"),
        "SESSION_COOKIE_SECURE": app_env == "production",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
