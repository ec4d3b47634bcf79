"""Settings, read from the environment: the only module that looks at ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see load_config


STRIPE_API = "https://api.stripe.com"
SANDBOX_API = "http://127.0.0.1:12111"
SANDBOX_SECRET_KEY = "sk_test_sandbox"  # noqa: S105 - a placeholder the sandbox accepts
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105 - likewise


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

    stripe_key = env.get("STRIPE_SECRET_KEY", "")
    if stripe_key:
        stripe_base = env.get("STRIPE_API_BASE", STRIPE_API)
        webhook_secret = env.get("STRIPE_WEBHOOK_SECRET", "")
    elif app_env == "development":
        # No keys: talk to the offline sandbox that `make run` starts beside the app.
        stripe_key = SANDBOX_SECRET_KEY
        stripe_base = env.get("STRIPE_API_BASE", SANDBOX_API)
        webhook_secret = env.get("STRIPE_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET)
    else:
        stripe_base, webhook_secret = STRIPE_API, ""

    return {
        "CAMPAIGNS_ENV": app_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(env.get("DATABASE_URL", default_db)),
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "DEFAULT_TIMEZONE": timezone,
        "ORGANIZATION_NAME": env.get("ORGANIZATION_NAME", "Independent Media"),
        # The currency of figures that span campaigns, such as a donor's lifetime giving.
        "DEFAULT_CURRENCY": env.get("DEFAULT_CURRENCY", "usd").lower(),
        "STRIPE_SECRET_KEY": stripe_key,
        "STRIPE_API_BASE": stripe_base.rstrip("/"),
        "STRIPE_WEBHOOK_SECRET": webhook_secret,
        "STRIPE_MAX_NETWORK_RETRIES": int(env.get("STRIPE_MAX_NETWORK_RETRIES", "2")),
        "STRIPE_DASHBOARD_URL": "https://dashboard.stripe.com/test",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "SESSION_COOKIE_SECURE": app_env == "production",
        "REMEMBER_COOKIE_SECURE": app_env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
