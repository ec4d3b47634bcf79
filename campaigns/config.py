"""Settings, read from the environment: the only module that looks at ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see load_config


STRIPE_API = "https://api.stripe.com"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 5000  # where `make run` serves the app (PORT)
DEFAULT_SANDBOX_PORT = 12111  # and the offline Stripe sandbox beside it (STRIPE_SANDBOX_PORT)
SANDBOX_API = f"http://{LOOPBACK}:{DEFAULT_SANDBOX_PORT}"
SANDBOX_SECRET_KEY = "sk_test_sandbox"  # noqa: S105 - a placeholder the sandbox accepts
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105 - likewise


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


_TRUE = {"1", "true", "yes", "on"}


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """A yes/no setting: ``1``, ``true``, ``yes`` or ``on`` (any case) mean yes."""
    raw = env.get(name)
    return default if raw is None else raw.strip().lower() in _TRUE


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    """A TCP port number setting, refused clearly unless it is 1-65535."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, not {raw!r}")
    return int(raw)


def _local_url(env: Mapping[str, str], name: str, default: int) -> str:
    return f"http://{LOOPBACK}:{_port(env, name, default)}"


@dataclass(frozen=True)
class DevServerSettings:
    """What ``make run`` (``python -m campaigns.demo.devserver``) starts, and where."""

    port: int
    sandbox_port: int
    start_sandbox: bool  # no STRIPE_SECRET_KEY: the offline sandbox stands in for Stripe
    webhook_secret: str
    mailbox: bool  # no MAIL_SERVER: emails are kept at /dev/mailbox
    host: str = LOOPBACK

    @property
    def app_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def sandbox_url(self) -> str:
        return f"http://{self.host}:{self.sandbox_port}"


def dev_server_settings(environ: Mapping[str, str] | None = None) -> DevServerSettings:
    """The dev server's settings: ``PORT`` and ``STRIPE_SANDBOX_PORT``, and what to start."""
    env = os.environ if environ is None else environ
    return DevServerSettings(
        port=_port(env, "PORT", DEFAULT_PORT),
        sandbox_port=_port(env, "STRIPE_SANDBOX_PORT", DEFAULT_SANDBOX_PORT),
        start_sandbox=not env.get("STRIPE_SECRET_KEY"),
        webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET),
        mailbox=not env.get("MAIL_SERVER"),
    )


