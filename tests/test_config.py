import pytest

from campaigns import create_app
from campaigns.config import ConfigError, load_config


def test_development_runs_with_nothing_set(tmp_path) -> None:
    config = load_config(str(tmp_path), {})
    assert config["SECRET_KEY"]
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/campaigns.sqlite3"
    assert config["DEFAULT_TIMEZONE"] == "UTC"


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config(str(tmp_path), {"CAMPAIGNS_ENV": "production"})
    config = load_config(str(tmp_path), {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s3cret"})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_postgres_urls_use_psycopg(tmp_path) -> None:
    config = load_config(str(tmp_path), {"DATABASE_URL": "postgres://u@db/campaigns"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/campaigns"


def test_bad_timezone_is_refused(tmp_path) -> None:
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        load_config(str(tmp_path), {"DEFAULT_TIMEZONE": "Nowhere/Land"})


def test_create_app_touches_no_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/never.sqlite3"
    create_app({"SQLALCHEMY_DATABASE_URI": url})
    assert not (tmp_path / "never.sqlite3").exists()