def normalize_database_url(url: str) -> str:
    """Point plain ``postgres://`` URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def configured_instance_path(environ: Mapping[str, str] | None = None) -> str | None:
    """INSTANCE_PATH made absolute, or None to let Flask choose the instance folder."""
    raw = (os.environ if environ is None else environ).get("INSTANCE_PATH", "").strip()
    return str(Path(raw).absolute()) if raw else None


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
        stripe_base = env.get("STRIPE_API_BASE") or _local_url(
            env, "STRIPE_SANDBOX_PORT", DEFAULT_SANDBOX_PORT
        )
        webhook_secret = env.get("STRIPE_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET)
    else:
        stripe_base, webhook_secret = STRIPE_API, ""

    public_url = env.get("PUBLIC_URL")
    if public_url is None:  # where `make run` serves the app (PORT)
        public_url = _local_url(env, "PORT", DEFAULT_PORT)

    return {
        "CAMPAIGNS_ENV": app_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(env.get("DATABASE_URL", default_db)),
        "PUBLIC_URL": public_url.rstrip("/"),
        "DEFAULT_TIMEZONE": timezone,
        "ORGANIZATION_NAME": env.get("ORGANIZATION_NAME", "Independent Media"),
        # Printed on receipts and year-end statements, as tax-deductible gifts require.
        "ORGANIZATION_ADDRESS": env.get("ORGANIZATION_ADDRESS", ""),
        "ORGANIZATION_TAX_ID": env.get("ORGANIZATION_TAX_ID", ""),
        # The currency of figures that span campaigns, such as a donor's lifetime giving.
        "DEFAULT_CURRENCY": env.get("DEFAULT_CURRENCY", "usd").lower(),
        # How long the overview's charts may reuse their day-by-day scans in one worker.
        "OVERVIEW_CACHE_SECONDS": float(env.get("OVERVIEW_CACHE_SECONDS", "60")),
        "STRIPE_SECRET_KEY": stripe_key,
        "STRIPE_API_BASE": stripe_base.rstrip("/"),
        "STRIPE_WEBHOOK_SECRET": webhook_secret,
        "STRIPE_MAX_NETWORK_RETRIES": int(env.get("STRIPE_MAX_NETWORK_RETRIES", "2")),
        "STRIPE_DASHBOARD_URL": "https://dashboard.stripe.com/test",
        **_event_settings(env),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        # Banner beacons per client address (people behind one NAT share it, hence generous).
        "BANNER_EVENT_RATE_LIMIT": env.get("BANNER_EVENT_RATE_LIMIT", "120 per minute"),
        # How long each worker reuses a banner API answer before reading the campaign again.
        "BANNER_API_CACHE_SECONDS": float(env.get("BANNER_API_CACHE_SECONDS", "5")),
        # Proxies in front of the app that append to X-Forwarded-For (nginx, a CDN): the
        # client address is that many entries from the right.
        "TRUSTED_PROXY_HOPS": int(env.get("TRUSTED_PROXY_HOPS", "0")),
        **_mail_settings(env, instance_path),
        "SESSION_COOKIE_SECURE": app_env == "production",
        "REMEMBER_COOKIE_SECURE": app_env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }


def _event_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """How the worker applies the Stripe events the webhook endpoint stored."""
    return {
        # A failing event waits 30 s, 1, 2, 4 … minutes (at most EVENT_RETRY_MAX_SECONDS)
        # before the next attempt; after EVENT_MAX_ATTEMPTS it is parked as failed, with its
        # error, until staff retry it from the dashboard.
        "EVENT_MAX_ATTEMPTS": int(env.get("EVENT_MAX_ATTEMPTS", "12")),
        "EVENT_RETRY_BASE_SECONDS": int(env.get("EVENT_RETRY_BASE_SECONDS", "30")),
        "EVENT_RETRY_MAX_SECONDS": int(env.get("EVENT_RETRY_MAX_SECONDS", "3600")),
        # How long a worker holds the events it claimed; a killed worker's come back after it.
        "EVENT_LEASE_SECONDS": int(env.get("EVENT_LEASE_SECONDS", "300")),
        # The overview warns when the oldest event not yet applied is older than this.
        "EVENT_LAG_WARNING_SECONDS": int(env.get("EVENT_LAG_WARNING_SECONDS", "60")),
    }


def _mail_settings(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Flask's usual SMTP settings, plus the outbox's retries and donors' signed links."""
    return {
        # No MAIL_SERVER in development: emails stay in the outbox, readable at /dev/mailbox.
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag(env, "MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag(env, "MAIL_USE_SSL"),
        # Required with MAIL_SERVER in production; development falls back to a local address.
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", ""),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "30")),
        # A failed attempt waits 1, 2, 4 … minutes (at most MAIL_RETRY_MAX_SECONDS) before the
        # next; after MAIL_MAX_ATTEMPTS the email is kept as failed until `emails retry`.
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "12")),
        "MAIL_RETRY_BASE_SECONDS": int(env.get("MAIL_RETRY_BASE_SECONDS", "60")),
        "MAIL_RETRY_MAX_SECONDS": int(env.get("MAIL_RETRY_MAX_SECONDS", str(6 * 3600))),
        # emails/<name> found under this folder wins over the shipped templates/emails/<name>.
        "EMAIL_TEMPLATE_DIR": env.get("EMAIL_TEMPLATE_DIR", str(Path(instance_path) / "templates")),
        # How long donors' signed links work: the /my-giving link, the card-update link in a
        # failed-payment email, and the link to a year-end statement.
        "MY_GIVING_LINK_SECONDS": int(env.get("MY_GIVING_LINK_MINUTES", "60")) * 60,
        "CARD_LINK_SECONDS": int(env.get("CARD_LINK_DAYS", "14")) * 86400,
        "STATEMENT_LINK_SECONDS": int(env.get("STATEMENT_LINK_DAYS", "180")) * 86400,
        "MY_GIVING_RATE_LIMIT": env.get("MY_GIVING_RATE_LIMIT", "5 per minute;20 per hour"),
        "MY_GIVING_EMAIL_RATE_LIMIT": env.get("MY_GIVING_EMAIL_RATE_LIMIT", "3 per hour"),
    }
